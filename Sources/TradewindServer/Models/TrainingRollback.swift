import Foundation
import TradewindCore
import TradewindML
import TradewindModels
import TradewindStore

/// A training job's automatic rollback (`TrainingRequest.automaticRollback`, what the continual-learning schedule
/// asks for): before the job trains, the active version is scored against the version it replaced on the job's
/// data after both training ranges, with the validation gate's metric and the job's `performance_threshold`; a
/// worse active version is rolled back to the older one, which the job then updates. The check's line (both
/// versions, both scores) goes to the job's log; a rollback counts in `tradewind_model_automatic_rollbacks_total`.
extension JobScheduler {
    /// Fewest windows after both training ranges an automatic rollback judges on.
    static let rollbackMinimumSamples = 20

    func automaticRollback(_ job: JobRecord, _ request: TrainingRequest, registry: StoreModelRegistry, zone: ZoneRules) async throws {
        let gate = try ValidationGate(threshold: request.performanceThreshold)
        let (loader, budget, minimum) = (self.loader, self.budget, Self.rollbackMinimumSamples)
        let check = try await registry.checkRollback(request.name, gate: gate, minimumSamples: minimum) { active, previous in
            try await DedicatedThread.run(name: "tw-rollback-check") { () throws -> (decision: ValidationGate.Decision?, samples: Int) in
                BLASThreads.set(budget.threads)
                let market = try loader.load(request.data, symbols: request.symbols, zone: zone, adjust: .raw, threads: budget)
                let tables = try UniversalFeatures.compute(market, symbols: request.symbols)
                return try AutomaticRollback.compare(active: active, previous: previous, tables: tables, gate: gate, minimumSamples: minimum)
            }
        }
        await log(job.id, check.verdict == .rolledBack ? "warning" : "info", check.message)
        if check.verdict == .rolledBack, let active = try await store.modelVersion(request.name, version: nil) {
            metrics.rolledBack(to: StoreModelRegistry.record(active))
        }
    }
}
