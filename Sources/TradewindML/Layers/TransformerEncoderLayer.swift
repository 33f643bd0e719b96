import TradewindCore

/// The activation between a Transformer layer's two feed-forward products.
public enum FeedForwardActivation: String, Sendable, Codable { case relu, gelu }

/// One Transformer encoder layer (PyTorch `nn.TransformerEncoderLayer`, `batch_first=True`): self-attention and
/// a feed-forward block, each with a residual connection and LayerNorm — after the block by default
/// (`norm_first=False`), before it with `normFirst`. Names `self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
public struct TransformerEncoderLayer: Layer {
    public let prefix: String
    public let modelSize: Int
    public let heads: Int
    public let feedForwardSize: Int
    public let dropout: Double
    public let activation: FeedForwardActivation
    public let normFirst: Bool
    public let epsilon: Double

    public init(_ prefix: String, modelSize: Int, heads: Int, feedForwardSize: Int, dropout: Double = 0.1,
                activation: FeedForwardActivation = .relu, normFirst: Bool = false, epsilon: Double = 1e-5) {
        self.prefix = prefix
        self.modelSize = modelSize
        self.heads = heads
        self.feedForwardSize = feedForwardSize
        self.dropout = dropout
        self.activation = activation
        self.normFirst = normFirst
        self.epsilon = epsilon
    }

    var attention: MultiHeadAttention { MultiHeadAttention(name("self_attn"), embedDim: modelSize, heads: heads, dropout: dropout) }
    var linear1: Dense { Dense(name("linear1"), inputSize: modelSize, outputSize: feedForwardSize) }
    var linear2: Dense { Dense(name("linear2"), inputSize: feedForwardSize, outputSize: modelSize) }
    var norm1: LayerNorm { LayerNorm(name("norm1"), size: modelSize, epsilon: epsilon) }
    var norm2: LayerNorm { LayerNorm(name("norm2"), size: modelSize, epsilon: epsilon) }

    public var weightShapes: [(name: String, shape: [Int])] {
        attention.weightShapes + linear1.weightShapes + linear2.weightShapes + norm1.weightShapes + norm2.weightShapes
    }

    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        attention.initialize(&weights, generator: &g)
        linear1.initialize(&weights, generator: &g)
        linear2.initialize(&weights, generator: &g)
        norm1.initialize(&weights, generator: &g)
        norm2.initialize(&weights, generator: &g)
    }

    /// Applies the layer to `x` [batch, steps, modelSize]; `keyPadding` marks padded steps to ignore.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, keyPadding: [[Bool]]? = nil, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        func selfAttention(_ h: Variable<S>) throws(MLError) -> Variable<S> {
            try attention(query: h, key: h, value: h, keyPadding: keyPadding, in: pass).dropout(dropout, in: pass)
        }
        func feedForward(_ h: Variable<S>) throws(MLError) -> Variable<S> {
            let a = try linear1(h, in: pass)
            let act = activation == .relu ? a.relu() : a.gelu()
            return try linear2(act.dropout(dropout, in: pass), in: pass).dropout(dropout, in: pass)
        }
        if normFirst {
            let h = try x + selfAttention(norm1(x, in: pass))
            return try h + feedForward(norm2(h, in: pass))
        }
        let h = try norm1(x + selfAttention(x), in: pass)
        return try norm2(h + feedForward(h), in: pass)
    }
}
