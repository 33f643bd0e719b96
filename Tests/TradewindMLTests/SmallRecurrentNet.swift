import TradewindCore
@testable import TradewindML

/// Scripts/ml/reference_modules.py's SmallRecurrentNet: BiGRU → LayerNorm → attention pooling → class and value heads.
struct SmallRecurrentNet: SupervisedModel {
    typealias Scalar = Float
    struct Batch {
        let x: Tensor<Float>
        let labels: [Int]
        let targets: Tensor<Float>
    }

    let gru = GRU("gru", inputSize: 3, hiddenSize: 6, bidirectional: true)
    let norm = LayerNorm("norm", size: 12)
    let pool = AttentionPooling("pool", features: 12, units: 4)
    let classifier = Dense("classifier", inputSize: 12, outputSize: 3)
    let regressor = Dense("regressor", inputSize: 12, outputSize: 1)
    var layers: [any Layer] { [gru, norm, pool, classifier, regressor] }

    var weightShapes: [(name: String, shape: [Int])] { layers.flatMap(\.weightShapes) }

    func initialWeights(generator: inout Xoshiro256StarStar) -> StateDict<Float> {
        var d = StateDict<Float>()
        for l in layers { l.initialize(&d, generator: &generator) }
        return d
    }

    func outputs(_ batch: Batch, in pass: ForwardPass<Float>) throws(MLError) -> [Variable<Float>] {
        let h = try gru(Variable(batch.x), in: pass)
        let p = try pool(norm(h, in: pass), in: pass)
        return [try classifier(p, in: pass), try regressor(p, in: pass).reshaped([batch.x.shape[0]])]
    }

    func loss(_ outputs: [Variable<Float>], _ batch: Batch) throws(MLError) -> Variable<Float> {
        try Loss.weightedSum([
            (Loss.crossEntropy(logits: outputs[0], labels: batch.labels, classWeights: [1, 2, 0.5]), 1),
            (Loss.meanSquaredError(outputs[1], batch.targets), 0.5),
        ])
    }

    func metrics(_ outputs: [Variable<Float>], _ batch: Batch) -> [String: Double] {
        let logits = outputs[0].value.scalars
        var correct = 0
        for (i, y) in batch.labels.enumerated() {
            let row = logits[(i * 3)..<(i * 3 + 3)]
            if row.firstIndex(of: row.max()!)! - i * 3 == y { correct += 1 }
        }
        return ["accuracy": Double(correct) / Double(batch.labels.count)]
    }
}

/// Samples held as one [n, steps, features] array with labels and targets.
struct SequenceSamples: TrainingData {
    let x: Tensor<Float>
    let labels: [Int]
    let targets: [Float]

    var count: Int { x.shape[0] }

    func batch(_ indices: [Int]) throws(MLError) -> SmallRecurrentNet.Batch {
        let width = x.count / max(count, 1)
        var xs: [Float] = []
        for i in indices { xs += x.scalars[(i * width)..<((i + 1) * width)] }
        return SmallRecurrentNet.Batch(x: try Tensor(shape: [indices.count] + x.shape.dropFirst(), scalars: xs),
                                       labels: indices.map { labels[$0] },
                                       targets: try Tensor(shape: [indices.count], scalars: indices.map { targets[$0] }))
    }
}
