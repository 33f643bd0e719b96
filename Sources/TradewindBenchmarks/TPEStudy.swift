import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// TPE search quality across many series: on each series, the best objective TPE finds within `trials` trials,
/// per seed, over the grid optimum of the same space, the sma-cross space of `OptimizerBenchmark` (fast and
/// slow 2…100, fee 0.1 %, default objective Sharpe). Series: bundled daily symbols (split- and
/// dividend-adjusted, so every price is one the kernel path takes) and synthetic daily ones, so that the
/// figure is not only that of the series TPE was tuned on.
///
/// Both sides run `SearchRunner` on one `TrialEvaluator` per series, as `tradewind optimize` does, so a grid
/// point and the TPE trial with the same parameters have the same objective.
public enum TPEStudy {
    public struct Configuration: Sendable {
        /// Bundled `sample:sp500-50` symbols (nil: the first `bundledCount` in the sample's order).
        public var bundled: [String]? = nil
        public var bundledCount = 10
        /// Synthetic daily series (`SyntheticMarket`, seed 1…n, one symbol each).
        public var synthetic = 2
        public var from = CivilDate(year: 2001, month: 1, day: 1)!
        public var to = CivilDate(year: 2020, month: 12, day: 31)!
        public var trials = 200
        public var seeds: [UInt64] = [0, 1, 2, 3, 4]
        public var fill = FillTiming.nextOpen
        public init() {}
    }

    /// One series: its grid optimum and, per seed, TPE's best over it.
    public struct SeriesResult: Sendable {
        public var name: String
        public var bars: Int
        public var optimum: (fast: Int, slow: Int, objective: Double)
        /// Per seed, in the order of `Configuration.seeds`: TPE's best objective / the grid optimum.
        public var ratios: [Double]
        /// Grid points whose objective is at least 95 % of the optimum (the points a search must find), of `gridSize`.
        public var nearOptimal: Int
        public var gridSize: Int
        /// The chance that `trials` distinct uniform draws from the grid include one of the `nearOptimal` points:
        /// how hard the goal is on this series for a search that learns nothing.
        public var uniformHitChance: Double
        /// The shape of the surface at the optimum: the best objective of the 24 other grid points within 2 of it in
        /// fast and slow, and of the points farther than 5 from it (the best elsewhere), each over the optimum.
        public var neighbourhood: Double
        public var elsewhere: Double
        /// Grid points at ≥ 90 % of the optimum.
        public var near90: Int
        public var median: Double { quantile(ratios, 0.5) }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var series: [SeriesResult]
        public var trials: Int
        public var seeds: [UInt64]
        public var fill: FillTiming
        /// Series whose grid optimum is not positive (a ratio to it does not rank searches): listed, not judged.
        public var judged: [SeriesResult] { series.filter { $0.optimum.objective > 0 } }
        /// True when the median over seeds is at least 95 % of the grid optimum on every judged series.
        public var goalMet: Bool { !judged.isEmpty && judged.allSatisfy { $0.median >= 0.95 } }

        public var description: String {
            func pct(_ x: Double) -> String { String(format: "%5.1f %%", x * 100) }
            var lines = ["TPE study: sma-cross fast, slow 2…100 (4,851 grid points), fee 0.1 %, fills \(fill.rawValue), "
                         + "objective Sharpe; \(trials) TPE trials × \(seeds.count) seeds per series; ratio = TPE's best / grid optimum"]
            lines.append("  " + "series".padding(toLength: 16, withPad: " ", startingAt: 0)
                         + "  bars   optimum (fast/slow, Sharpe)   per seed" + String(repeating: " ", count: 32) + "median   min"
                         + "   grid ≥ 95 %   uniform hit   ≥ 90 %   best within 2   best beyond 5")
            for s in series {
                let per = s.ratios.map(pct).joined(separator: " ")
                let optimum = String(format: "%3d/%-3d %7.4f", s.optimum.fast, s.optimum.slow, s.optimum.objective)
                lines.append("  " + s.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                             + String(format: " %5d   ", s.bars) + optimum + String(repeating: " ", count: 13) + per
                             + "  " + pct(s.median) + " " + pct(s.ratios.min() ?? .nan)
                             + String(format: "   %5d / %d   %5.1f %%", s.nearOptimal, s.gridSize, s.uniformHitChance * 100)
                             + String(format: "   %6d   ", s.near90) + pct(s.neighbourhood) + "        " + pct(s.elsewhere)
                             + (s.optimum.objective > 0 ? "" : "  (optimum ≤ 0: not judged)"))
            }
            let all = judged.flatMap(\.ratios)
            let medians = judged.map(\.median)
            lines.append("  all \(all.count) searches: min \(pct(quantile(all, 0))), 10th percentile \(pct(quantile(all, 0.1))), "
                         + "median \(pct(quantile(all, 0.5))), 90th percentile \(pct(quantile(all, 0.9))), max \(pct(quantile(all, 1)))")
            lines.append("  per-series medians: min \(pct(quantile(medians, 0))), median \(pct(quantile(medians, 0.5))); "
                         + "\(medians.filter { $0 >= 0.95 }.count) of \(medians.count) series at ≥ 95 %")
            lines.append("  goal (median ≥ 95 % of the grid optimum on every series): " + (goalMet ? "MET" : "NOT MET"))
            return lines.joined(separator: "\n")
        }
    }

