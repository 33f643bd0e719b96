import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// Real SPY daily bars (2007–2013), cut to `bars`.
func spy(_ bars: Int = 900) throws -> BarSeries {
    let s = try DataSource(parsing: "sample:spy-daily").load().series[0]
    return s.slice(0..<min(bars, s.count))
}

let feeConfig = BacktestConfig(commission: CommissionModel(percent: 0.001))

func smaJob(_ grids: [String], settings: SearchSettings, kernel: Bool = true, threads: ThreadBudget = 4,
            validation: ValidationPlan = .none) throws -> OptimizationJob {
    let d = try StrategyCatalog.builtIn.named("sma-cross")
    let space = try SpaceBuilder.space(strategy: d, grids: grids)
    let constraints = try SpaceBuilder.constraints(strategy: d, extra: [], space: space)
    return OptimizationJob(strategy: d, space: space, constraints: constraints, settings: settings, config: feeConfig,
                           validation: validation, allowKernel: kernel, threads: threads)
}

@Suite struct RunnerTests {
    @Test func gridResultsEqualTheEngineBacktestOfTheSameParameters() throws {
        let series = try spy()
        let job = try smaJob(["fast=5:20:5", "slow=20:60:20"], settings: SearchSettings(method: .grid, topK: 100), kernel: false)
        let ev = job.evaluator(series)
        let o = try SearchRunner.run(job.settings, evaluator: ev, constraints: job.constraints)
        #expect(o.evaluations == 11)   // 4 × 3 points less (20, 20), which fails fast < slow
        #expect(o.top.count == 11)
        for t in o.top {
            let fast = Int(job.space.numericValue(of: t.point, at: 0)), slow = Int(job.space.numericValue(of: t.point, at: 1))
            // What `tradewind backtest --strategy sma-cross --param fast=… --param slow=… --commission 0.001` runs.
            let result = try StrategyCatalog.builtIn.run("sma-cross", parameters: ["fast": "\(fast)", "slow": "\(slow)"],
                                                 data: MarketDataset([series]), config: feeConfig)
            let summary = BacktestSummary(result: result, interval: .daily)
            let expected = TrialMetrics(summary: summary)
            for m in OptimizationMetric.allCases {
                let a = t.metrics[m.index], b = expected[m]
                #expect(a == b || (a.isNaN && b.isNaN), "\(m.rawValue) fast=\(fast) slow=\(slow)")
            }
            #expect(t.objective == summary.sharpe)
        }
    }

    @Test func kernelPathEqualsEnginePathForTheBestTrials() throws {
        let series = try spy()
        let grids = ["fast=2:30:4", "slow=10:90:10"]
        let s = SearchSettings(method: .grid, topK: 5)
        let kernelJob = try smaJob(grids, settings: s, kernel: true)
        let engineJob = try smaJob(grids, settings: s, kernel: false)
        let ev = kernelJob.evaluator(series)
        #expect(ev.usesKernel(try ev.parameters(kernelJob.space.gridPoint(1))))
        let k = try SearchRunner.run(s, evaluator: ev, constraints: kernelJob.constraints)
        let e = try SearchRunner.run(s, evaluator: engineJob.evaluator(series), constraints: engineJob.constraints)
        #expect(k.evaluations == e.evaluations)
        #expect(k.top.map { $0.number } == e.top.map { $0.number })
        for (a, b) in zip(k.top, e.top) {
            for m in OptimizationMetric.kernelMetrics {
                #expect(close(a.metrics[m.index], b.metrics[m.index], rel: 1e-9), "\(m.rawValue) trial \(a.number)")
            }
        }
    }

