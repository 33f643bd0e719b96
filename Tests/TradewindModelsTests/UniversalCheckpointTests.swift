import Foundation
import Synchronization
import Testing
import TradewindCore
import TradewindML
@testable import TradewindModels

/// The universal model's per-epoch checkpoint (with dropout, the plateau schedule and early stopping in play): a
/// run stopped after an epoch and resumed from `TrainingCheckpointFile` ends with the uninterrupted run's model.
@Suite struct UniversalCheckpointTests {
    static let settings = UniversalTrainingSettings(
        epochs: 4, batchSize: 64, earlyStoppingPatience: 3, plateauPatience: 0, seed: 11,
        architecture: UniversalBiGRU.Architecture(firstRecurrent: 8, secondRecurrent: 4, attentionUnits: 4, firstDense: 8, secondDense: 4))

    @Test func aStoppedUniversalRunResumedFromItsCheckpointEndsWithTheUninterruptedModel() throws {
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        let whole = try UniversalTraining.train(data, settings: Self.settings)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-universal-checkpoint-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try #require(try TrainingCheckpointFile.prepare(directory: dir, resume: false))
        let cancel = CancellationFlag()
        let first = try UniversalTraining.train(data, settings: Self.settings, cancellation: cancel, checkpoint: .file(path)) {
            if case let .epochEnded(r) = $0, r.epoch == 1 { cancel.cancel() }
        }
        #expect(first.history.count == 2)
        #expect(throws: ModelError.self) { try TrainingCheckpointFile.prepare(directory: dir, resume: false) }
        #expect(try TrainingCheckpointFile.prepare(directory: dir, resume: true) == path)
        var epochs: [Int] = []
        let resumed = try UniversalTraining.train(data, settings: Self.settings, checkpoint: .file(path)) {
            if case let .epochEnded(r) = $0 { epochs.append(r.epoch) }
        }
        #expect(epochs == Array(2..<whole.history.count), "resumed from epoch 3, not epoch 1")
        #expect(resumed.model.weights == whole.model.weights)
        #expect(resumed.model.config.epochsRun == whole.model.config.epochsRun)
        #expect(resumed.history.map(\.validationLoss) == whole.history.map(\.validationLoss))

        // Another dataset (one symbol fewer) does not resume this run's checkpoint.
        let other = try UniversalDataset.prepare(Array(FeatureFixture.tables().prefix(2)))
        #expect(throws: ModelError.self) { try UniversalTraining.train(other, settings: Self.settings, checkpoint: .file(path)) }
    }

    @Test func aMediumThatStartsOverSetsAsideAnotherRunsOrAnUndecodableCheckpointAndTrainsFromEpochOne() throws {
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        var two = Self.settings
        two.epochs = 2
        let whole = try UniversalTraining.train(data, settings: two)
        // Bytes kept in memory, as the server keeps them in its store.
        let kept = Mutex<Data?>(nil), reasons = Mutex<[String]>([])
        func medium(_ start: Data?) -> TrainingCheckpointMedium {
            kept.withLock { $0 = start }
            return TrainingCheckpointMedium(location: "the test's checkpoint", read: { kept.withLock { $0 } },
                                            write: { bytes, _ in kept.withLock { $0 = Data(bytes) } },
                                            startOver: { reason in reasons.withLock { $0.append(reason) } })
        }
        // A checkpoint of another run (one symbol fewer).
        let other = try UniversalDataset.prepare(Array(FeatureFixture.tables().prefix(2)))
        _ = try UniversalTraining.train(other, settings: two, checkpoint: medium(nil))
        let foreign = try #require(kept.withLock { $0 })
        for start in [foreign, Data("not a checkpoint".utf8)] {
            reasons.withLock { $0 = [] }
            var epochs: [Int] = []
            let run = try UniversalTraining.train(data, settings: two, checkpoint: medium(start)) {
                if case let .epochEnded(r) = $0 { epochs.append(r.epoch) }
            }
            #expect(epochs == [0, 1], "trained from epoch 1")
            #expect(run.model.weights == whole.model.weights)
            let reason = try #require(reasons.withLock { $0 }.first)
            #expect(reasons.withLock { $0 }.count == 1 && reason.contains("the test's checkpoint"), "\(reason)")
            // Its own checkpoint replaced the one set aside.
            let mine = try TrainingCheckpoint<Float>.decoded(try #require(kept.withLock { $0 }), source: "kept")
            #expect(mine.epochsDone == 2)
        }
    }

    @Test func resumeWithoutACheckpointIsRefused() throws {
        #expect(throws: ModelError.self) { try TrainingCheckpointFile.prepare(directory: nil, resume: true) }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tw-no-checkpoint-\(UUID().uuidString)").path
        #expect(throws: ModelError.self) { try TrainingCheckpointFile.prepare(directory: empty, resume: true) }
        #expect(try TrainingCheckpointFile.prepare(directory: nil, resume: false) == nil)
    }
}
