import Foundation
import TradewindOptimizer

/// The TPE benchmark: search overhead per trial against Optuna's TPE sampler, and search quality
/// against the grid optimum, on the sma-cross space (fast, slow ∈ 2…100, fast < slow).
///
/// Until the engine lands, the objective is a **synthetic smooth surface standing in for the
/// sma-cross Sharpe surface** (`TPEBenchmark.surrogateSharpe`: a main peak, a secondary peak and a
/// mild ripple); both searches see the same function. Overhead = wall time of the whole
/// ask/evaluate/tell loop divided by the trials, the objective costing well under a microsecond,
/// so it measures the search machinery. Both wall time and the searching thread's CPU time are
/// reported (Python: `time.thread_time()`); on a shared machine the CPU figures are the fair ones.
/// Optuna runs in a `python3` subprocess (`Scripts/bench/optuna_tpe.py`, from the repository root)
/// with `TPESampler(seed=s, multivariate=…)`, the constraint set with `trial.set_constraint`
/// (fast − slow + 1 ≤ 0; Optuna puts infeasible trials in the "above" group), logging off,
/// in-memory storage.
public enum TPEBenchmark {
    public struct Configuration: Sendable {
        public var trials = 200
        public var seeds: [UInt64] = [0, 1, 2, 3, 4]
        public var multivariate = true
        /// Run the Optuna peer (python3 with optuna on PATH).
        public var runOptuna = true
        /// The peer script, relative to the working directory (the repository root).
        public var optunaScript = "Scripts/bench/optuna_tpe.py"
        public init() {}
    }

    public struct SeedResult: Sendable {
        public let seed: UInt64
        /// Wall-clock seconds per trial.
        public let tradewindSecondsPerTrial: Double
        /// CPU seconds of the searching thread per trial.
        public let tradewindCPUSecondsPerTrial: Double
        public let tradewindBest: Double
        public let optunaSecondsPerTrial: Double?
        public let optunaCPUSecondsPerTrial: Double?
        public let optunaBest: Double?
    }

    public struct Report: Sendable {
        public let configuration: Configuration
        public let gridBest: Double
        public let gridBestPoint: (fast: Int, slow: Int)
        public let seeds: [SeedResult]
        public let optunaVersion: String?
        public let optunaError: String?

        public var medianTradewindSecondsPerTrial: Double { median(seeds.map(\.tradewindSecondsPerTrial)) }
        public var medianOptunaSecondsPerTrial: Double? {
            let v = seeds.compactMap(\.optunaSecondsPerTrial)
            return v.isEmpty ? nil : median(v)
        }
        public var medianTradewindCPUSecondsPerTrial: Double { median(seeds.map(\.tradewindCPUSecondsPerTrial)) }
        public var medianOptunaCPUSecondsPerTrial: Double? {
            let v = seeds.compactMap(\.optunaCPUSecondsPerTrial)
            return v.isEmpty ? nil : median(v)
        }
        /// Median over seeds of best / grid best.
        public var medianTradewindQuality: Double { median(seeds.map { $0.tradewindBest / gridBest }) }
        public var medianOptunaQuality: Double? {
            let v = seeds.compactMap { $0.optunaBest.map { $0 / gridBest } }
            return v.isEmpty ? nil : median(v)
        }

        public var text: String {
            var s = "TPE benchmark: sma-cross space fast,slow ∈ 2…100, fast < slow (4851 feasible points), "
            s += "\(configuration.trials) trials, seeds \(configuration.seeds.map(String.init).joined(separator: ",")), "
            s += "multivariate=\(configuration.multivariate)\n"
            s += "objective: synthetic smooth surface standing in for the sma-cross Sharpe surface (engine not wired yet)\n"
            s += "grid optimum: \(fmt(gridBest, 6)) at fast=\(gridBestPoint.fast), slow=\(gridBestPoint.slow)\n\n"
            s += "| seed | Tradewind µs/trial (CPU) | Tradewind µs/trial (wall) | Tradewind best/grid | Optuna µs/trial (CPU) | Optuna µs/trial (wall) | Optuna best/grid |\n"
            s += "|---|---|---|---|---|---|---|\n"
            for r in seeds {
                s += "| \(r.seed) | \(fmt(r.tradewindCPUSecondsPerTrial * 1e6, 1)) | \(fmt(r.tradewindSecondsPerTrial * 1e6, 1)) | \(fmt(r.tradewindBest / gridBest, 4)) | "
                s += "\(r.optunaCPUSecondsPerTrial.map { fmt($0 * 1e6, 1) } ?? "–") | \(r.optunaSecondsPerTrial.map { fmt($0 * 1e6, 1) } ?? "–") | "
                s += "\(r.optunaBest.map { fmt($0 / gridBest, 4) } ?? "–") |\n"
            }
            s += "\nmedian: Tradewind \(fmt(medianTradewindCPUSecondsPerTrial * 1e6, 1)) µs/trial CPU (\(fmt(medianTradewindSecondsPerTrial * 1e6, 1)) wall), "
            s += "quality \(fmt(medianTradewindQuality, 4)) of the grid optimum (goal ≥ 0.95)\n"
            if let o = medianOptunaSecondsPerTrial, let oc = medianOptunaCPUSecondsPerTrial {
                s += "median: Optuna \(optunaVersion ?? "?") \(fmt(oc * 1e6, 1)) µs/trial CPU (\(fmt(o * 1e6, 1)) wall), quality \(medianOptunaQuality.map { fmt($0, 4) } ?? "–")\n"
                s += "overhead ratio Optuna / Tradewind: \(fmt(oc / medianTradewindCPUSecondsPerTrial, 1))× CPU, \(fmt(o / medianTradewindSecondsPerTrial, 1))× wall (goal ≥ 50×)\n"
            } else if let e = optunaError {
                s += "Optuna not measured: \(e)\n"
            }
            return s
        }
    }

