import Dispatch
import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// `tradewind bench optimizer`: grid throughput of the optimizer on `sma-cross` (fast and slow each LOW…HIGH
/// with fast < slow: 4,851 pairs for 2…100) on 20 years of real daily bars (IBM 2001–2020 from the bundled
/// sp500-50 sample, no splits in that period; price bars only, dividends dropped as vectorbt ignores them), fee 0.1 %, against vectorbt (`MA.run_combs` +
/// `Portfolio.from_signals`, Scripts/bench/vectorbt_sma_grid.py) in the same run; and TPE quality on the
/// real Sharpe surface: best Sharpe found within `tpeTrials` trials over the grid optimum, median over seeds.
///
/// The Tradewind figure is the whole grid search as `tradewind optimize` runs it (`SearchRunner`: ask, kernel
/// evaluation on all cores, top-K), best of `runs`; the kernel alone is reported beside it.
public enum OptimizerBenchmark {
    public struct Configuration: Sendable {
        public var symbol = "IBM"
        public var from = CivilDate(year: 2001, month: 1, day: 1)!
        public var to = CivilDate(year: 2020, month: 12, day: 31)!
        public var low = 2
        public var high = 100
        public var fee = 0.001
        public var runs = 3
        public var tpeTrials = 200
        public var tpeSeeds: [UInt64] = [0, 1, 2, 3, 4]
        public var runPeer = true
        public var script = "Scripts/bench/vectorbt_sma_grid.py"
        /// Fills of both sides: next open (default) or the signal bar's close (vectorbt's default).
        public var fill = FillTiming.nextOpen
        public init() {}
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var bars: Int
        public var combinations: Int
        public var cores: Int
        public var seconds: Double
        public var cpuSeconds: Double
        public var kernelSeconds: Double
        public var best: (fast: Int, slow: Int, sharpe: Double)
        public var peer: Result<(seconds: Double, cpu: Double, fast: Int, slow: Int, sharpe: Double, version: String), PeerUnavailable>
        public var tpeRatios: [Double]
        public var fill = FillTiming.nextOpen

        public var perSecond: Double { Double(combinations) / seconds }
        public var tpeMedian: Double { let s = tpeRatios.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }

        public var description: String {
            func f(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }
            var lines = [
                "optimizer benchmark: sma-cross grid, \(combinations) combinations (fast < slow), \(bars) daily bars, fee 0.1 %, "
                    + "\(fill.rawValue) fills, \(cores) core(s)",
                "  Tradewind (grid search, kernel):  \(f(seconds, 4)) s wall, \(f(cpuSeconds, 4)) s CPU  -> \(f(perSecond, 0)) combinations/s"
                    + " (\(f(Double(combinations) / cpuSeconds, 0)) per CPU-second)",
                "  Tradewind kernel alone:            \(f(kernelSeconds, 4)) s wall -> \(f(Double(combinations) / kernelSeconds, 0)) combinations/s",
                "  best: fast=\(best.fast) slow=\(best.slow) sharpe \(f(best.sharpe, 4))",
            ]
            switch peer {
            case let .success(p):
                lines.append("  vectorbt \(p.version):                \(f(p.seconds, 3)) s wall, \(f(p.cpu, 3)) s CPU  -> \(f(Double(combinations) / p.seconds, 0)) combinations/s")
                lines.append("  ratio: \(f(p.seconds / seconds, 0))× wall, \(f(p.cpu / cpuSeconds, 0))× CPU time (goal ≥ 500×)")
                lines.append("  vectorbt best: fast=\(p.fast) slow=\(p.slow) (its Sharpe \(f(p.sharpe, 4)), own annualisation) -> "
                             + (p.fast == best.fast && p.slow == best.slow ? "same best parameters" : "DIFFERENT best parameters"))
            case let .failure(why):
                lines.append("  vectorbt: not measured (\(why))")
            }
            lines.append("  TPE (\(tpeRatios.count) seeds): best Sharpe / grid optimum = "
                         + tpeRatios.map { f($0 * 100, 1) + " %" }.joined(separator: ", ") + "; median \(f(tpeMedian * 100, 1)) % (goal ≥ 95 %)")
            return lines.joined(separator: "\n")
        }
    }

