import Foundation
import TradewindCore

/// The resume file of a multi-symbol job: JSON lines, the first `{"job": KEY}` naming the job's spec, then
/// one `SymbolOptimization` per finished symbol. It is rewritten atomically (temporary file, then rename)
/// after each symbol, so an interruption leaves either the old or the new file, never half of one.
public struct JobFile: Sendable {
    public let path: String
    public let key: String

    public init(path: String, key: String) {
        self.path = path
        self.key = key
    }

    struct Header: Codable { var job: String }

    /// The symbols already finished; empty when the file does not exist. Throws when the file belongs to
    /// another job (a different spec) or cannot be read.
    public func load(parameterOrder: [String]) throws -> [SymbolOptimization] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw OptimizerError.invalidArgument(name: "job file", value: path,
                                                 valid: "a readable UTF-8 job file written by an optimization job")
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: Data(first.utf8)) else {
            throw OptimizerError.invalidArgument(name: "job file", value: path, valid: "a job file written by an optimization job")
        }
        guard header.job == key else {
            throw OptimizerError.invalidArgument(name: "job file", value: path,
                                                 valid: "the file of the same job (same strategy, data, parameters, method, seed, objective and costs); it was written for: \(header.job)")
        }
        var out: [SymbolOptimization] = []
        for (k, line) in lines.enumerated().dropFirst() {
            func bad(_ why: String) -> OptimizerError {
                .invalidArgument(name: "job file", value: "\(path) line \(k + 1)",
                                 valid: "a symbol's result as an optimization job writes it (\(why)); delete the file to start over")
            }
            let s: SymbolOptimization
            do { s = try JSONDecoder().decode(SymbolOptimization.self, from: Data(line.utf8)) } catch {
                throw bad("\(error)")
            }
            if let v = s.validation, v.stitchedEquity.count != v.stitchedTimes.count {
                throw bad("stitched_equity has \(v.stitchedEquity.count) values but stitched_times \(v.stitchedTimes.count)")
            }
            out.append(s.normalised(order: parameterOrder))
        }
        return out
    }

    /// Writes the header and `finished`, atomically.
    public func save(_ finished: [SymbolOptimization]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var out = String(decoding: try encoder.encode(Header(job: key)), as: UTF8.self) + "\n"
        for s in finished {
            out += String(decoding: try ObjectiveByTrialJSON.encode(encoder, symbols: [s]) { $0[0] }, as: UTF8.self) + "\n"
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// A multi-symbol job's outcome.
public struct JobOutcome: Sendable {
    /// Finished symbols, in the job's symbol order.
    public var symbols: [SymbolOptimization]
    /// Symbols taken from the resume file rather than computed in this run.
    public var resumed: [String]
    /// True when the job stopped early (cancelled): `symbols` holds what finished.
    public var interrupted: Bool
    /// Trials evaluated in this run (parameter sets × symbols, resumed symbols excluded).
    public var evaluations: Int
    /// Trials of walk-forward folds' own searches in this run (0 without walk-forward).
    public var validationEvaluations: Int = 0
    public var elapsedSeconds: Double
    /// All trials of this run (main searches and walk-forward re-optimisations) per second of `elapsedSeconds`.
    public var evaluationsPerSecond: Double? {
        elapsedSeconds > 0 ? Double(evaluations + validationEvaluations) / elapsedSeconds : nil
    }
}

/// Runs a job over symbols: each symbol is optimised (see `SymbolOptimizer`), then recorded in the job file when
/// one is given. Symbols run side by side within the job's thread budget (two cores: two symbols at once, each on
/// one thread), so that no core waits on a symbol's serial parts (preparing its data, the engine run of its best
/// point); their results are still recorded, reported and returned in the job's symbol order (`JobCommits`).
/// Cancellation stops between batches; the symbols in progress are dropped and the finished ones are kept.
public enum JobRunner {
    /// `resultsPath(symbol)` names the CSV results table of each symbol (nil: none).
    /// `progress(fraction, finishedSymbols)` reports the whole job's progress in [0, 1]; `evaluatorChosen(symbol,
    /// engineReason)` says, as each symbol's search starts, whether the kernel (nil) or the engine evaluates it and why.
    /// The callbacks are called one at a time (never concurrently), from the job's threads; `symbolFinished` in the
    /// job's symbol order.
    public static func run(_ job: OptimizationJob, series: [BarSeries], jobFile: JobFile? = nil,
                           resultsPath: ((String) -> String?)? = nil, cancel: CancellationFlag? = nil,
                           progress: ((Double, Int) -> Void)? = nil,
                           symbolFinished: ((SymbolOptimization) -> Void)? = nil,
                           evaluatorChosen: ((_ symbol: String, _ engineReason: String?) -> Void)? = nil) throws -> JobOutcome {
        try job.validate()
        var seen = Set<String>()
        for s in series where !seen.insert(s.symbol).inserted {
            // (Results are keyed by symbol: a repeated one would also trap building `order` below.)
            throw OptimizerError.invalidArgument(name: "series", value: s.symbol, valid: "each symbol once")
        }
        let clock = ContinuousClock.now
        let earlier = try jobFile?.load(parameterOrder: job.space.names) ?? []
        let known = Set(earlier.map(\.symbol))
        let resumed = series.map(\.symbol).filter { known.contains($0) }
        let pending = series.filter { !known.contains($0.symbol) }
        // Symbols side by side, each with its share of the budget (all of it when one symbol is left to do).
        let perSymbol = job.threads.share(among: job.threads.workers(for: pending.count))
        let commits = JobCommits(finished: earlier, total: series.count, cancel: cancel, jobFile: jobFile,
                                 callbacks: .init(resultsPath: resultsPath, progress: progress, symbolFinished: symbolFinished,
                                                  evaluatorChosen: evaluatorChosen))
        job.threads.forEach(pending.count) { k in
            guard !commits.stopped else { return }
            commits.record(k, Result { () throws -> SymbolOptimization? in
                try optimise(job, pending[k], index: k, threads: perSymbol, cancel: cancel, commits: commits)
            })
        }
        let (finished, evaluations, validationEvaluations, interrupted) = try commits.outcome(pending: pending.count)
        let order = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1.symbol, $0) })
        let kept = finished.filter { order[$0.symbol] != nil }.sorted { order[$0.symbol]! < order[$1.symbol]! }
        let elapsed = ContinuousClock.now - clock
        return JobOutcome(symbols: kept, resumed: resumed, interrupted: interrupted, evaluations: evaluations,
                          validationEvaluations: validationEvaluations,
                          elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// One pending symbol of the job (the `index`-th), on `threads`: nil when cancelled.
    static func optimise(_ job: OptimizationJob, _ s: BarSeries, index k: Int, threads: ThreadBudget, cancel: CancellationFlag?,
                         commits: JobCommits) throws -> SymbolOptimization? {
        let (fitted, bounds) = try job.forSymbol(s)
        var symbolJob = fitted
        symbolJob.threads = threads
        let writer = try commits.resultsPath(s.symbol).map { p throws(OptimizerError) in
            try ResultsTableWriter(path: p, space: symbolJob.space, metricNames: OptimizationMetric.allCases.map(\.rawValue))
        }
        let chosen: ((String?) -> Void)? = commits.reportsEvaluator ? { commits.evaluatorChosen(s.symbol, $0) } : nil
        guard var r = try SymbolOptimizer.run(symbolJob, series: s, results: writer, cancel: cancel,
                                              progress: { commits.progress(k, $0) }, evaluatorChosen: chosen) else { return nil }
        r.autoBounds = bounds.isEmpty ? nil : bounds
        try writer?.finish()
        return r
    }
}
