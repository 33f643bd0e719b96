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
/// The grid runs `SearchRunner` on one `TrialEvaluator` per series, as `tradewind optimize` does. The searches
/// then read that surface: a TPE trial is asked of the sampler `SearchRunner.method` builds, one at a time (the
/// runner's TPE batch), and told the grid's objective of its point, which is what the evaluator (deterministic)
/// would answer. So several sampler settings (`variants`) and Optuna's TPE (the peer, `Scripts/bench/optuna_tpe_study.py`,
/// given the same surfaces) are compared on the very same objective, and a search costs no backtests.
public enum TPEStudy {
    /// A TPE configuration under study, with its label.
    public struct Variant: Sendable {
        public var label: String
        public var tpe: TPEConfiguration
        public init(label: String, tpe: TPEConfiguration) {
            self.label = label
            self.tpe = tpe
        }

        /// The sampler's defaults.
        public static let defaults = Variant(label: "default", tpe: TPEConfiguration())

        /// Settings `key=value,…` over the defaults: `multivariate`, `endpoints` (consider endpoints), `repeats`
        /// (allow asking a point twice) as 0 or 1; `candidates` (EI candidates) and `startup` (startup trials) as
        /// integers ≥ 1 and ≥ 0; `prior` (prior weight) as a number ≥ 0; `refine` (refinement fraction of the budget)
        /// as a number in 0…1. The label is the text itself.
        public init(parsing text: String) throws(OptimizerError) {
            var c = TPEConfiguration()
            for item in text.split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
                let valid = "multivariate=0|1, endpoints=0|1, repeats=0|1, candidates=N≥1, startup=N≥0, prior=x≥0, refine=x in 0…1"
                guard kv.count == 2 else { throw .invalidArgument(name: "TPE setting", value: String(item), valid: valid) }
                let (key, value) = (kv[0], kv[1])
                func flag() throws(OptimizerError) -> Bool {
                    guard value == "0" || value == "1" else { throw .invalidArgument(name: key, value: value, valid: "0 or 1") }
                    return value == "1"
                }
                switch key {
                case "multivariate": c.multivariate = try flag()
                case "endpoints": c.considerEndpoints = try flag()
                case "repeats": c.distinctPoints = !(try flag())
                case "candidates", "startup":
                    guard let n = Int(value), n >= (key == "candidates" ? 1 : 0) else {
                        throw .invalidArgument(name: key, value: value, valid: key == "candidates" ? "an integer ≥ 1" : "an integer ≥ 0")
                    }
                    if key == "candidates" { c.eiCandidates = n } else { c.startupTrials = n }
                case "prior":
                    guard let x = Double(value), x >= 0, x.isFinite else { throw .invalidArgument(name: key, value: value, valid: "a number ≥ 0") }
                    c.priorWeight = x
                case "refine":
                    guard let x = Double(value), (0...1).contains(x) else { throw .invalidArgument(name: key, value: value, valid: "a number in 0…1") }
                    c.refinementFraction = x
                default:
                    throw .invalidArgument(name: "TPE setting", value: key, valid: valid)
                }
            }
            self.init(label: text, tpe: c)
        }
    }

    public struct Configuration: Sendable {
        /// Bundled `sample:sp500-50` symbols (nil: the first `bundledCount` in the sample's order).
        public var bundled: [String]? = nil
        public var bundledCount = 10
        /// Sample symbols skipped before the first `bundledCount` (held-out series: those after the study's own).
        public var bundledOffset = 0
        /// Synthetic daily series (`SyntheticMarket`, seed `syntheticFirstSeed`…, one symbol each).
        public var synthetic = 2
        public var syntheticFirstSeed: UInt64 = 1
        public var from = CivilDate(year: 2001, month: 1, day: 1)!
        public var to = CivilDate(year: 2020, month: 12, day: 31)!
        public var trials = 200
        public var seeds: [UInt64] = [0, 1, 2, 3, 4]
        public var fill = FillTiming.nextOpen
        /// The TPE settings compared, each on every series and seed.
        public var variants: [Variant] = [.defaults]
        /// Run Optuna's `TPESampler` (defaults, `multivariate=True` as in Optuna 5) on the same surfaces.
        public var runOptuna = true
        /// The peer script, relative to the working directory (the repository root).
        public var optunaScript = "Scripts/bench/optuna_tpe_study.py"
        public init() {}
    }

    /// A point of the sma-cross space by its parameter values.
    struct FastSlow: Hashable {
        let fast: Int, slow: Int
        init(_ p: ParameterPoint, _ space: ParameterSpace) {
            fast = Int(space.numericValue(of: p, at: 0))
            slow = Int(space.numericValue(of: p, at: 1))
        }
    }

    /// One sampler's searches of one series.
    public struct Searches: Sendable {
        /// Per seed, in the order of `Configuration.seeds`: the best objective found / the grid optimum.
        public var ratios: [Double]
        /// Per seed: distinct feasible points among the trials.
        public var distinct: [Int]
        public var median: Double { quantile(ratios, 0.5) }
    }

    /// One series: its grid optimum and, per seed, TPE's best over it.
    public struct SeriesResult: Sendable {
        public var name: String
        public var bars: Int
        public var optimum: (fast: Int, slow: Int, objective: Double)
        /// Per variant (in the order of `Configuration.variants`): its searches.
        public var searches: [Searches]
        /// Optuna's searches (nil when not run).
        public var optuna: Searches?
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
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var series: [SeriesResult]
        public var trials: Int
        public var seeds: [UInt64]
        public var fill: FillTiming
        public var variants: [Variant]
        /// Optuna's version, or why it was not measured (nil when not asked for).
        public var optunaVersion: String?
        public var optunaError: String?
        /// Series whose grid optimum is not positive (a ratio to it does not rank searches): listed, not judged.
        public var judged: [SeriesResult] { series.filter { $0.optimum.objective > 0 } }
        /// True when variant v's median over seeds is at least 95 % of the grid optimum on every judged series.
        public func goalMet(variant v: Int) -> Bool { !judged.isEmpty && judged.allSatisfy { $0.searches[v].median >= 0.95 } }

        public var description: String {
            func pct(_ x: Double) -> String { String(format: "%5.1f %%", x * 100) }
            var lines = ["TPE study: sma-cross fast, slow 2…100 (4,851 grid points), fee 0.1 %, fills \(fill.rawValue), "
                         + "objective Sharpe; \(trials) trials × \(seeds.count) seeds per series; ratio = best found / grid optimum"]
            lines.append("  series: " + series.map { s in
                s.name + String(format: " (%d bars, optimum %d/%d %.4f, grid ≥ 95 %%: %d of %d, uniform hit %.1f %%, ≥ 90 %%: %d, "
                                + "best within 2: %.1f %%, best beyond 5: %.1f %%)", s.bars, s.optimum.fast, s.optimum.slow,
                                s.optimum.objective, s.nearOptimal, s.gridSize, s.uniformHitChance * 100, s.near90,
                                s.neighbourhood * 100, s.elsewhere * 100)
                + (s.optimum.objective > 0 ? "" : " — optimum ≤ 0: not judged")
            }.joined(separator: "\n          "))
            var samplers: [(String, (SeriesResult) -> Searches?)] = variants.enumerated().map { v, variant in
                ("Tradewind TPE [\(variant.label)]", { $0.searches[v] })
            }
            if let optunaVersion { samplers.append(("Optuna \(optunaVersion) TPESampler (multivariate)", { $0.optuna })) }
            for (name, searches) in samplers {
                lines.append("")
                lines.append("  " + name)
                lines.append("    " + "series".padding(toLength: 14, withPad: " ", startingAt: 0) + "per seed"
                             + String(repeating: " ", count: 36) + "median     min   distinct points per seed")
                for s in series {
                    guard let r = searches(s) else { continue }
                    lines.append("    " + s.name.padding(toLength: 14, withPad: " ", startingAt: 0) + r.ratios.map(pct).joined(separator: " ")
                                 + "  " + pct(r.median) + " " + pct(r.ratios.min() ?? .nan) + "   "
                                 + r.distinct.map { String(format: "%3d", $0) }.joined(separator: " "))
                }
                let rs = judged.compactMap(searches)
                let all = rs.flatMap(\.ratios), medians = rs.map(\.median)
                lines.append("    all \(all.count) searches: min \(pct(quantile(all, 0))), 10th percentile \(pct(quantile(all, 0.1))), "
                             + "median \(pct(quantile(all, 0.5))), 90th percentile \(pct(quantile(all, 0.9))), max \(pct(quantile(all, 1))); "
                             + "distinct points median \(Int(quantile(rs.flatMap(\.distinct).map(Double.init), 0.5)))")
                let met = !medians.isEmpty && medians.allSatisfy { $0 >= 0.95 }
                lines.append("    per-series medians: min \(pct(quantile(medians, 0))), median \(pct(quantile(medians, 0.5))); "
                             + "\(medians.filter { $0 >= 0.95 }.count) of \(medians.count) series at ≥ 95 % — goal "
                             + (met ? "MET" : "NOT MET"))
            }
            if let optunaError { lines.append("  Optuna not measured: \(optunaError)") }
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
            for s in sample.series.dropFirst(c.bundled == nil ? c.bundledOffset : 0).prefix(c.bundled?.count ?? c.bundledCount) {
                named.append((s.symbol, s.adjusted(.splitAndDividend).between(start, end)))
            }
        }
        for k in 0..<c.synthetic {
            let seed = c.syntheticFirstSeed + UInt64(k)
            var s = try SyntheticMarket(seed: seed).generate(symbols: 1, from: c.from, to: c.to, interval: .daily).series[0]
            s.symbol = "synthetic-\(seed)"
            named.append((s.symbol, s))
        }
        var rows: [SeriesResult] = []
        var surfaces: [(String, [FastSlow: Double])] = []
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
            var surface: [FastSlow: Double] = [:]
            for t in grid.top { surface[FastSlow(t.point, search.space)] = t.objective }
            var searches: [Searches] = []
            for variant in c.variants {
                var r = Searches(ratios: [], distinct: [])
                for seed in c.seeds {
                    let (found, distinct) = try searchSurface(surface, space: search.space, constraints: search.constraints, variant: variant,
                                                       trials: c.trials, seed: seed)
                    r.ratios.append(found / best.objective)
                    r.distinct.append(distinct)
                }
                searches.append(r)
            }
            rows.append(SeriesResult(name: name, bars: series.count,
                                     optimum: (Int(search.space.numericValue(of: best.point, at: 0)),
                                               Int(search.space.numericValue(of: best.point, at: 1)), best.objective),
                                     searches: searches, optuna: nil, nearOptimal: near, gridSize: feasible,
                                     uniformHitChance: uniformHitChance(hits: near, of: feasible, draws: c.trials),
                                     neighbourhood: neighbourhood / best.objective, elsewhere: elsewhere / best.objective,
                                     near90: grid.top.filter { $0.objective >= 0.9 * best.objective }.count))
            surfaces.append((name, surface))
        }
        var report = Report(series: rows, trials: c.trials, seeds: c.seeds, fill: c.fill, variants: c.variants)
        if c.runOptuna { try runOptuna(c, surfaces: surfaces, into: &report) }
        return report
    }

    /// One TPE search of a known surface: the sampler `SearchRunner` builds for these settings, asked one trial at a
    /// time and told the surface's objective of each point (NaN off the surface). Returns the best finite objective
    /// and the number of distinct points asked.
    static func searchSurface(_ surface: [FastSlow: Double], space: ParameterSpace, constraints: ConstraintSet, variant: Variant,
                       trials: Int, seed: UInt64) throws -> (best: Double, distinct: Int) {
        let settings = SearchSettings(method: .tpe, trials: trials, seed: seed, topK: 1, tpe: variant.tpe)
        var sampler = try SearchRunner.method(settings, space: space, constraints: constraints)
        var best = -Double.infinity
        var seen: Set<ParameterPoint> = []
        while case let batch = try sampler.ask(1), !batch.isEmpty {
            for t in batch {
                let v = surface[FastSlow(t.point, space)] ?? .nan
                sampler.tell(t.number, value: v)
                seen.insert(t.point)
                if v.isFinite { best = max(best, v) }
            }
        }
        return (best, seen.count)
    }

    /// Optuna's TPE on the same surfaces: the surfaces go to the peer script in a temporary JSON file (fast, slow,
    /// objective per feasible grid point, objective null when not finite); it prints one JSON line per series with,
    /// per seed, the best objective and the distinct feasible points among its trials.
    static func runOptuna(_ c: Configuration, surfaces: [(String, [FastSlow: Double])],
                          into report: inout Report) throws {
        var payload: [[String: Any]] = []
        for (name, surface) in surfaces {
            let rows: [[Any]] = surface.map { p, v in [p.fast, p.slow, v.isFinite ? v : NSNull()] }
            payload.append(["name": name, "points": rows])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tpe-study-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: ["low": 2, "high": 100, "trials": c.trials, "seeds": c.seeds.map(Int.init),
                                                    "series": payload]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        switch runPython(script: c.optunaScript, arguments: [file.path]) {
        case let .success(lines):
            for line in lines {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let name = obj["name"] as? String, let i = report.series.firstIndex(where: { $0.name == name }),
                      let bests = obj["best"] as? [Any], let distinct = obj["distinct"] as? [Int] else { continue }
                let optimum = report.series[i].optimum.objective
                report.series[i].optuna = Searches(ratios: bests.map { (($0 as? Double) ?? .nan) / optimum }, distinct: distinct)
                report.optunaVersion = obj["version"] as? String
            }
            if report.optunaVersion == nil { report.optunaError = "the Optuna script printed no results" }
        case let .failure(why):
            report.optunaError = why.description
        }
    }
}
