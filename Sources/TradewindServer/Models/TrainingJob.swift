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
/// epoch is checkpointed in the store (`JobCheckpointStore`: one row per job, replaced in one transaction, with
/// its SHA-256), so whichever server resumes the job — this one after a restart, or another on the same PostgreSQL
/// after this one died — continues after its last stored epoch and ends with the weights an uninterrupted run
/// ends with. A stored checkpoint that is damaged (its SHA-256 does not match) or cannot be resumed by this run is
/// set aside with the reason in the job's log, and training starts over. The checkpoint is removed once the job has
/// ended (registered, failed or cancelled: `finishJob`) or is deleted.
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
        let zone = try MarketLoader.zone(tz)
        var rollbackLine: String?
        let current: UniversalModel?
        do {
            if request.automaticRollback, try await store.modelVersion(request.name, version: nil) != nil {
                rollbackLine = try await automaticRollback(job, request, registry: registry, zone: zone)
            }
            current = try await store.modelVersion(request.name, version: nil) == nil ? nil : try await registry.model(request.name).model
            if request.mode == .incremental && current == nil {
                throw APIError.badRequest("mode incremental: \(request.name) has no active version to update; train it with mode full first",
                                          field: "mode")
            }
        } catch {
            // A job that ends between its rollback check and its training leaves no `checking-rollback` behind.
            if training.status(request.name).status == "checking-rollback" {
                let stopped = Task.isCancelled || error is CancellationError
                training.finish(request.name, outcome: stopped ? "cancelled" : "failed", version: nil,
                                message: stopped ? "stopped" : APIError.from(error).message)
            }
            throw error
        }
        let (loader, budget, board, hub, name) = (self.loader, self.budget, training, self.hub, request.name)
        let jobID = job.id
        board.start(name, job: jobID, epochs: request.epochs, message: rollbackLine)
        await log(job.id, "info", "training \(name) (\(request.mode.rawValue), \(request.epochs) epochs) on \(budget)")
        let cancel = CancellationFlag()
        let checkpoint = try await storedCheckpoint(job, epochs: request.epochs, cancel: cancel)
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
            // A stopped trainer returns what it has: never registered (the stored checkpoint is kept for the resume).
            if cancel.isCancelled { throw CancellationError() }
        } catch {
            let stopped = Task.isCancelled || cancel.isCancelled
            board.finish(name, outcome: stopped ? "cancelled" : "failed", version: nil,
                         message: stopped ? "stopped" : APIError.from(error).message)
            // A shutdown or a takeover keeps the stored checkpoint for the resume; a failed or cancelled job never
            // runs again, and ending it (`finishJob`) removes its checkpoint.
            if stopped { throw CancellationError() }
            throw error
        }
        // Registering is fenced on this server holding the job, in the insert's own transaction: a run that lost the
        // job meanwhile (another server took it over after its lease expired, and will register its own model) gets
        // `JobTakenOver` and registers nothing.
        let hold = JobHold(jobID: job.id, owner: owner.text)
        if let d = result.decision, !d.deploy {
            let reason = ValidationGate.refusal(d)
            let record = try await shielded {
                try await registry.register(result.model, name: name, datasetHash: result.datasetHash, activate: false, refusal: reason,
                                            heldBy: hold)
            }
            let message = reason + "; recorded as v\(record.version), v"
                + ((try await store.modelVersion(name, version: nil)?.version).map(String.init) ?? "?") + " stays active"
            board.finish(name, outcome: "refused", version: nil, message: message)
            metrics.gateRefused(name)
            await log(job.id, "info", message)
        } else {
            let record = try await shielded {
                try await registry.register(result.model, name: name, datasetHash: result.datasetHash, activate: true, heldBy: hold)
            }
            board.finish(name, outcome: "completed", version: record.version, message: "deployed v\(record.version) (sha256 \(record.sha256))")
            metrics.versionDeployed(record)
            await log(job.id, "info", "deployed \(name) v\(record.version) sha256 \(record.sha256) after \(result.epochs) epochs")
        }
        hub.publish(LiveMessage(type: "training.epoch", jobID: jobID, data: board.status(name)))
    }

    /// Where the job's training checkpoints go: its row in the store's job checkpoints, written after each finished
    /// epoch (only while this server holds the job: a refused write means another server took it over, and this
    /// run stops), read here to resume from. A damaged stored checkpoint is removed with the reason in the log.
    func storedCheckpoint(_ job: JobRecord, epochs: Int, cancel: CancellationFlag) async throws -> TrainingCheckpointMedium {
        var saved: Data?
        do {
            if let stored = try await store.jobCheckpoint(job.id) {
                saved = stored.bytes
                await log(job.id, "info", "resuming training after epoch \(stored.epoch) of \(epochs) (checkpoint of "
                    + Self.megabytes(stored.bytes.count) + " from the store, written " + backtests.times.string(stored.writtenAt) + ")")
            }
        } catch let damaged as CorruptJobCheckpoint {
            await log(job.id, "warning", "\(damaged); it is removed and training starts over from epoch 1")
            try await shielded { [store] in try await store.deleteJobCheckpoint(job.id) }
        }
        let (store, holder, id, resume) = (self.store, owner.text, job.id, saved)
        return TrainingCheckpointMedium(location: "job \(id)'s stored checkpoint", read: { resume }, write: { bytes, epoch in
            let start = ContinuousClock.now
            do {
                let held = try AwaitFromSynchronousCode.run {
                    try await store.saveJobCheckpoint(id, owner: holder, epoch: epoch, bytes: Data(bytes))
                }
                guard held else {
                    // Cancelling the job's task wakes tasks: from this lowered thread, through the relay.
                    ThreadPriority.atNormalPriority { _ = self.lose(id) }
                    cancel.cancel()
                    return
                }
                let ms = Self.seconds(ContinuousClock.now - start) * 1000
                self.logFromTraining(id, "info", "checkpoint after epoch \(epoch) stored: " + Self.megabytes(bytes.count)
                    + String(format: " in %.0f ms", ms))
            } catch {
                self.logFromTraining(id, "warning", "checkpoint after epoch \(epoch) not stored (\(error)); training goes on, "
                    + "and a resume starts after the last stored epoch")
            }
        }, startOver: { reason in
            self.logFromTraining(id, "warning", "the stored checkpoint cannot be resumed (\(reason)); training starts over from epoch 1")
        })
    }

    /// Appends a job log line from the training thread (waits for it: the thread is the job's own).
    func logFromTraining(_ id: Int64, _ level: String, _ message: String) {
        AwaitFromSynchronousCode.run { await self.log(id, level, message) }
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.2f MB", Double(bytes) / 1_000_000)
    }
}
