import TradewindCore

extension SymbolOptimizer {
    /// `run(_:series:results:cancel:progress:)` for `async` callers: the search runs on a thread of its own
    /// (`DedicatedThread`) with its parallel work within `job.threads`, so no thread of Swift's cooperative
    /// pool is blocked, and the result is the synchronous call's. Cancelling the calling task stops the search
    /// at its next batch (as a set `CancellationFlag` does) and returns nil. `progress` is called on the
    /// search's thread.
    public static func run(_ job: OptimizationJob, series: BarSeries, results: sending ResultsTableWriter? = nil,
                           progress: (@Sendable (Double) -> Void)? = nil) async throws -> SymbolOptimization? {
        let cancel = CancellationFlag()
        return try await DedicatedThread.run(name: "tw-optimize", cancel: cancel) { () throws -> SymbolOptimization? in
            try run(job, series: series, results: results, cancel: cancel, progress: progress)
        }
    }
}

extension JobRunner {
    /// `run(_:series:jobFile:resultsPath:cancel:progress:symbolFinished:)` for `async` callers: the job runs on
    /// a thread of its own (`DedicatedThread`) with its parallel work within `job.threads`, and the outcome is
    /// the synchronous call's. Cancelling the calling task stops the job at the next batch: the outcome then
    /// says `interrupted`, keeps the symbols finished (and recorded in `jobFile`) and drops the ones in
    /// progress. The callbacks are called on the job's threads, one at a time (`JobRunner`).
    public static func run(_ job: OptimizationJob, series: [BarSeries], jobFile: JobFile? = nil,
                           resultsPath: (@Sendable (String) -> String?)? = nil,
                           progress: (@Sendable (Double, Int) -> Void)? = nil,
                           symbolFinished: (@Sendable (SymbolOptimization) -> Void)? = nil) async throws -> JobOutcome {
        let cancel = CancellationFlag()
        return try await DedicatedThread.run(name: "tw-optimize", cancel: cancel) { () throws -> JobOutcome in
            try run(job, series: series, jobFile: jobFile, resultsPath: resultsPath, cancel: cancel, progress: progress,
                    symbolFinished: symbolFinished)
        }
    }
}