    @Test func tpeThroughTheRunnerReachesTheGridOptimum() throws {
        let series = try spy()
        let grids = ["fast=2:40:2", "slow=10:120:10"]
        let grid = try SearchRunner.run(SearchSettings(method: .grid, topK: 1), evaluator: try smaJob(grids, settings: SearchSettings()).evaluator(series),
                                        constraints: try smaJob(grids, settings: SearchSettings()).constraints)
        let best = try #require(grid.best).objective
        #expect(grid.evaluations > 80)
        // The sma-cross Sharpe surface is spiky (few trades): judge TPE by its median over 5 seeds.
        var found: [Double] = []
        for seed in UInt64(1)...5 {
            let tpeSettings = SearchSettings(method: .tpe, trials: 80, seed: seed, topK: 1)
            let job = try smaJob(grids, settings: tpeSettings)
            let tpe = try SearchRunner.run(tpeSettings, evaluator: job.evaluator(series), constraints: job.constraints)
            #expect(tpe.evaluations == 80)
            found.append(try #require(tpe.best).objective)
        }
        #expect(found.sorted()[2] >= 0.95 * best)
        #expect(found.allSatisfy { $0 <= best })
    }

    @Test func aFixedSeedGivesTheSameTrialsWhateverTheThreadCount() throws {
        let series = try spy(600)
        for method in [SearchMethodKind.random, .tpe] {
            let s = SearchSettings(method: method, trials: 24, seed: 42, topK: 24, batchSize: 6)
            let one = try smaJob(["fast=2:30:1", "slow=10:100:5"], settings: s, kernel: false, threads: 1)
            let four = try smaJob(["fast=2:30:1", "slow=10:100:5"], settings: s, kernel: false, threads: 4)
            let a = try SearchRunner.run(s, evaluator: one.evaluator(series), constraints: one.constraints)
            let b = try SearchRunner.run(s, evaluator: four.evaluator(series), constraints: four.constraints)
            #expect(a.top == b.top, "\(method)")
            #expect(a.objectiveByTrial.map(\.bitPattern) == b.objectiveByTrial.map(\.bitPattern))
            let c = try SearchRunner.run(SearchSettings(method: method, trials: 24, seed: 43, topK: 24, batchSize: 6),
                                         evaluator: one.evaluator(series), constraints: one.constraints)
            #expect(a.top.map(\.point) != c.top.map(\.point), "another seed draws other points")
        }
    }

    @Test func minTradesMakesTrialsInfeasibleAndTheResultsTableHoldsEveryTrial() throws {
        let series = try spy(600)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-opt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = SearchSettings(method: .grid, minTrades: 3, topK: 3)
        let job = try smaJob(["fast=2:20:3", "slow=10:80:10"], settings: s)
        let path = dir.appendingPathComponent("r.csv").path
        let writer = try ResultsTableWriter(path: path, space: job.space, metricNames: OptimizationMetric.allCases.map(\.rawValue))
        let o = try SearchRunner.run(s, evaluator: job.evaluator(series), constraints: job.constraints, results: writer)
        try writer.finish()
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == o.evaluations + 1)
        #expect(rows[0].hasPrefix("trial,fast,slow,objective,final_equity"))
        for t in o.top where t.objective.isFinite { #expect(t.metrics[OptimizationMetric.trades.index] >= 3) }
        #expect(o.feasible < o.evaluations)   // some trials trade fewer than 3 times
        // The top of the table equals the best rows of the full CSV (objective column, ties by trial).
        var parsed: [(trial: Int, objective: Double)] = []
        for r in rows.dropFirst() {
            let c = r.split(separator: ",", omittingEmptySubsequences: false)
            let objective: Double = Double(String(c[3])) ?? .nan
            if objective.isFinite { parsed.append((Int(String(c[0]))!, objective)) }
        }
        parsed.sort { a, b in a.objective != b.objective ? a.objective > b.objective : a.trial < b.trial }
        let best3: [Int] = parsed.prefix(3).map { $0.trial }
        #expect(best3 == o.top.map { $0.number })

        let none = SearchSettings(method: .grid, minTrades: 10_000)
        let n = try SearchRunner.run(none, evaluator: job.evaluator(series), constraints: job.constraints)
        #expect(n.best == nil && n.feasible == 0)
    }

    @Test func invalidSpecsAreErrorsBeforeAnyWork() throws {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        #expect(throws: OptimizerError.unknownParameter("fastest", known: ["fast", "slow"])) {
            try SpaceBuilder.space(strategy: d, grids: ["fastest=1:5:1"])
        }
        #expect(throws: OptimizerError.self) { try SpaceBuilder.space(strategy: d, grids: ["fast=10:5:1"]) }
        #expect(throws: OptimizerError.nonPositiveStep(parameter: "fast", step: "0")) {
            try SpaceBuilder.space(strategy: d, grids: ["fast=1:5:0"])
        }
        #expect(throws: OptimizerError.duplicateParameter("fast")) {
            try SpaceBuilder.space(strategy: d, grids: ["fast=1:5:1"], fixed: ["fast=3"])
        }
        // fast 50..60 never below slow 10..20: the strategy's own rule leaves no point.
        let job = try smaJob(["fast=50:60:1", "slow=10:20:1"], settings: SearchSettings())
        #expect(throws: OptimizerError.noFeasiblePoint(constraints: ["fast < slow"], checked: 121)) { try job.validate() }
        #expect(throws: OptimizerError.self) { try Objective.parse("sharp") }
        #expect(try Objective.parse("-max_drawdown") == Objective(.maxDrawdown, .minimize))
        // Undeclared parameters keep their defaults: slow stays 30 when only fast is searched.
        let space = try SpaceBuilder.space(strategy: d, grids: ["fast=2:4:1"])
        #expect(space.values(of: space.gridPoint(0)).map(\.value.description) == ["2", "30"])
    }
}

