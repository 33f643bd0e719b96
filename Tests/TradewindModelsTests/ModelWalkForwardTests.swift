import Foundation
import Testing
import TradewindCore
import TradewindOptimizer
@testable import TradewindModels

/// Walk-forward retraining on the fixture's real bars (3 symbols, 260 days) with a small network and 20-bar windows.
@Suite struct ModelWalkForwardTests {
    static let spec = WalkForwardSpec(folds: 2, train: 150, test: 40, mode: .rolling, gap: 5)
    static let dataset = DatasetConfiguration(window: 20, split: .time(purgeGap: 2))

    static func run(_ data: MarketDataset) throws -> ModelWalkForward.Report {
        try ModelWalkForward.run(data, spec: spec, settings: UniversalTrainingTests.settings, dataset: dataset, strategy: "ml-signal",
                                 parameters: ["threshold": "0.34", "exit_threshold": "0.5", "stop": "0"])
    }

    /// `data` with every bar after `date` replaced by a different but valid bar (prices reversed in time).
    static func scrambled(_ data: MarketDataset, after date: UnixNanos) -> MarketDataset {
        MarketDataset(data.series.map { s in
            var out = s
            let later = s.time.indices.filter { s.time[$0] > date }
            for (i, j) in zip(later, later.reversed()) {
                (out.open[i], out.high[i], out.low[i], out.close[i]) = (s.open[j] * 1.3, s.high[j] * 1.3, s.low[j] * 1.3, s.close[j] * 1.3)
                out.volume[i] = s.volume[j] * 2
            }
            return out
        })
    }

    @Test func eachFoldsModelSeesOnlyItsInSampleWindowAndScramblingLaterDataChangesNothingInIt() throws {
        let data = try ModelStrategyTests.market()
        let report = try Self.run(data)
        #expect(report.folds.count == 2)
        let first = try #require(report.folds.first)
        #expect(first.trainThrough < first.testFrom && first.model.config.trainingThrough <= first.trainThrough)
        #expect(report.folds[1].trainThrough < report.folds[1].testFrom)
        // The out-of-sample curve covers both test windows and starts from 1.
        #expect(report.equity.count == 80)
        #expect(report.equity.first!.time == first.testFrom && report.equity.last!.time == report.folds[1].testThrough)
        #expect(abs(report.buyAndHoldReturn - ((1 + first.buyAndHoldReturn) * (1 + report.folds[1].buyAndHoldReturn) - 1)) < 1e-12)

        let again = try Self.run(Self.scrambled(data, after: first.trainThrough))
        // Fold 1 trained on bars up to its in-sample end only: the same weights, scaler and configuration.
        #expect(again.folds[0].model.weights == first.model.weights)
        #expect(again.folds[0].model.config == first.model.config)
        // The scrambled bars are in fold 2's in-sample window: its model differs (the scrambling is seen where allowed).
        #expect(again.folds[1].model.weights != report.folds[1].model.weights)
    }

    @Test func aModelParameterIsRefusedBecauseEachFoldTrainsItsOwn() throws {
        #expect(throws: ModelError.self) {
            try ModelWalkForward.run(try ModelStrategyTests.market(), spec: Self.spec, settings: UniversalTrainingTests.settings,
                                     parameters: ["model": "x/universal.json"])
        }
    }
}
