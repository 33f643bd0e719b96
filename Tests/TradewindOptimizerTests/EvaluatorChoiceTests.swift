import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// Which evaluator ran (kernel or engine) and, for the engine, why: in each symbol's result, the JSON and the
/// callback the progress line shows.
@Suite struct EvaluatorChoiceTests {
    static let settings = SearchSettings(method: .grid, topK: 1, robustness: false)

    @Test func aSupportedJobRunsOnTheKernelAndSaysSo() throws {
        let job = try smaJob(["fast=2:8:3", "slow=20:40:10"], settings: Self.settings)
        var chosen: [String?] = []
        let outcome = try JobRunner.run(job, series: [try spy(400)], evaluatorChosen: { _, why in chosen.append(why) })
        #expect(outcome.symbols[0].path == "kernel" && outcome.symbols[0].engineReason == nil)
        #expect(chosen == [nil])
        let json = try JobReport.json(outcome, method: .grid, objective: Objective())
        #expect(json.contains("\"evaluator\":\"kernel\""))
        #expect(JobReport.table(outcome, objective: Objective()).contains("evaluator: kernel"))
    }

    @Test func eachSettingTheKernelsDoNotModelIsNamedAsTheEnginesReason() throws {
        var whole = feeConfig
        whole.wholeShares = true
        var perShare = feeConfig
        perShare.commission = CommissionModel(perShare: 0.005)
        var spread = feeConfig
        spread.slippage = .halfSpread(0.02)
        let cases: [(BacktestConfig, String)] = [(whole, "whole shares"), (perShare, "per-share"), (spread, "spread")]
        for (config, words) in cases {
            var job = try smaJob(["fast=2:8:3", "slow=20:40:10"], settings: Self.settings)
            job.config = config
            var chosen: [String?] = []
            let outcome = try JobRunner.run(job, series: [try spy(300)], evaluatorChosen: { _, why in chosen.append(why) })
            let s = outcome.symbols[0]
            #expect(s.path == "engine" && s.engineReason?.contains(words) == true, "\(words): \(s.engineReason ?? "nil")")
            #expect(chosen.count == 1 && chosen[0] == s.engineReason)
            let json = try JobReport.json(outcome, method: .grid, objective: Objective())
            #expect(json.contains("\"evaluator\":\"engine\"") && json.contains("\"engine_reason\""))
            #expect(JobReport.table(outcome, objective: Objective()).contains("evaluator: engine: " + s.engineReason!))
        }
    }

    @Test func datasetLevelReasonsNameTheSymbolOrTheSwitch() throws {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let space = try SpaceBuilder.space(strategy: d, grids: ["fast=2:4:2", "slow=20:30:10"])
        let off = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([try spy(300)]), config: feeConfig,
                                 objective: Objective(), allowKernel: false)
        #expect(off.datasetReason?.contains("--no-kernel") == true)
        let none = try StrategyCatalog.builtIn.named("buy-and-hold")
        let plain = TrialEvaluator(strategy: none, space: try SpaceBuilder.space(strategy: none, grids: []),
                                   dataset: MarketDataset([try spy(300)]), config: feeConfig, objective: Objective())
        #expect(plain.datasetReason == "buy-and-hold has no exact kernel")
        var split = try spy(300)
        split.splitCoefficient = [Double](repeating: 1, count: split.count)
        split.splitCoefficient![100] = 2
        let actions = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([split]), config: feeConfig, objective: Objective())
        #expect(actions.datasetReason?.contains("dividends or splits") == true)
    }
}
