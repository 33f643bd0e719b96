import TradewindCore

/// Time2Vec (Kazemi et al., 2019): one linear component w₀·x + b₀ and `size − 1` periodic components
/// sin(Wx + b) of the last axis, concatenated to [..., size]. Weights `linear.weight` [1, in], `linear.bias` [1],
/// `periodic.weight` [size − 1, in], `periodic.bias` [size − 1].
public struct Time2Vec: Layer {
    public let prefix: String
    public let inputSize: Int
    public let size: Int

    public init(_ prefix: String, inputSize: Int, size: Int) {
        self.prefix = prefix
        self.inputSize = inputSize
        self.size = size
    }

    var linear: Dense { Dense(name("linear"), inputSize: inputSize, outputSize: 1) }
    var periodic: Dense { Dense(name("periodic"), inputSize: inputSize, outputSize: size - 1) }

    public var weightShapes: [(name: String, shape: [Int])] { linear.weightShapes + periodic.weightShapes }

    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        linear.initialize(&weights, generator: &g)
        periodic.initialize(&weights, generator: &g)
    }

    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard size >= 2 else { throw .invalidArgument(name: "Time2Vec size", value: "\(size)", expected: "≥ 2") }
        return try Variable.concat([linear(x, in: pass), periodic(x, in: pass).sin()], axis: -1)
    }
}
