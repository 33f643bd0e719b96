import TradewindCore

/// The universal BiGRU of the models issue, as the throughput benchmark trains it: input [batch, 60, 18];
/// BiGRU 128 → LayerNorm → BiGRU 64 → LayerNorm; additive attention pooling joined with the last step's state;
/// Dense 128 (ReLU) → LayerNorm → Dropout 0.2 → Dense 64 (ReLU) → Dropout 0.15; a 3-class softmax head
/// (cross-entropy) and a 1-value head (MSE). Scripts/bench/ml_universal_bigru.py is the same model in PyTorch.
public struct UniversalBiGRU: SupervisedModel {
    public typealias Scalar = Float

    /// A batch: inputs [n, steps, features], class labels and value targets.
    public struct Batch {
        public let x: Tensor<Float>
        public let labels: [Int]
        public let targets: Tensor<Float>
        public init(x: Tensor<Float>, labels: [Int], targets: Tensor<Float>) {
            self.x = x
            self.labels = labels
            self.targets = targets
        }
    }

    public let steps: Int, features: Int
    let gru1: GRU, norm1: LayerNorm, gru2: GRU, norm2: LayerNorm, pool: AttentionPooling
    let dense1: Dense, norm3: LayerNorm, dense2: Dense, classes: Dense, value: Dense

    public init(steps: Int = 60, features: Int = 18) {
        self.steps = steps
        self.features = features
        gru1 = GRU("gru1", inputSize: features, hiddenSize: 128, bidirectional: true)
        norm1 = LayerNorm("norm1", size: 256)
        gru2 = GRU("gru2", inputSize: 256, hiddenSize: 64, bidirectional: true)
        norm2 = LayerNorm("norm2", size: 128)
        pool = AttentionPooling("pool", features: 128, units: 64)
        dense1 = Dense("dense1", inputSize: 256, outputSize: 128)
        norm3 = LayerNorm("norm3", size: 128)
        dense2 = Dense("dense2", inputSize: 128, outputSize: 64)
        classes = Dense("classes", inputSize: 64, outputSize: 3)
        value = Dense("value", inputSize: 64, outputSize: 1)
    }

    var layers: [any Layer] { [gru1, norm1, gru2, norm2, pool, dense1, norm3, dense2, classes, value] }

    public var weightShapes: [(name: String, shape: [Int])] { layers.flatMap(\.weightShapes) }

    public func initialWeights(generator: inout Xoshiro256StarStar) -> StateDict<Float> {
        var d = StateDict<Float>()
        for l in layers { l.initialize(&d, generator: &generator) }
        return d
    }

    public func outputs(_ batch: Batch, in pass: ForwardPass<Float>) throws(MLError) -> [Variable<Float>] {
        let h1 = try norm1(gru1(Variable(batch.x), in: pass), in: pass)
        let h2 = try norm2(gru2(h1, in: pass), in: pass)
        let pooled = try pool(h2, in: pass)
        let last = try h2.select(axis: 1, index: -1)
        var z = try dense1(Variable.concat([pooled, last], axis: 1), in: pass).relu()
        z = try norm3(z, in: pass).dropout(0.2, in: pass)
        z = try dense2(z, in: pass).relu().dropout(0.15, in: pass)
        return [try classes(z, in: pass), try value(z, in: pass).reshaped([batch.x.shape[0]])]
    }

    public func loss(_ outputs: [Variable<Float>], _ batch: Batch) throws(MLError) -> Variable<Float> {
        try Loss.crossEntropy(logits: outputs[0], labels: batch.labels) + Loss.meanSquaredError(outputs[1], batch.targets)
    }
}
