import Foundation
import TradewindCore
import TradewindData
import TradewindModels
import TradewindOptimizer
import TradewindStore
import TradewindStrategies

/// An optimisation job's symbol computed to the record the store keeps. The in-process scheduler and
/// `tradewind worker` both prepare the job and compute a symbol through here, so a job's results do not depend on
/// where, in what order or by how many processes its symbols ran.
enum SymbolComputation {
    /// A symbol's optimisation and the result to store.
    struct Outcome: Sendable {
        var optimized: SymbolOptimization
        /// Trials evaluated, validation included.
        var evaluations: Int
        var result: NewResult
    }

    /// The job planned and prepared for its data, which `load` reads (on a dedicated thread) in the job's zone.
    static func prepare(_ request: OptimizationRequest, tz: String?, resolvedData: String, catalog: StrategyCatalog,
                        threads: ThreadBudget,
                        load: @escaping @Sendable (ZoneRules) throws -> MarketDataset) async throws -> PreparedOptimization {
        let zone = try MarketLoader.zone(tz)
        var resolved = request
        resolved.data = resolvedData
        let plan = try resolved.plan(catalog: catalog, zone: zone, threads: threads)
        return try await DedicatedThread.run(name: "tw-job-load") { () throws -> PreparedOptimization in
            try plan.prepared(for: try load(zone))
        }
    }

    /// `prepared` with `request`'s fold training as its in-sample fit when its strategy is an ML strategy given no
    /// model (`PreparedOptimization.retrained(by:)`), each fold's model saved under `foldModels`. The server and
    /// `tradewind worker` both retrain here, so a fold's model is the same file content wherever it was trained.
    static func retrained(_ prepared: PreparedOptimization, _ request: OptimizeJobRequest,
                          foldModels: String) throws -> PreparedOptimization {
        try prepared.retrained(by: request.retraining(directory: foldModels))
    }

    /// Optimises `series` with the prepared job and builds its result; nil when the optimiser gives the symbol no
    /// result. Throws `CancellationError` when the calling task was cancelled before the symbol finished.
    static func run(_ prepared: PreparedOptimization, series: BarSeries, request: OptimizationRequest, tz: String?,
                    times: Timestamps, progress: (@Sendable (Double, Int) -> Void)? = nil) async throws -> Outcome? {
        let outcome = try await JobRunner.run(prepared.job, series: [series], progress: progress)
        if outcome.interrupted || Task.isCancelled { throw CancellationError() }
        guard let optimized = outcome.symbols.first else { return nil }
        let evaluations = optimized.evaluations + (optimized.validationEvaluations ?? 0)
        let result = try await ResultBuilder.optimization(optimized, series: series, job: prepared.job, request: request,
                                                          tz: tz, times: times)
        return Outcome(optimized: optimized, evaluations: evaluations, result: result)
    }

    /// The log line a finished symbol writes to its job.
    static func logLine(_ symbol: String, _ outcome: Outcome) -> String {
        "\(symbol): \(outcome.evaluations) evaluations, best \(outcome.optimized.best?.params.text ?? "none")"
    }
}
