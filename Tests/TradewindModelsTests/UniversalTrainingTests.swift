import Foundation
import Testing
import TradewindCore
import TradewindML
@testable import TradewindModels

@Suite struct UniversalTrainingTests {
    /// A small network (the real layer stack at narrow widths) so the tests stay fast.
    static let settings = UniversalTrainingSettings(
        epochs: 2, batchSize: 64, seed: 7,
        architecture: UniversalBiGRU.Architecture(firstRecurrent: 8, secondRecurrent: 4, attentionUnits: 4, firstDense: 8, secondDense: 4))

    /// The fixture's dataset and a run trained on it, trained once for all the tests that only read them.
    static let shared = Result { () throws -> (PreparedDataset, UniversalTrainingRun) in
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        return (data, try UniversalTraining.train(data, settings: settings))
    }

    static func trained() throws -> (PreparedDataset, UniversalTrainingRun) { try shared.get() }

    @Test func trainingRecordsEachEpochAndTheConfigurationDescribesTheRun() throws {
        var events = 0
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        let run = try UniversalTraining.train(data, settings: Self.settings) { if case .epochEnded = $0 { events += 1 } }
        #expect(run.history.count == 2 && events == 2)
        #expect(run.history.allSatisfy { $0.trainingLoss.isFinite && $0.validationLoss?.isFinite == true })
        #expect(run.history[0].validationMetrics["accuracy"] != nil)
        let c = run.model.config
        #expect(c.symbols == ["AAPL", "JPM", "XOM"])
        #expect(c.trainingThrough == data.trainingEnd)
        #expect(c.objective.classWeights == data.classWeights && c.objective.regressionWeight == 0.3 && c.objective.huberDelta == 1)
        #expect(c.scaler == data.scaler)
    }

    @Test func aSavedAndReloadedModelPredictsIdentically() throws {
        let (_, run) = try Self.trained()
        let tables = try FeatureFixture.tables()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-universal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try run.model.save(stem: UniversalModel.stem(in: directory))
        let loaded = try UniversalModel.load(stem: UniversalModel.stem(in: directory))
        #expect(loaded.config == run.model.config)
        let before = try run.model.predict(tables), after = try loaded.predict(tables)
        #expect(before == after)
        // One prediction per window, the last on each symbol's final bar (no outcome known yet).
        #expect(before.count == tables.reduce(0) { $0 + $1.count - (UniversalFeature.warmUp + 60 - 1) })
        #expect(before.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-5 })
        #expect(before.last?.time == tables.last?.time.last)
    }

    @Test func evaluationCountsAgreeWithTheConfusionMatrix() throws {
        let (data, run) = try Self.trained()
        let e = try UniversalEvaluation.evaluate(run.model, on: data.validation)
        #expect(e.samples == data.validation.count)
        #expect(e.confusion.flatMap { $0 }.reduce(0, +) == e.samples)
        #expect(abs(e.accuracy - Double((0..<3).reduce(0) { $0 + e.confusion[$1][$1] }) / Double(e.samples)) < 1e-12)
        for c in 0..<3 { #expect(e.recall[c] == (e.confusion[c].reduce(0, +) == 0 ? 0 : Double(e.confusion[c][c]) / Double(e.confusion[c].reduce(0, +)))) }
        #expect(abs(e.informationCoefficient) <= 1)
        #expect(e.baselineMeanAbsoluteError == data.validation.targets.reduce(0) { $0 + abs(Double($1)) } / Double(e.samples))
    }

    @Test func spearmanIsOneForMonotoneAndMinusOneForReversedOrders() {
        #expect(abs(UniversalEvaluation.spearman([1, 2, 3, 4], [10, 20, 25, 90]) - 1) < 1e-12)
        #expect(abs(UniversalEvaluation.spearman([1, 2, 3, 4], [9, 5, 2, 1]) + 1) < 1e-12)
        #expect(UniversalEvaluation.spearman([1, 1, 1], [1, 2, 3]) == 0)
    }

    @Test func aModelFileWithAMisshapenWeightIsATypedError() throws {
        let (_, run) = try Self.trained()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-universal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var weights = run.model.weights
        weights["classes.bias"] = try Tensor<Float>.zeros([4])
        try UniversalModel(config: run.model.config, weights: weights).save(stem: UniversalModel.stem(in: directory))
        #expect(throws: ModelError.ml(.tensorShape(name: "classes.bias", expected: [3], found: [4]))) {
            try UniversalModel.load(stem: UniversalModel.stem(in: directory))
        }
    }

    @Test func badTrainingSettingsAreTypedErrors() throws {
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        var s = Self.settings
        s.learningRate = 0
        #expect(throws: ModelError.invalidSetting(name: "learningRate", value: "0.0", expected: "a finite rate > 0")) {
            try UniversalTraining.train(data, settings: s)
        }
    }
}
