import TradewindCore

/// Layer normalisation over the last axis (PyTorch `nn.LayerNorm`: `weight`, `bias` [size]; ε = 1e-5 by
/// default — pass 1e-3 to match Keras's `LayerNormalization`).
public struct LayerNorm: Layer {
    public let prefix: String
    public let size: Int
    public let epsilon: Double

    public init(_ prefix: String, size: Int, epsilon: Double = 1e-5) {
        self.prefix = prefix
        self.size = size
        self.epsilon = epsilon
    }

    public var weightShapes: [(name: String, shape: [Int])] { [(name("weight"), [size]), (name("bias"), [size])] }

    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        weights[name("weight")] = Initializer.constant([size], 1)
        weights[name("bias")] = Initializer.constant([size], 0)
    }

    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard x.shape.last == size else { throw .shapeMismatch(op: "LayerNorm '\(prefix)'", detail: "input \(x.shape) must end in \(size)") }
        return try x.layerNorm(weight: pass.parameter(name("weight"), shape: [size]),
                               bias: pass.parameter(name("bias"), shape: [size]), epsilon: epsilon)
    }
}

/// Inverted dropout with probability `p` while training; the identity otherwise. Owns no weights.
public struct Dropout: Layer {
    public let prefix: String
    public let p: Double

    public init(_ prefix: String = "", p: Double) {
        self.prefix = prefix
        self.p = p
    }

    public var weightShapes: [(name: String, shape: [Int])] { [] }
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {}

    /// Throws `invalidArgument` naming the layer when `p` is outside [0, 1), at inference too.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard p >= 0, p < 1 else { throw .invalidArgument(name: "Dropout '\(prefix)' p", value: "\(p)", expected: "0 ≤ p < 1") }
        return try x.dropout(p, in: pass)
    }
}
