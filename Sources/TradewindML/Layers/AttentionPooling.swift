import TradewindCore

/// Additive (Bahdanau) attention pooling over time: scores sₜ = v · tanh(W hₜ + b), weights α = softmax(s) over
/// the steps, result Σ αₜ hₜ. Weights `attention.weight` [units, features], `attention.bias` [units],
/// `context.weight` [1, units].
public struct AttentionPooling: Layer {
    public let prefix: String
    public let features: Int
    public let units: Int

    public init(_ prefix: String, features: Int, units: Int) {
        self.prefix = prefix
        self.features = features
        self.units = units
    }

    var attention: Dense { Dense(name("attention"), inputSize: features, outputSize: units) }
    var context: Dense { Dense(name("context"), inputSize: units, outputSize: 1, bias: false) }

    public var weightShapes: [(name: String, shape: [Int])] { attention.weightShapes + context.weightShapes }

    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        attention.initialize(&weights, generator: &g)
        context.initialize(&weights, generator: &g)
    }

    /// Pools `x` [batch, steps, features] to [batch, features].
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard x.rank == 3, x.shape[2] == features, x.shape[1] > 0 else {
            throw .shapeMismatch(op: "AttentionPooling '\(prefix)'", detail: "input must be [batch, steps ≥ 1, \(features)]; got \(x.shape)")
        }
        let (B, T) = (x.shape[0], x.shape[1])
        let scores = try context(attention(x, in: pass).tanh(), in: pass).reshaped([B, T])
        let alpha = try scores.softmax().reshaped([B, 1, T])
        return try alpha.bmm(x).reshaped([B, features])
    }
}
