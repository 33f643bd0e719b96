import TradewindCore

/// The universal BiGRU of the models issue, as the throughput benchmark trains it: input [batch, 60, 18];
/// BiGRU 128 → LayerNorm → BiGRU 64 → LayerNorm; additive attention pooling joined with the last step's state;
/// Dense 128 (ReLU) → LayerNorm → Dropout 0.2 → Dense 64 (ReLU) → Dropout 0.15; a 3-class softmax head
/// (cross-entropy) and a 1-value head (MSE by default). Scripts/bench/ml_universal_bigru.py is the same model in
/// PyTorch. The sizes (`Architecture`) and the loss (`Objective`) are parameters: TradewindModels trains it with
/// class weights and cross-entropy + 0.3 · Huber, and tests shrink it; the weight names do not change.
public struct UniversalBiGRU: SupervisedModel {
    public typealias Scalar = Float

    /// Layer widths; the defaults are the models issue's.
    public struct Architecture: Sendable, Equatable, Codable {
        public var firstRecurrent: Int, secondRecurrent: Int, attentionUnits: Int, firstDense: Int, secondDense: Int
        public init(firstRecurrent: Int = 128, secondRecurrent: Int = 64, attentionUnits: Int = 64, firstDense: Int = 128,
                    secondDense: Int = 64) {
            (self.firstRecurrent, self.secondRecurrent, self.attentionUnits) = (firstRecurrent, secondRecurrent, attentionUnits)
            (self.firstDense, self.secondDense) = (firstDense, secondDense)
        }
    }

    /// The training loss: class-weighted cross-entropy of the class head plus `regressionWeight` times the value
    /// head's MSE, or its Huber loss (δ = `huberDelta`) when that is set.
    public struct Objective: Sendable, Equatable, Codable {
        public var classWeights: [Float]?
        public var regressionWeight: Float
        public var huberDelta: Float?
        public init(classWeights: [Float]? = nil, regressionWeight: Float = 1, huberDelta: Float? = nil) {
            self.classWeights = classWeights
            self.regressionWeight = regressionWeight
            self.huberDelta = huberDelta
        }
    }

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
    public let architecture: Architecture
    public let objective: Objective
    let gru1: GRU, norm1: LayerNorm, gru2: GRU, norm2: LayerNorm, pool: AttentionPooling
    let dense1: Dense, norm3: LayerNorm, dense2: Dense, classes: Dense, value: Dense

    public init(steps: Int = 60, features: Int = 18, architecture: Architecture = Architecture(), objective: Objective = Objective()) {
        self.steps = steps
        self.features = features
        self.architecture = architecture
        self.objective = objective
        let a = architecture
        gru1 = GRU("gru1", inputSize: features, hiddenSize: a.firstRecurrent, bidirectional: true)
        norm1 = LayerNorm("norm1", size: 2 * a.firstRecurrent)
        gru2 = GRU("gru2", inputSize: 2 * a.firstRecurrent, hiddenSize: a.secondRecurrent, bidirectional: true)
        norm2 = LayerNorm("norm2", size: 2 * a.secondRecurrent)
        pool = AttentionPooling("pool", features: 2 * a.secondRecurrent, units: a.attentionUnits)
        dense1 = Dense("dense1", inputSize: 4 * a.secondRecurrent, outputSize: a.firstDense)
        norm3 = LayerNorm("norm3", size: a.firstDense)
        dense2 = Dense("dense2", inputSize: a.firstDense, outputSize: a.secondDense)
        classes = Dense("classes", inputSize: a.secondDense, outputSize: 3)
        value = Dense("value", inputSize: a.secondDense, outputSize: 1)
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
        let o = objective
        let classification = try Loss.crossEntropy(logits: outputs[0], labels: batch.labels, classWeights: o.classWeights)
        let regression: Variable<Float>
        if let delta = o.huberDelta {
            regression = try Loss.huber(outputs[1], batch.targets, delta: delta)
        } else {
            regression = try Loss.meanSquaredError(outputs[1], batch.targets)
        }
        return o.regressionWeight == 1 ? try classification + regression
            : try Loss.weightedSum([(classification, 1), (regression, o.regressionWeight)])
    }

    /// The class head's accuracy on the batch.
    public func metrics(_ outputs: [Variable<Float>], _ batch: Batch) -> [String: Double] {
        let logits = outputs[0].value.scalars
        var right = 0
        for (i, y) in batch.labels.enumerated() {
            let row = logits[(i * 3)..<(i * 3 + 3)]
            if row.firstIndex(of: row.max()!)! - i * 3 == y { right += 1 }
        }
        return ["accuracy": Double(right) / Double(max(1, batch.labels.count))]
    }
}
