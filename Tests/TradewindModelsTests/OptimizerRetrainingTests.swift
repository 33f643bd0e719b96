import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies
@testable import TradewindModels

/// `tradewind optimize`'s walk-forward with an ML strategy: each fold retrains the model on its in-sample window and
/// searches the thresholds there (`ModelRetraining` as the job's `InSampleFit`), on one symbol of the fixture.
@Suite struct OptimizerRetrainingTests {
    /// `ml-signal`'s thresholds searched on a small grid; the model retrained per window (small network, 20-bar windows).
    static func job(_ grids: [String], directory: String, settings: UniversalTrainingSettings = UniversalTrainingTests.settings) throws -> OptimizationJob {
        let d = try ModelStrategies.catalog.named("ml-signal")
        let space = try SpaceBuilder.space(strategy: d, grids: grids, fixed: ["exit_threshold=0.5", "stop=0"])
        let job = OptimizationJob(strategy: d, space: space, constraints: try SpaceBuilder.constraints(strategy: d, extra: [], space: space),
                                  settings: SearchSettings(method: .grid, objective: Objective(.totalReturn), topK: 3, robustness: false),
                                  validation: .walkForward(ModelWalkForwardTests.spec), threads: ThreadBudget(1))
        let retraining = ModelRetraining(settings: settings, dataset: ModelWalkForwardTests.dataset, directory: directory)
        return try retraining.attach(to: job)
    }

    @Test func cancellingStopsAFoldsTrainingAtItsNextBatchAndKeepsNoModel() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let series = try ModelStrategyTests.market().series[0]
        var settings = UniversalTrainingTests.settings
        settings.epochs = 400
        let job = try Self.job(["threshold=0.3:0.5:0.1"], directory: directory, settings: settings)
        let cancel = CancellationFlag()
        let timer = Thread { Thread.sleep(forTimeInterval: 0.3); cancel.cancel() }
        let start = Date()
        timer.start()
        #expect(try SymbolOptimizer.run(job, series: series, cancel: cancel) == nil)
        // 400 epochs take minutes; a cancelled fit stops within a batch.
        #expect(Date().timeIntervalSince(start) < 15)
        let kept = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        #expect(kept.isEmpty, "a half-trained model was saved: \(kept)")
    }

    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tw-retrain-\(UUID().uuidString)").path
    }

    @Test func eachFoldsModelAndThresholdsComeFromItsInSampleBarsOnly() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let series = try ModelStrategyTests.market().series[0]
        let job = try Self.job(["threshold=0.3:0.5:0.1"], directory: directory)
        let before = try #require(try SymbolOptimizer.run(job, series: series)?.validation)
        #expect(before.folds.count == 2)
        let first = before.folds[0]
        let model = try #require(first.params["model"])
        #expect(model.hasPrefix(directory + "/") && model.hasSuffix("/universal.json"))

        // Every bar after fold 1's in-sample end replaced: its model (the path is the weights' hash) and thresholds stay.
        let trainEnd = series.time[try #require(series.time.firstIndex { ISO8601.utc($0) == first.trainEnd })]
        #expect(try UniversalModel.load(stem: String(model.dropLast(5))).config.trainingThrough <= trainEnd)
        let scrambled = ModelWalkForwardTests.scrambled(MarketDataset([series]), after: trainEnd).series[0]
        let after = try #require(try SymbolOptimizer.run(job, series: scrambled)?.validation)
        #expect(after.folds[0].params == first.params)
        #expect(after.folds[0].inSample == first.inSample)
        // Fold 2 trains on some of the scrambled bars: its model changes.
        #expect(after.folds[1].params["model"] != before.folds[1].params["model"])
    }

    @Test func optimizeWithOneThresholdEqualsMlWalkForwardFoldByFold() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let series = try ModelStrategyTests.market().series[0]
        let optimized = try #require(try SymbolOptimizer.run(try Self.job(["threshold=0.05:0.05:0.01"], directory: directory),
                                                              series: series)?.validation)
        let walked = try ModelWalkForward.run(MarketDataset([series]), spec: ModelWalkForwardTests.spec, settings: UniversalTrainingTests.settings,
                                              dataset: ModelWalkForwardTests.dataset, strategy: "ml-signal",
                                              parameters: ["threshold": "0.05", "exit_threshold": "0.5", "stop": "0"])
        #expect(optimized.folds.count == walked.folds.count && walked.folds.count == 2)
        // The folds trade: the equality is not that of two empty runs.
        #expect(walked.folds.contains { $0.strategyReturn != 0 } && optimized.folds.contains { $0.outOfSample.totalReturn != 0 })
        for (o, w) in zip(optimized.folds, walked.folds) {
            #expect(o.testStart == ISO8601.utc(w.testFrom) && o.trainEnd == ISO8601.utc(w.trainThrough))
            let path = try #require(o.params["model"])
            #expect(try UniversalModel.load(stem: String(path.dropLast(5))).weights == w.model.weights)
            #expect(abs((o.outOfSample.totalReturn ?? .nan) - w.strategyReturn) < 1e-12)
        }
    }

    @Test func aGivenModelIsRefusedWithValidationAndKeptWithout() throws {
        let d = try ModelStrategies.catalog.named("ml-signal")
        let space = try SpaceBuilder.space(strategy: d, fixed: ["model=x/universal.json"])
        var job = OptimizationJob(strategy: d, space: space, constraints: try SpaceBuilder.constraints(strategy: d, extra: [], space: space),
                                  settings: SearchSettings(method: .grid), validation: .walkForward(WalkForwardSpec(folds: 2)))
        let retraining = ModelRetraining(settings: UniversalTrainingTests.settings, directory: Self.scratch())
        #expect(throws: ModelError.self) { try retraining.attach(to: job) }
        job.validation = .none
        #expect(try retraining.attach(to: job).inSampleFit == nil)
        // A strategy without a model is left alone.
        let sma = try StrategyCatalog.builtIn.named("sma-cross")
        let plain = OptimizationJob(strategy: sma, space: try SpaceBuilder.space(strategy: sma), constraints: try ConstraintSet([], space: try SpaceBuilder.space(strategy: sma)),
                                    settings: SearchSettings(method: .grid), validation: .walkForward(WalkForwardSpec(folds: 2)))
        #expect(try retraining.attach(to: plain).inSampleFit == nil)
    }
}