    static func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The sma-cross search of this benchmark on `series`: fast and slow `low…high` step 1 (fast < slow), a
    /// percent commission `fee`, fills `fill`, and the evaluator `tradewind optimize` builds for the default objective.
    public static func smaCrossSearch(_ series: BarSeries, low: Int, high: Int, fee: Double, fill: FillTiming) throws
        -> (space: ParameterSpace, constraints: ConstraintSet, evaluator: TrialEvaluator) {
        let strategy = try StrategyCatalog.builtIn.named("sma-cross")
        let space = try SpaceBuilder.space(strategy: strategy, grids: ["fast=\(low):\(high):1", "slow=\(low):\(high):1"])
        let constraints = try SpaceBuilder.constraints(strategy: strategy, extra: [], space: space)
        let config = BacktestConfig(commission: CommissionModel(percent: fee), fillTiming: fill)
        let evaluator = TrialEvaluator(strategy: strategy, space: space, dataset: MarketDataset([series]), config: config,
                                       objective: SearchSettings(method: .grid, topK: 1).objective)
        return (space, constraints, evaluator)
    }

    public static func run(_ c: Configuration = Configuration()) throws -> Report {
        let zone = ZoneRules.newYork
        let full = try DataSource(parsing: "sample:sp500-50").load(LoadOptions(), symbols: [c.symbol]).series[0]
        var series = full.between(zone.instant(c.from, hour: 0, minute: 0), zone.instant(c.to.adding(days: 1), hour: 0, minute: 0))
        // Price bars only (vectorbt's backtest ignores dividends; the kernel path needs bars without them).
        series.dividend = nil
        series.splitCoefficient = nil
        series.sourceAdjustedClose = nil
        let settings = SearchSettings(method: .grid, topK: 1)
        let (space, constraints, evaluator) = try smaCrossSearch(series, low: c.low, high: c.high, fee: c.fee, fill: c.fill)

        var seconds = Double.infinity, cpuSeconds = Double.infinity
        var outcome: SearchOutcome?
        for _ in 0..<max(1, c.runs) {
            let t0 = now(), c0 = cpu()
            let o = try SearchRunner.run(settings, evaluator: evaluator, constraints: constraints)
            let t = now() - t0
            if t < seconds { seconds = t; cpuSeconds = cpu() - c0 }
            outcome = o
        }
        guard let o = outcome, let best = o.best else { throw OptimizerError.invalidWindows(reason: "no feasible trial") }
        let fast = Int(space.numericValue(of: best.point, at: 0)), slow = Int(space.numericValue(of: best.point, at: 1))

        var pairs: [SMACrossKernel.Pair] = []
        for f in c.low...c.high { for s in (f + 1)...max(f + 1, c.high) where s <= c.high { pairs.append(.init(fast: f, slow: s)) } }
        var kernelSeconds = Double.infinity
        for _ in 0..<max(1, c.runs) {
            let t0 = now()
            _ = try SMACrossKernel.evaluate(series: series, pairs: pairs, costs: KernelCosts(commission: c.fee),
                                            fillAtClose: c.fill == .signalClose)
            kernelSeconds = min(kernelSeconds, now() - t0)
        }

        // TPE on the real surface: best found / grid optimum.
        var ratios: [Double] = []
        for seed in c.tpeSeeds {
            let s = SearchSettings(method: .tpe, trials: c.tpeTrials, seed: seed, topK: 1)
            let t = try SearchRunner.run(s, evaluator: evaluator, constraints: constraints)
            ratios.append((t.best?.objective ?? .nan) / best.objective)
        }

        var peer: Result<(seconds: Double, cpu: Double, fast: Int, slow: Int, sharpe: Double, version: String), PeerUnavailable>
            = .failure(.failed("skipped"))
        if c.runPeer {
            let csv = NSTemporaryDirectory() + "tradewind-bench-optimizer-\(getpid()).csv"
            var text = "open,close\n"
            for i in 0..<series.count { text += "\(series.open[i]),\(series.close[i])\n" }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: csv) }
            peer = runPython(script: c.script, arguments: [csv, String(c.low), String(c.high), String(c.fee), c.fill.rawValue]).flatMap { lines in
                guard let last = lines.last, let o = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
                      let s = o["seconds"] as? Double, let cp = o["cpu"] as? Double, let f = o["best_fast"] as? Int,
                      let sl = o["best_slow"] as? Int, let sh = o["best_sharpe"] as? Double else {
                    return .failure(.failed("unexpected output from \(c.script)"))
                }
                return .success((s, cp, f, sl, sh, o["version"] as? String ?? "?"))
            }
        }
        return Report(bars: series.count, combinations: o.evaluations, cores: KernelThreads.cores, seconds: seconds,
                      cpuSeconds: cpuSeconds, kernelSeconds: kernelSeconds, best: (fast, slow, best.objective), peer: peer,
                      tpeRatios: ratios, fill: c.fill)
    }
}