@Suite struct KernelEligibilityTests {
    @Test func seriesWithDividendsGoThroughTheEngine() throws {
        // IBM pays dividends: the engine books them, the kernel would not.
        let ibm = try DataSource(parsing: "sample:sp500-50").load(LoadOptions(), symbols: ["IBM"]).series[0].slice(0..<600)
        #expect(TrialEvaluator.hasCorporateActions(ibm))
        let job = try smaJob(["fast=5:15:5", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 10))
        let ev = job.evaluator(ibm)
        #expect(!ev.usesKernel(try ev.parameters(job.space.gridPoint(0))))
        let o = try SearchRunner.run(job.settings, evaluator: ev, constraints: job.constraints)
        let engine = try smaJob(["fast=5:15:5", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 10), kernel: false)
        let e = try SearchRunner.run(engine.settings, evaluator: engine.evaluator(ibm), constraints: engine.constraints)
        #expect(o.top == e.top)
        var plain = ibm
        plain.dividend = nil
        #expect(job.evaluator(plain).usesKernel(try ev.parameters(job.space.gridPoint(0))))
    }
}

@Suite struct IntradayKernelPathTests {
    @Test(arguments: ["momentum", "open-10am", "open-10am-stop", "vwap-momentum"])
    func intradayKernelTrialsEqualEngineTrialsOnTheMetricsBothDefineAlike(_ name: String) throws {
        let minutes = try DataSource(parsing: "sample:spy-1m-2011").load().series[0]
        let zone = ZoneRules.newYork
        let series = minutes.between(zone.instant(CivilDate(iso: "2011-03-01")!, hour: 0, minute: 0),
                                     zone.instant(CivilDate(iso: "2011-04-15")!, hour: 0, minute: 0))
        let d = try StrategyCatalog.builtIn.named(name)
        let space = try SpaceBuilder.space(strategy: d, grids: ["buy_trigger=-0.3:0.5:0.4", "sell_trigger=0.3:0.9:0.3"],
                                           choices: ["compound=true,false"])
        var config = BacktestConfig(commission: CommissionModel(percent: 0.0005))
        config.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        // The default objective (Sharpe on bar returns) and every other figure of the engine's summary.
        for objective in [Objective(), Objective(.sortino), Objective(.calmar), Objective(.profitFactor), Objective(.exposure, .minimize)] {
            let settings = SearchSettings(method: .grid, objective: objective, topK: 100)
            let fast = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: config, objective: objective)
            let slow = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: config,
                                      objective: objective, allowKernel: false)
            #expect(fast.usesKernel(try fast.parameters(space.gridPoint(0))), "\(name) \(objective)")
            let k = try SearchRunner.run(settings, evaluator: fast, constraints: .none)
            let e = try SearchRunner.run(settings, evaluator: slow, constraints: .none)
            #expect(k.evaluations == 18)
            #expect(k.top.map { $0.number } == e.top.map { $0.number }, "\(name) \(objective)")
            var traded = 0
            for (a, b) in zip(k.top, e.top) {
                for m in OptimizationMetric.allCases {
                    let x = a.metrics[m.index], y = b.metrics[m.index]
                    #expect((x.isNaN && y.isNaN) || abs(x - y) <= 1e-9 * max(1, abs(y)), "\(name) \(m.rawValue) trial \(a.number): \(x) vs \(y)")
                }
                traded += Int(b.metrics[OptimizationMetric.trades.index])
            }
            #expect(traded > 20, "\(name)")
        }
    }
}

/// The kernel's ranked trials `k` are the engine's `e`: same order, every kernel figure within 1e-9.
func expectSameTrials(_ k: SearchOutcome, _ e: SearchOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(k.top.map { $0.number } == e.top.map { $0.number }, sourceLocation: sourceLocation)
    for (a, b) in zip(k.top, e.top) {
        for m in OptimizationMetric.kernelMetrics {
            let x = a.metrics[m.index], y = b.metrics[m.index]
            #expect((x.isNaN && y.isNaN) || close(x, y, rel: 1e-9), "\(m.rawValue) trial \(a.number)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct RSI2KernelPathTests {
    @Test func rsi2KernelTrialsEqualEngineTrials() throws {
        let series = try spy()
        let d = try StrategyCatalog.builtIn.named("rsi2")
        let space = try SpaceBuilder.space(strategy: d, grids: ["entry=10:30:10", "exit=60:80:10", "rsi_period=2:4:1"])
        let constraints = try SpaceBuilder.constraints(strategy: d, extra: [], space: space)
        let s = SearchSettings(method: .grid, topK: 27)
        let fast = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: feeConfig, objective: s.objective)
        let slow = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: feeConfig, objective: s.objective,
                                  allowKernel: false)
        #expect(fast.usesKernel(try fast.parameters(space.gridPoint(0))))
        let k = try SearchRunner.run(s, evaluator: fast, constraints: constraints)
        let e = try SearchRunner.run(s, evaluator: slow, constraints: constraints)
        #expect(k.evaluations == 27)
        expectSameTrials(k, e)
    }
}

