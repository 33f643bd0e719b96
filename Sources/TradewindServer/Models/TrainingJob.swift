import Foundation
import TradewindCore
import TradewindData
import TradewindML
import TradewindModels
import TradewindStore

/// The `training` job kind: trains (or, `incremental`, fine-tunes) the universal model on the job pool, within the
/// job's thread budget on a dedicated thread, reports epochs and batches to the status board and the WebSocket, and
/// registers the result in the store's model registry: as the active version when there was none or when the
/// validation gate admits it, else recorded as a refused version (with the reason; never active). Each finished
/// epoch is checkpointed in the job's state directory (`home/jobs/ID`, `TrainingCheckpointFile`): a job stopped
/// by a shutdown or a crash is queued again and continues after its last finished epoch, ending with the weights
/// an uninterrupted run ends with. The directory is removed once the job has ended (registered, failed or cancelled).
extension JobScheduler {
    /// What a training run decided.
    struct TrainingResult: Sendable {
        var model: UniversalModel
        var decision: ValidationGate.Decision?
        var datasetHash: String
        var epochs: Int
    }

    func runTraining(_ job: JobRecord, _ request: TrainingRequest, tz: String?) async throws {
        let registry = try StoreModelRegistry(store: store, keep: request.keep)
        let current = try await store.modelVersion(request.name, version: nil) == nil ? nil : try await registry.model(request.name).model
        if request.mode == .incremental && current == nil {
            throw APIError.badRequest("mode incremental: \(request.name) has no active version to update; train it with mode full first",
                                      field: "mode")
        }
        let zone = try MarketLoader.zone(tz)
        let (loader, budget, board, hub, name) = (self.loader, self.budget, training, self.hub, request.name)
        let jobID = job.id
        board.start(name, job: jobID, epochs: request.epochs)
        await log(job.id, "info", "training \(name) (\(request.mode.rawValue), \(request.epochs) epochs) on \(budget)")
        let state = stateDirectory(job.id)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let checkpoint = TrainingCheckpointFile.path(in: state)
        if let saved = try? TrainingCheckpoint<Float>.load(checkpoint) {
            await log(job.id, "info", "resuming training after epoch \(saved.epochsDone) of \(request.epochs) (checkpoint)")
        }
        let cancel = CancellationFlag()
        let events = { (event: TrainingEvent) in
            let status = board.apply(name, event)
            if case .batchEnded = event {
                guard board.due(name) else { return }
                hub.publish(LiveMessage(type: "training.progress", jobID: jobID, data: status))
            } else {
                hub.publish(LiveMessage(type: "training.epoch", jobID: jobID, data: status))
            }
        }
        let result: TrainingResult
        do {
            result = try await DedicatedThread.run(name: "tw-training", cancel: cancel) { () throws -> TrainingResult in
                // The matrix-product thread count is this thread's own (BLASThreads): other jobs keep theirs.
                BLASThreads.set(budget.threads)
                let market = try loader.load(request.data, symbols: request.symbols, zone: zone, adjust: .raw, threads: budget)
                let tables = try UniversalFeatures.compute(market, symbols: request.symbols)
                let hash = ModelRegistryEntry.datasetHash(tables)
                let gate = try ValidationGate(threshold: request.performanceThreshold)
                if request.mode == .incremental, let current {
                    let outcome = try ContinualLearning.incrementalUpdate(current: current, tables: tables, updateWindow: request.updateWindow,
                                                                          epochs: request.epochs, gate: gate, cancellation: cancel,
                                                                          checkpoint: checkpoint, callback: events)
                    return TrainingResult(model: outcome.candidate, decision: outcome.decision, datasetHash: hash,
                                          epochs: outcome.candidate.config.epochsRun)
                }
                let data = try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(split: .time(purgeGap: request.purgeGap)))
                let run = try UniversalTraining.train(data, settings: request.settings, cancellation: cancel, checkpoint: checkpoint,
                                                      callback: events)
                let decision = try current.map {
                    try gate.judge(candidate: run.model, current: $0, tables: tables, samples: data.validation.samples)
                }
                return TrainingResult(model: run.model, decision: decision, datasetHash: hash, epochs: run.history.count)
            }
        } catch {
            let stopped = Task.isCancelled || cancel.isCancelled
            board.finish(name, outcome: stopped ? "cancelled" : "failed", version: nil,
                         message: stopped ? "stopped" : APIError.from(error).message)
            // A shutdown keeps the checkpoint for the next start; a failed or cancelled job never runs again.
            let requested = (try? await store.job(job.id))??.cancelRequested == true
            if !stopped || requested { try? FileManager.default.removeItem(atPath: state) }
            if stopped { throw CancellationError() }
            throw error
        }
        defer { try? FileManager.default.removeItem(atPath: state) }
        if let d = result.decision, !d.deploy {
            let reason = ValidationGate.refusal(d)
            let record = try await shielded {
                try await registry.register(result.model, name: name, datasetHash: result.datasetHash, activate: false, refusal: reason)
            }
            let message = reason + "; recorded as v\(record.version), v"
                + ((try await store.modelVersion(name, version: nil)?.version).map(String.init) ?? "?") + " stays active"
            board.finish(name, outcome: "refused", version: nil, message: message)
            await log(job.id, "info", message)
        } else {
            let record = try await shielded { try await registry.register(result.model, name: name, datasetHash: result.datasetHash, activate: true) }
            board.finish(name, outcome: "completed", version: record.version, message: "deployed v\(record.version) (sha256 \(record.sha256))")
            await log(job.id, "info", "deployed \(name) v\(record.version) sha256 \(record.sha256) after \(result.epochs) epochs")
        }
        hub.publish(LiveMessage(type: "training.epoch", jobID: jobID, data: board.status(name)))
    }

    /// A job's own directory for state it keeps between starts (a training checkpoint): `home/jobs/ID`.
    func stateDirectory(_ id: Int64) -> String {
        (loader.home as NSString).appendingPathComponent("jobs/\(id)")
    }
}
