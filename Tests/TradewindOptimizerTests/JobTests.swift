import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// Three real symbols of the bundled S&P 500 sample, 700 sessions each.
func threeSymbols() throws -> [BarSeries] {
    try DataSource(parsing: "sample:sp500-50").load(LoadOptions(), symbols: ["IBM", "KO", "XOM"]).series
        .map { $0.slice(0..<700) }
}

func scratchFile(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tw-\(UUID().uuidString)-\(name)").path
}

@Suite struct JobTests {
    @Test func theBestTrialCarriesTheEngineSummaryAndOverfittingFigures() throws {
        let series = try spy()
        let job = try smaJob(["fast=2:20:2", "slow=20:80:10"], settings: SearchSettings(method: .grid, topK: 3))
        let r = try #require(try SymbolOptimizer.run(job, series: series))
        let best = try #require(r.best)
        let fast = try #require(best.params["fast"]), slow = try #require(best.params["slow"])
        let result = try StrategyCatalog.builtIn.run("sma-cross", parameters: ["fast": fast, "slow": slow],
                                             data: MarketDataset([series]), config: feeConfig)
        let summary = BacktestSummary(result: result, interval: .daily, strategy: "sma-cross", parameters: "fast=\(fast) slow=\(slow)")
        #expect(best.summary == summary)
        #expect(r.path == "kernel")
        #expect(close(try #require(best.objective), try #require(summary.sharpe), rel: 1e-9))
        let o = try #require(r.overfitting)
        #expect(o.trials == r.evaluations)
        #expect(o.neighbours >= 2 && o.neighbours <= 4)
        let psr = try #require(o.probabilisticSharpe), dsr = try #require(o.deflatedSharpe)
        #expect(dsr < psr)   // deflating for the number of trials lowers the probability
        #expect(try #require(o.robustness) <= 1)
        #expect(r.top.count == 3 && r.top[0].trial == best.trial)
    }