    /// The stand-in objective (larger is better), defined on the integer grid.
    @inlinable
    public static func surrogateSharpe(fast: Double, slow: Double) -> Double {
        let a = (fast - 12) / 9, b = (slow - 48) / 22
        let c = (fast - 55) / 12, d = (slow - 88) / 9
        return 1.1 * exp(-(a * a + b * b)) + 0.7 * exp(-(c * c + d * d)) + 0.08 * sin(fast / 5) * cos(slow / 9) - 0.2
    }


    public static func run(_ config: Configuration = Configuration()) throws -> Report {
        let space = try ParameterSpecParser.parse(["fast=2:100:1", "slow=2:100:1"])
        let constraints = try ConstraintSet(["fast<slow"], space: space)

        // Grid optimum (exhaustive).
        var grid = try GridSearch(space: space, constraints: constraints)
        var top = TopK(capacity: 1, direction: .maximize)
        while case let batch = try grid.ask(4096), !batch.isEmpty {
            for t in batch {
                let v = surrogateSharpe(fast: space.numericValue(of: t.point, at: 0), slow: space.numericValue(of: t.point, at: 1))
                top.insert(RankedTrial(number: t.number, point: t.point, objective: v))
            }
        }
        let gb = top.best!
        let gbPoint = (Int(space.numericValue(of: gb.point, at: 0)), Int(space.numericValue(of: gb.point, at: 1)))

        var tpeCfg = TPEConfiguration()
        tpeCfg.multivariate = config.multivariate
        // Warm-up (first-call costs), not timed.
        _ = try tradewindRun(space: space, constraints: constraints, trials: config.trials, seed: 999, cfg: tpeCfg)
        var tw: [(wall: Double, cpu: Double, best: Double)] = []
        for seed in config.seeds {
            let clock = ContinuousClock()
            var best = -Double.infinity
            let c0 = threadCPUSeconds()
            let elapsed = try clock.measure {
                best = try tradewindRun(space: space, constraints: constraints, trials: config.trials, seed: seed, cfg: tpeCfg)
            }
            let cpu = threadCPUSeconds() - c0
            tw.append((seconds(elapsed) / Double(config.trials), cpu / Double(config.trials), best))
        }

        var optuna: [UInt64: (wall: Double, cpu: Double, best: Double)] = [:]
        var version: String?
        var optunaError: String?
        if config.runOptuna {
            switch runPython(script: config.optunaScript,
                             arguments: [String(config.trials), config.multivariate ? "1" : "0"] + config.seeds.map(String.init)) {
            case let .success(lines):
                for line in lines {
                    guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                          let seed = obj["seed"] as? Int, let secs = obj["seconds"] as? Double else { continue }
                    let best = (obj["best"] as? Double) ?? .nan
                    let cpu = (obj["cpu"] as? Double) ?? .nan
                    optuna[UInt64(seed)] = (secs / Double(config.trials), cpu / Double(config.trials), best)
                    version = obj["version"] as? String
                }
                if optuna.isEmpty { optunaError = "the Optuna script printed no results" }
            case let .failure(why):
                optunaError = why.description
            }
        }
        let seeds = zip(config.seeds, tw).map { seed, r in
            SeedResult(seed: seed, tradewindSecondsPerTrial: r.wall, tradewindCPUSecondsPerTrial: r.cpu, tradewindBest: r.best,
                       optunaSecondsPerTrial: optuna[seed]?.wall, optunaCPUSecondsPerTrial: optuna[seed]?.cpu,
                       optunaBest: optuna[seed]?.best)
        }
        return Report(configuration: config, gridBest: gb.objective, gridBestPoint: gbPoint, seeds: seeds,
                      optunaVersion: version, optunaError: optunaError)
    }

    /// One TPE search, one trial at a time; returns the best objective.
    static func tradewindRun(space: ParameterSpace, constraints: ConstraintSet, trials: Int, seed: UInt64, cfg: TPEConfiguration) throws -> Double {
        var tpe = try TPESampler(space: space, constraints: constraints, direction: .maximize, budget: trials, seed: seed, configuration: cfg)
        var best = -Double.infinity
        while case let batch = try tpe.ask(1), let t = batch.first {
            let v = surrogateSharpe(fast: space.numericValue(of: t.point, at: 0), slow: space.numericValue(of: t.point, at: 1))
            best = max(best, v)
            tpe.tell(t.number, value: v)
        }
        return best
    }

    /// CPU time of the calling thread (both sides are measured this way: the benchmark machine
    /// may be shared, and CPU time is what the search itself costs).
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }

    static func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}
