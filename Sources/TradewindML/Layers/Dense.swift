import TradewindCore

/// A fully connected layer, y = x · Wᵀ + b over the last axis (PyTorch `nn.Linear`: `weight` [out, in], `bias` [out]).
public struct Dense: Layer {
    public let prefix: String
    public let inputSize: Int
    public let outputSize: Int
    public let hasBias: Bool

    public init(_ prefix: String, inputSize: Int, outputSize: Int, bias: Bool = true) {
        self.prefix = prefix
        self.inputSize = inputSize
        self.outputSize = outputSize
        hasBias = bias
    }

    public var weightShapes: [(name: String, shape: [Int])] {
        [(name("weight"), [outputSize, inputSize])] + (hasBias ? [(name("bias"), [outputSize])] : [])
    }

    /// kaiming_uniform(a=√5) for the weight and U(±1/√in) for the bias, as `nn.Linear`.
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        let bound = 1 / Double(max(inputSize, 1)).squareRoot()
        weights[name("weight")] = Initializer.uniform([outputSize, inputSize], bound: bound, &g)
        if hasBias { weights[name("bias")] = Initializer.uniform([outputSize], bound: bound, &g) }
    }

    /// Applies the layer to `x` [..., inputSize].
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard x.shape.last == inputSize else {
            throw .shapeMismatch(op: "Dense '\(prefix)'", detail: "input \(x.shape) must end in \(inputSize)")
        }
        let w = try pass.parameter(name("weight"), shape: [outputSize, inputSize])
        let y = try x.matmul(w, transposeOther: true)
        guard hasBias else { return y }
        return try y + pass.parameter(name("bias"), shape: [outputSize])
    }
}