    @Test func walkForwardNeverReadsBarsAfterEachTestWindow() throws {
        let series = try spy(1200)
        let spec = WalkForwardSpec(folds: 3, train: 300, test: 150)
        let job = try smaJob(["fast=2:20:3", "slow=20:80:15"], settings: SearchSettings(method: .grid, topK: 1, robustness: false),
                             validation: .walkForward(spec))
        let base = try #require(try SymbolOptimizer.run(job, series: series)?.validation)
        #expect(base.folds.count == 3)
        #expect(base.stitchedEquity.count == 450)
        let windows = try spec.windows(barCount: series.count)
        for (k, w) in windows.enumerated() {
            #expect(w.train.upperBound <= w.test.lowerBound)
            if k > 0 { #expect(windows[k - 1].test.upperBound <= w.test.lowerBound) }
            // Scramble every bar after this fold's test window: the fold must not change.
            var altered = series
            for i in w.test.upperBound..<series.count {
                let f = 1 + 0.3 * sin(Double(i))
                altered.open[i] *= f; altered.high[i] *= f * 1.01; altered.low[i] *= f * 0.99; altered.close[i] *= f
            }
            let v = try #require(try SymbolOptimizer.run(job, series: altered)?.validation)
            #expect(v.folds[k] == base.folds[k], "fold \(k)")
            // Not vacuous: scrambling the test window itself changes the fold's out-of-sample figures.
            var inside = series
            for i in w.test { inside.open[i] *= 1.2; inside.high[i] *= 1.25; inside.low[i] *= 1.15; inside.close[i] *= 1.2 + 0.01 * sin(Double(i)) }
            let u = try #require(try SymbolOptimizer.run(job, series: inside)?.validation)
            #expect(u.folds[k].outOfSample != base.folds[k].outOfSample)
        }
        // Out of sample the chosen parameters are traded only on the test bars: the stitched figures are
        // those of the folds' returns.
        let trades = base.folds.map(\.outOfSample.trades).reduce(0, +)
        #expect(base.outOfSample.trades == trades)
        #expect(close(base.stitchedEquity.last! - 1, try #require(base.outOfSample.totalReturn), rel: 1e-9))
    }

    @Test func aSplitOptimisesOnlyOnBarsBeforeTheDate() throws {
        let series = try spy(1000)
        let date = series.time[600]
        let job = try smaJob(["fast=2:20:3", "slow=20:80:15"], settings: SearchSettings(method: .grid, topK: 1, robustness: false),
                             validation: .split(date))
        let r = try #require(try SymbolOptimizer.run(job, series: series))
        let inSample = try #require(try SymbolOptimizer.run(
            try smaJob(["fast=2:20:3", "slow=20:80:15"], settings: SearchSettings(method: .grid, topK: 1, robustness: false)),
            series: series.slice(0..<600)))
        #expect(r.best == inSample.best)
        let v = try #require(r.validation)
        #expect(v.folds.count == 1 && v.outOfSample.bars == 400 && v.folds[0].inSample.bars == 600)
    }

    @Test func resumingAnInterruptedJobGivesTheUninterruptedTable() throws {
        let series = try threeSymbols()
        let job = try smaJob(["fast=2:14:4", "slow=20:60:20"], settings: SearchSettings(method: .tpe, trials: 8, seed: 5, topK: 3))
        let full = try JobRunner.run(job, series: series)
        #expect(full.symbols.map(\.symbol) == ["IBM", "KO", "XOM"])
        #expect(!full.interrupted)

        let path = scratchFile("job.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = JobFile(path: path, key: "test job")
        // Interrupt after the first symbol, as Ctrl-C would.
        let cancel = CancellationFlag()
        let first = try JobRunner.run(job, series: series, jobFile: file, cancel: cancel, symbolFinished: { _ in cancel.cancel() })
        #expect(first.interrupted)
        #expect(first.symbols.map(\.symbol) == ["IBM"])
        let resumed = try JobRunner.run(job, series: series, jobFile: file)
        #expect(resumed.resumed == ["IBM"])
        #expect(resumed.evaluations == full.evaluations - full.symbols[0].evaluations)
        #expect(resumed.symbols == full.symbols)
        #expect(JobReport.table(resumed, objective: Objective()) == JobReport.table(full, objective: Objective()))
        // Another job's file is refused.
        #expect(throws: OptimizerError.self) { try JobRunner.run(job, series: series, jobFile: JobFile(path: path, key: "other")) }
    }

    @Test func jsonCarriesTheDocumentedKeys() throws {
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 2))
        let outcome = try JobRunner.run(job, series: [try spy(600)])
        let text = try JobReport.json(outcome, method: .grid, objective: Objective())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["method", "evaluations", "elapsed_seconds", "evaluations_per_second", "best", "top", "overfitting"] {
            #expect(object[key] != nil, "\(key)")
        }
        let best = try #require(object["best"] as? [String: Any])
        for key in ["params", "objective", "final_equity", "total_return", "cagr", "volatility", "sharpe", "sortino", "calmar",
                    "max_drawdown", "trades", "win_rate", "profit_factor", "exposure", "start", "end"] {
            #expect(best.keys.contains(key), "best.\(key)")
        }
        #expect(object["evaluations"] as? Int == 6)
        #expect(object["validation_evaluations"] == nil)   // no walk-forward: no re-optimisations
        #expect((best["max_drawdown"] as? Double ?? -1) >= 0)
    }

    @Test func walkForwardReoptimisationsAreCountedApartAndInTheRate() throws {
        // 3 × 2 grid points (fast < slow holds for all), searched once on the whole series and once per fold.
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 2, robustness: false),
                             validation: .walkForward(WalkForwardSpec(folds: 3, train: 250, test: 100)))
        let outcome = try JobRunner.run(job, series: [try spy(700)])
        #expect(outcome.evaluations == 6)
        #expect(outcome.validationEvaluations == 18)
        #expect(outcome.symbols[0].validationEvaluations == 18)
        let object = try #require(try JSONSerialization.jsonObject(
            with: Data(try JobReport.json(outcome, method: .grid, objective: Objective()).utf8)) as? [String: Any])
        #expect(object["evaluations"] as? Int == 6)
        #expect(object["validation_evaluations"] as? Int == 18)
        let rate = try #require(object["evaluations_per_second"] as? Double)
        #expect(abs(rate - 24 / outcome.elapsedSeconds) <= 1e-9 * rate)
        #expect(JobReport.throughput(outcome).hasPrefix("6 evaluations + 18 in walk-forward folds in "))
    }
}