    /// 1 − C(n − k, d) / C(n, d): the chance that `draws` distinct uniform draws from `n` points include one of `k`.
    static func uniformHitChance(hits k: Int, of n: Int, draws d: Int) -> Double {
        guard n > 0, k > 0 else { return 0 }
        guard d < n, n - k >= d else { return 1 }
        var miss = 1.0
        for j in 0..<d { miss *= Double(n - k - j) / Double(n - j) }
        return 1 - miss
    }

    public static func run(_ c: Configuration = Configuration()) throws -> Report {
        let zone = ZoneRules.newYork
        let start = zone.instant(c.from, hour: 0, minute: 0), end = zone.instant(c.to.adding(days: 1), hour: 0, minute: 0)
        var named: [(String, BarSeries)] = []
        if c.bundledCount > 0 || c.bundled != nil {
            let sample = try DataSource(parsing: "sample:sp500-50").load(LoadOptions(), symbols: c.bundled)
            for s in sample.series.prefix(c.bundled?.count ?? c.bundledCount) {
                named.append((s.symbol, s.adjusted(.splitAndDividend).between(start, end)))
            }
        }
        for k in 0..<c.synthetic {
            var s = try SyntheticMarket(seed: UInt64(k + 1)).generate(symbols: 1, from: c.from, to: c.to, interval: .daily).series[0]
            s.symbol = "synthetic-\(k + 1)"
            named.append((s.symbol, s))
        }
        var rows: [SeriesResult] = []
        for (name, var series) in named {
            series.dividend = nil
            series.splitCoefficient = nil
            series.sourceAdjustedClose = nil
            let search = try OptimizerBenchmark.smaCrossSearch(series, low: 2, high: 100, fee: 0.001, fill: c.fill)
            let gridSize = try search.space.gridSize() ?? 0
            let grid = try SearchRunner.run(SearchSettings(method: .grid, topK: max(gridSize, 1)), evaluator: search.evaluator,
                                            constraints: search.constraints)
            guard let best = grid.best else { continue }
            let feasible = grid.top.filter { $0.objective.isFinite }.count
            let near = grid.top.filter { $0.objective >= 0.95 * best.objective }.count
            let at = { (t: RankedTrial) in
                (Int(search.space.numericValue(of: t.point, at: 0)), Int(search.space.numericValue(of: t.point, at: 1)))
            }
            let (f0, s0) = at(best)
            var neighbourhood = -Double.infinity, elsewhere = -Double.infinity
            for t in grid.top where t.objective.isFinite {
                let (f, s) = at(t)
                let d = max(abs(f - f0), abs(s - s0))
                if d >= 1 && d <= 2 { neighbourhood = max(neighbourhood, t.objective) }
                if d > 5 { elsewhere = max(elsewhere, t.objective) }
            }
            var ratios: [Double] = []
            for seed in c.seeds {
                let t = try SearchRunner.run(SearchSettings(method: .tpe, trials: c.trials, seed: seed, topK: 1),
                                             evaluator: search.evaluator, constraints: search.constraints)
                ratios.append((t.best?.objective ?? .nan) / best.objective)
            }
            rows.append(SeriesResult(name: name, bars: series.count,
                                     optimum: (Int(search.space.numericValue(of: best.point, at: 0)),
                                               Int(search.space.numericValue(of: best.point, at: 1)), best.objective),
                                     ratios: ratios, nearOptimal: near, gridSize: feasible,
                                     uniformHitChance: uniformHitChance(hits: near, of: feasible, draws: c.trials),
                                     neighbourhood: neighbourhood / best.objective, elsewhere: elsewhere / best.objective,
                                     near90: grid.top.filter { $0.objective >= 0.9 * best.objective }.count))
        }
        return Report(series: rows, trials: c.trials, seeds: c.seeds, fill: c.fill)
    }
}
