import Foundation
import TradewindCore
import TradewindML
import TradewindModels
import TradewindStore

/// A training job's automatic rollback (`TrainingRequest.automaticRollback`, what the continual-learning schedule
/// asks for): before the job trains, the active version is scored against the version it replaced on the job's
/// data after both training ranges, with the validation gate's metric and the job's `performance_threshold`; a
/// worse active version is rolled back to the older one, which the job then updates. The check's line (both
/// versions, both scores) goes to the job's log and stays the training status' message; a rollback counts in
/// `tradewind_model_automatic_rollbacks_total`. While it runs, `GET /api/training-status/{name}` says
/// `checking-rollback`; cancelling the job (or shutting down) stops it between its steps (loading, features,
/// scoring) and rolls nothing back.
extension JobScheduler {
    /// Fewest decision dates after both training ranges an automatic rollback judges on.
    static let rollbackMinimumDates = 20

    /// Runs the check; returns its line (what it found and did).
    func automaticRollback(_ job: JobRecord, _ request: TrainingRequest, registry: StoreModelRegistry, zone: ZoneRules) async throws -> String {
        let gate = try ValidationGate(threshold: request.performanceThreshold)
        let (loader, budget, minimum, board) = (self.loader, self.budget, Self.rollbackMinimumDates, training)
        board.checkingRollback(request.name, job: job.id)
        hub.publish(LiveMessage(type: "training.epoch", jobID: job.id, data: board.status(request.name)))
        let cancel = CancellationFlag()
        let check: AutomaticRollback.Check
        do {
            check = try await registry.checkRollback(request.name, gate: gate, minimumDates: minimum) { active, previous in
                let comparison = try await DedicatedThread.run(name: "tw-rollback-check", cancel: cancel) {
                    () throws -> AutomaticRollback.Comparison? in
                    BLASThreads.set(budget.threads)
                    let market = try loader.load(request.data, symbols: request.symbols, zone: zone, adjust: .raw, threads: budget)
                    if cancel.isCancelled { return nil }
                    let tables = try UniversalFeatures.compute(market, symbols: request.symbols)
                    if cancel.isCancelled { return nil }
                    return try AutomaticRollback.compare(active: active, previous: previous, tables: tables, gate: gate, minimumDates: minimum)
                }
                // A stopped check decides nothing: the registry is left as it is.
                guard let comparison, !cancel.isCancelled else { throw CancellationError() }
                return comparison
            }
        } catch {
            let stopped = Task.isCancelled || cancel.isCancelled || error is CancellationError
            board.finish(request.name, outcome: stopped ? "cancelled" : "failed", version: nil,
                         message: "automatic rollback check " + (stopped ? "stopped" : "failed: " + APIError.from(error).message))
            if stopped { throw CancellationError() }
            throw error
        }
        await log(job.id, check.verdict == .rolledBack ? "warning" : "info", check.message)
        if check.verdict == .rolledBack, let active = try await store.modelVersion(request.name, version: nil) {
            metrics.rolledBack(to: StoreModelRegistry.record(active))
        }
        return check.message
    }
}
