import Foundation
import Testing
import TradewindCore
@testable import TradewindML

/// Per-epoch checkpoints: a run stopped after any epoch and resumed ends with the uninterrupted run's weights,
/// bit for bit; a checkpoint of another run or a damaged one is refused with the reason.
@Suite struct TrainingCheckpointTests {
    /// The trainer tests' random sequences.
    func samples(_ n: Int, seed: UInt64) -> SequenceSamples { TrainerTests().samples(n, seed: seed) }

    static func directory() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("tw-checkpoint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Trains 6 epochs with Adam, a plateau schedule that fires, early stopping and shuffling; with `stopAfter`, the
    /// run is cancelled at the end of that epoch (1-based) and its checkpoint written to `path`.
    func run(seed: UInt64 = 5, path: String?, stopAfter: Int? = nil, epochs: Int = 6) throws -> TrainingResult<Float> {
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 1)
        var adam = Adam<Float>(learningRate: 0.02)
        let trainer = Trainer(model: model, configuration: TrainingConfiguration(
            epochs: epochs, batchSize: 16, seed: seed, clipNorm: 1, plateau: ReduceLROnPlateau(factor: 0.5, patience: 0, threshold: 0.3),
            earlyStoppingPatience: 6))
        let cancel = CancellationFlag()
        let checkpointing = try path.map { (p) throws(MLError) in try TrainingCheckpointing<Float>.file(p, identity: ["data": "test"]) }
        return try trainer.fit(from: model.initialWeights(generator: &g), data: samples(64, seed: 2), validation: samples(32, seed: 3),
                               optimizer: &adam, cancellation: cancel, checkpointing: checkpointing) { event in
            if case let .epochEnded(r) = event, r.epoch + 1 == stopAfter { cancel.cancel() }
        }
    }

    @Test func aRunStoppedAfterAnyEpochAndResumedEndsWithTheUninterruptedWeights() throws {
        let whole = try run(path: nil)
        #expect(Set(whole.history.map(\.learningRate)).count > 1, "the plateau schedule must have cut the rate")
        for stop in [2, 5] {
            let dir = try Self.directory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/run.safetensors"
            let first = try run(path: path, stopAfter: stop)
            #expect(first.history.count == stop)
            let saved = try #require(try TrainingCheckpoint<Float>.load(path))
            #expect(saved.epochsDone == stop && saved.optimizer.steps == stop * 4)
            let resumed = try run(path: path)
            #expect(resumed.weights == whole.weights, "stopped after epoch \(stop)")
            #expect(resumed.restoredEpoch == whole.restoredEpoch)
            #expect(resumed.history.map(\.trainingLoss) == whole.history.map(\.trainingLoss))
            #expect(resumed.history.map(\.validationLoss) == whole.history.map(\.validationLoss))
            #expect(resumed.history.map(\.learningRate) == whole.history.map(\.learningRate))
        }
    }

    @Test func resumingAFinishedRunReturnsItsResultWithoutTraining() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.safetensors"
        let whole = try run(path: path, epochs: 3)
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 1)
        var adam = Adam<Float>(learningRate: 0.02)
        var batches = 0
        let again = try Trainer(model: model, configuration: TrainingConfiguration(
            epochs: 3, batchSize: 16, seed: 5, clipNorm: 1, plateau: ReduceLROnPlateau(factor: 0.5, patience: 0), earlyStoppingPatience: 6))
            .fit(from: model.initialWeights(generator: &g), data: samples(64, seed: 2), validation: samples(32, seed: 3), optimizer: &adam,
                 checkpointing: try .file(path, identity: ["data": "test"])) { if case .batchEnded = $0 { batches += 1 } }
        #expect(batches == 0)
        #expect(again.weights == whole.weights && again.history == whole.history)
    }

    @Test func aCheckpointOfAnotherRunIsRefusedNamingWhatDiffers() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.safetensors"
        _ = try run(seed: 5, path: path, stopAfter: 1)
        do {
            _ = try run(seed: 6, path: path)
            Issue.record("a checkpoint of seed 5 was resumed by a run of seed 6")
        } catch let MLError.invalidArgument(name, value, expected) {
            #expect(name.hasSuffix(" seed") && value == "5" && expected.hasPrefix("6 "))
        }
    }

    @Test func aDamagedCheckpointIsAnErrorNotATrap() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.safetensors"
        _ = try run(path: path, stopAfter: 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: MLError.self) { try TrainingCheckpoint<Float>.load(path) }
        var plain = StateDict<Float>()
        plain["w"] = try Tensor(shape: [2], scalars: [1, 2])
        try SafeTensors.save(plain, to: path)
        #expect(throws: MLError.corruptFile(path: path, detail: "no 'tradewind.training_checkpoint' metadata; not a training checkpoint")) {
            try TrainingCheckpoint<Float>.load(path)
        }
    }

    @Test func adamStateRoundTripsThroughACheckpointAndRefusesAnotherOptimizer() throws {
        var adam = Adam<Float>(learningRate: 0.1)
        var w = StateDict<Float>()
        w["a"] = try Tensor(shape: [3], scalars: [1, 2, 3])
        var grads = StateDict<Float>()
        grads["a"] = try Tensor(shape: [3], scalars: [0.5, -1, 2])
        try adam.step(&w, gradients: grads)
        var copy = Adam<Float>()
        try copy.restore(adam.state)
        var w1 = w, w2 = w
        try adam.step(&w1, gradients: grads)
        try copy.step(&w2, gradients: grads)
        #expect(w1 == w2 && copy.steps == 2)
        var sgd = SGD<Float>(learningRate: 0.1, momentum: 0.9)
        #expect(throws: MLError.self) { try sgd.restore(adam.state) }
    }
}