/// A hedged `rsi2` run (two symbols together) goes through `RSI2HedgeKernel` and ranks its trials as the engine does.
@Suite struct RSI2HedgeKernelPathTests {
    @Test func hedgedRSI2TrialsOnTwoSymbolsGoThroughTheKernelAndEqualEngineTrials() throws {
        let data = try DataSource(parsing: "sample:eqker-daily").load(symbols: ["QQQ", "TZA"])
        let d = try StrategyCatalog.builtIn.named("rsi2")
        let space = try SpaceBuilder.space(strategy: d, grids: ["entry=10:30:10", "hedge_entry=70:90:10", "hedge_size=0.1:0.3:0.1"],
                                           fixed: ["hedge_symbol=TZA", "position_size=0.7"])
        let constraints = try SpaceBuilder.constraints(strategy: d, extra: [], space: space)
        let s = SearchSettings(method: .grid, topK: 27)
        let fast = TrialEvaluator(strategy: d, space: space, dataset: data, config: feeConfig, objective: s.objective)
        let slow = TrialEvaluator(strategy: d, space: space, dataset: data, config: feeConfig, objective: s.objective, allowKernel: false)
        let first = try fast.parameters(space.gridPoint(0))
        #expect(fast.usesKernel(first) && fast.engineReason(first) == nil)
        let k = try SearchRunner.run(s, evaluator: fast, constraints: constraints)
        let e = try SearchRunner.run(s, evaluator: slow, constraints: constraints)
        #expect(k.evaluations == 27)
        expectSameTrials(k, e)
        // Without the hedge, two symbols are not the kernel's: the engine runs them, and says why.
        let unhedged = try d.parameters([:])
        #expect(!fast.usesKernel(unhedged) && fast.engineReason(unhedged) != nil)
    }
}

/// `TrialEvaluator.parameters` resolves grid levels once per level; every point must still get exactly the
/// parameters the command line's `name=value` texts give (the definition), and the same rejections.
@Suite struct TrialParameterTests {
    /// The definition: each value's text unless it is the default's, validated by the strategy.
    func byText(_ d: StrategyDescriptor, _ space: ParameterSpace, _ point: ParameterPoint) -> StrategyParameters? {
        let defaults = Dictionary(d.parameterSpecs.map { ($0.name, $0.defaultValue.description) }, uniquingKeysWith: { a, _ in a })
        var overrides: [String: String] = [:]
        for (name, value) in space.values(of: point) where value.description != defaults[name] { overrides[name] = value.description }
        return try? d.parameters(overrides)
    }

    @Test func everyGridPointGetsTheParametersOfItsCommandLineTexts() throws {
        let d = try StrategyCatalog.builtIn.named("rsi2")
        // Integer and real steps, a level at its default (entry 30), levels out of range (entry 120,
        // rsi_period 0), a choice, a fixed value and a continuous dimension.
        let space = try ParameterSpace([
            .integer("rsi_period", 0, 4, step: 2),
            .real("entry", 0, 120, step: 30),
            .choices("filter_trend", [.string("true"), .string("false")]),
            .fixed("exit", .real(80)),
            .continuous("stop_loss", 0, 150),
        ])
        let ev = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([try spy(300)]), config: feeConfig,
                                objective: Objective())
        var accepted = 0, rejected = 0
        for a in 0..<3 { for b in 0..<5 { for c in 0..<2 {
            for stop in [0.0, 2.5, 5.0, 99.0, 140.0] {
                let point = ParameterPoint(coordinates: [Double(a), Double(b), Double(c), 0, stop])
                let expected = byText(d, space, point)
                let got = try? ev.parameters(point)
                #expect(got == expected, "point \(space.values(of: point))")
                if got == nil { rejected += 1 } else { accepted += 1 }
            }
        }}}
        #expect(accepted > 0 && rejected > 0)
    }

    @Test func aDimensionTheStrategyDoesNotDeclareRejectsEveryPoint() throws {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let space = try ParameterSpace([.integer("fast", 5, 10), .integer("speed", 1, 3)])
        let ev = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([try spy(300)]), config: feeConfig,
                                objective: Objective())
        #expect(throws: ParameterError.self) { try ev.parameters(space.gridPoint(0)) }
        #expect(ev.evaluate([space.gridPoint(0), space.gridPoint(3)]).allSatisfy { !$0[.finalEquity].isFinite })
    }
}
