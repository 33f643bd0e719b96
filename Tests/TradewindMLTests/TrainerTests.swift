import Foundation
import Testing
import TradewindCore
@testable import TradewindML

/// The training loop: determinism, validation, early stopping, progress, bad input.
@Suite struct TrainerTests {
    func samples(_ n: Int, seed: UInt64) -> SequenceSamples {
        var g = Xoshiro256StarStar(seed: seed)
        let x = (0..<(n * 15)).map { _ in Float(g.uniform(-1, 1)) }
        let labels = (0..<n).map { i in x[i * 15] > 0 ? 1 : 0 }
        return SequenceSamples(x: try! Tensor(shape: [n, 5, 3], scalars: x), labels: labels, targets: (0..<n).map { x[$0 * 15 + 1] })
    }

    func train(seed: UInt64, epochs: Int = 3, patience: Int? = nil, events: inout [TrainingEvent]) throws -> TrainingResult<Float> {
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 1)
        var adam = Adam<Float>(learningRate: 0.01)
        let trainer = Trainer(model: model, configuration: TrainingConfiguration(
            epochs: epochs, batchSize: 16, seed: seed, clipNorm: 1, earlyStoppingPatience: patience))
        var log: [TrainingEvent] = []
        let r = try trainer.fit(from: model.initialWeights(generator: &g), data: samples(64, seed: 2), validation: samples(32, seed: 3),
                                optimizer: &adam) { log.append($0) }
        events = log
        return r
    }

    @Test func sameSeedGivesTheSameRunAndAnotherSeedAnother() throws {
        var e: [TrainingEvent] = []
        let a = try train(seed: 5, events: &e), b = try train(seed: 5, events: &e), c = try train(seed: 6, events: &e)
        #expect(a.weights == b.weights)
        #expect(a.history.map(\.trainingLoss) == b.history.map(\.trainingLoss))
        #expect(a.weights != c.weights)
    }

    @Test func progressReportsEveryBatchAndEpochWithAnETA() throws {
        var events: [TrainingEvent] = []
        let r = try train(seed: 1, epochs: 2, events: &events)
        let batches = events.compactMap { if case .batchEnded(let p) = $0 { p } else { nil } }
        #expect(batches.count == 8)
        #expect(batches.last?.eta == 0 && batches.first!.eta >= 0)
        #expect(r.history.count == 2 && r.history.allSatisfy { $0.validationLoss != nil })
        #expect(r.history.allSatisfy { (0...1).contains($0.metrics["accuracy"] ?? -1) && (0...1).contains($0.validationMetrics["accuracy"] ?? -1) })
        #expect(describe(batches[0]).hasPrefix("epoch 1/2 batch 1/4 loss "))
        let json = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([TrainingEvent].self, from: json) == events)
    }

    @Test func earlyStoppingRestoresTheBestEpochsWeights() throws {
        var events: [TrainingEvent] = []
        let r = try train(seed: 1, epochs: 30, patience: 1, events: &events)
        if let restored = r.restoredEpoch {
            let best = r.history.compactMap(\.validationLoss).min()!
            #expect(r.history[restored].validationLoss == best)
        }
        #expect(r.history.count <= 30)
    }

    @Test func inferenceWithoutATapeMatchesTheEvaluationPass() throws {
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 4)
        let w = model.initialWeights(generator: &g)
        let data = samples(10, seed: 9)
        let all = try Inference.predict(model, weights: w, data: data, batchSize: 10)
        let pieces = try Inference.predict(model, weights: w, data: data, batchSize: 3)
        expectClose(pieces[0], all[0], tolerance: 1e-6, "batched logits")
        #expect(all[0].shape == [10, 3] && all[1].shape == [10])
    }

    @Test func badInputIsAnErrorNotATrap() throws {
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 4)
        let w = model.initialWeights(generator: &g)
        var adam = Adam<Float>()
        var nan = samples(8, seed: 1)
        nan = SequenceSamples(x: try Tensor(shape: nan.x.shape, scalars: nan.x.scalars.enumerated().map { $0.offset == 3 ? .nan : $0.element }),
                              labels: nan.labels, targets: nan.targets)
        let trainer = Trainer(model: model, configuration: TrainingConfiguration(epochs: 1, batchSize: 4))
        expectMLError(["NaN or infinity"]) { _ = try trainer.fit(from: w, data: nan, validation: SequenceSamples?.none, optimizer: &adam) }
        var missing = w
        missing["gru.bias_hh_l0"] = nil
        #expect(throws: MLError.missingTensor(name: "gru.bias_hh_l0", expectedShape: [18])) {
            try trainer.fit(from: missing, data: samples(8, seed: 1), validation: SequenceSamples?.none, optimizer: &adam)
        }
        let wrongWidth = SequenceSamples(x: try Tensor(repeating: 0, shape: [4, 5, 2]), labels: [0, 0, 0, 0], targets: [0, 0, 0, 0])
        expectMLError(["GRU 'gru'", "[batch, steps, 3]", "[4, 5, 2]"]) {
            _ = try trainer.fit(from: w, data: wrongWidth, validation: SequenceSamples?.none, optimizer: &adam)
        }
        let a = Variable(try Tensor<Float>(repeating: 1, shape: [2, 3])), b = Variable(try Tensor<Float>(repeating: 1, shape: [4]))
        expectMLError(["add", "[2, 3]", "[4]"]) { _ = try a + b }
        expectMLError(["matmul", "[2, 3]", "[4, 1]"]) { _ = try a.matmul(b.reshaped([4, 1])) }
        expectMLError(["reshape", "[2, 3]", "[5]"]) { _ = try a.reshaped([5]) }
        expectMLError(["slice axis", "[2, 3]"]) { _ = try a.slice(axis: 3, 0..<1) }
        expectMLError(["crossEntropy label", "3"]) { _ = try Loss.crossEntropy(logits: a, labels: [0, 3]) }
    }
}