@Suite struct AutoBoundsTests {
    @Test func autoBoundsUseVolatilityBoundsOfTheBarsBeforeTheFirstTestBar() throws {
        let series = try spy(1000)
        let d = try StrategyCatalog.builtIn.named("rsi2")
        let space = try SpaceBuilder.space(strategy: d, grids: ["entry=10:30:10"])
        var job = OptimizationJob(strategy: d, space: space, constraints: try SpaceBuilder.constraints(strategy: d, extra: [], space: space),
                                  settings: SearchSettings(method: .grid), config: feeConfig, validation: .split(series.time[700]))
        job.autoBounds = ["stop_loss"]
        try job.validate()
        let (symbolJob, used) = try job.forSymbol(series)
        let expected = try VolatilityBounds(series: series.slice(0..<700), parameter: "stop_loss")
        let i = try #require(symbolJob.space.index(of: "stop_loss"))
        #expect(symbolJob.space.dimensions[i].domain == .stepped(expected.range))
        #expect(used["stop_loss"] == "\(expected.range.start):\(expected.range.last):\(expected.range.step)")
        // The whole series gives other bounds: the split's test bars were not used.
        #expect(try VolatilityBounds(series: series, parameter: "stop_loss").range != expected.range)
        job.autoBounds = ["no_such"]
        #expect(throws: OptimizerError.self) { try job.validate() }
    }
}

/// PSR and DSR on intraday data are computed on session returns, so trials from the intraday kernel and from the
/// engine enter the same statistic: both paths must report the same overfitting figures.
@Suite struct IntradayOverfittingTests {
    /// SPY minutes of March 2011 with extended hours; with `haltedDay`, 2011-03-15 keeps only its pre- and
    /// post-market bars (a day with bars but no session, which neither path may count as a session).
    static func march(haltedDay: Bool) throws -> BarSeries {
        let minutes = try DataSource(parsing: "sample:spy-1m-2011").load().series[0]
        let zone = ZoneRules.newYork
        let month = minutes.between(zone.instant(CivilDate(iso: "2011-03-01")!, hour: 0, minute: 0),
                                    zone.instant(CivilDate(iso: "2011-04-01")!, hour: 0, minute: 0))
        guard haltedDay else { return month }
        let day = CivilDate(iso: "2011-03-15")!
        let a = month.firstIndex(atOrAfter: zone.instant(day, hour: 9, minute: 30))
        let b = month.firstIndex(atOrAfter: zone.instant(day, hour: 16, minute: 0))
        #expect(b - a > 300 && month.count - b > 0)
        let keep = Array(0..<a) + Array(b..<month.count)
        return BarSeries(symbol: month.symbol, interval: month.interval, time: keep.map { month.time[$0] },
                         open: keep.map { month.open[$0] }, high: keep.map { month.high[$0] }, low: keep.map { month.low[$0] },
                         close: keep.map { month.close[$0] }, volume: keep.map { month.volume[$0] })
    }

    func optimize(kernel: Bool, haltedDay: Bool = false) throws -> OverfittingFigures {
        let series = try Self.march(haltedDay: haltedDay)
        let d = try StrategyCatalog.builtIn.named("momentum")
        let space = try SpaceBuilder.space(strategy: d, grids: ["buy_trigger=-0.3:0.5:0.2", "sell_trigger=0.2:1.0:0.2"])
        var config = BacktestConfig(commission: CommissionModel(percent: 0.0005))
        config.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        let job = OptimizationJob(strategy: d, space: space, constraints: .none,
                                  settings: SearchSettings(method: .grid, objective: Objective(.totalReturn), topK: 3, robustness: false),
                                  config: config, allowKernel: kernel, threads: 2)
        let r = try #require(try SymbolOptimizer.run(job, series: series))
        #expect(r.path == (kernel ? "kernel" : "engine"))
        return try #require(r.overfitting)
    }

    @Test(arguments: [false, true])
    func kernelAndEngineTrialsGiveTheSameDeflatedSharpe(haltedDay: Bool) throws {
        let k = try optimize(kernel: true, haltedDay: haltedDay), e = try optimize(kernel: false, haltedDay: haltedDay)
        #expect(k.trials == 25 && e.trials == 25)
        let pairs: [(Double?, Double?, String)] = [(k.sharpeVariance, e.sharpeVariance, "sharpe variance"),
                                                   (k.expectedMaxSharpe, e.expectedMaxSharpe, "expected max Sharpe"),
                                                   (k.probabilisticSharpe, e.probabilisticSharpe, "PSR"),
                                                   (k.deflatedSharpe, e.deflatedSharpe, "DSR")]
        for (a, b, name) in pairs {
            let x = try #require(a, "\(name) missing on the kernel path"), y = try #require(b, "\(name) missing on the engine path")
            #expect(abs(x - y) <= 1e-9 * max(abs(y), 1e-12), "\(name): kernel \(x), engine \(y)")
        }
        #expect(try #require(k.deflatedSharpe) <= #require(k.probabilisticSharpe))
    }
}
