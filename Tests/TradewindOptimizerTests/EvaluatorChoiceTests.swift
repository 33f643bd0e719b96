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

    /// sma-cross's kernel models neither a margin account nor a volume cap (the long-only classics' and rsi2's do): the
    /// engine runs and the reason names the setting.
    @Test func eachSettingTheKernelsDoNotModelIsNamedAsTheEnginesReason() throws {
        var margin = feeConfig
        margin.account = .margin(initialMargin: 0.5, maintenanceMargin: 0.25)
        var capped = feeConfig
        capped.volumeParticipation = 0.1
        let cases: [(BacktestConfig, String)] = [(margin, "margin account"), (capped, "volume cap")]
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

    /// Every kernel models every cost setting (the intraday one through its per-combination pass); a volume cap
    /// is named.
    @Test func costSettingsAreCoveredByTheKernelsAndAVolumeCapIsNamed() throws {
        var whole = feeConfig
        whole.wholeShares = true
        var config = whole
        config.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        let momentum = try StrategyCatalog.builtIn.named("momentum")
        let minutes = try DataSource(parsing: "sample:eqker-1m").load(LoadOptions(), symbols: ["SPY"]).series[0]
        let intraday = TrialEvaluator(strategy: momentum, space: try SpaceBuilder.space(strategy: momentum, grids: ["buy_trigger=0.5:1:0.5"]),
                                      dataset: MarketDataset([minutes]), config: config, objective: Objective())
        #expect(intraday.engineReason(try momentum.parameters([:])) == nil)
        var capped = config
        capped.volumeParticipation = 0.05
        let cappedEvaluator = TrialEvaluator(strategy: momentum, space: try SpaceBuilder.space(strategy: momentum, grids: ["buy_trigger=0.5:1:0.5"]),
                                             dataset: MarketDataset([minutes]), config: capped, objective: Objective())
        #expect(cappedEvaluator.engineReason(try momentum.parameters([:]))?.contains("volume cap") == true)
        let job = try smaJob(["fast=2:8:3", "slow=20:40:10"], settings: Self.settings)
        var wholeJob = job
        wholeJob.config = whole
        let outcome = try JobRunner.run(wholeJob, series: [try spy(300)])
        #expect(outcome.symbols[0].path == "kernel" && outcome.symbols[0].engineReason == nil)
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
