import Foundation
import TradewindCore
import TradewindStore

/// A distributed job ended with a failed task: the task's reason.
struct DistributedTaskFailure: Error, CustomStringConvertible {
    var description: String
}

extension JobScheduler {
    /// How often the server reads a distributed job's progress from the queue.
    static let distributedPoll: Duration = .milliseconds(250)
    /// How long a distributed job waits for an unreachable database (a restart) before failing.
    static let databasePatience: Duration = .seconds(60)

    /// Runs an optimisation job on `tradewind worker` processes: queues one task per symbol not yet done, then
    /// follows the queue — publishing each stored result and the job's progress, ETA, evaluations/s and the workers
    /// computing it on the WebSocket — until no task is left. A failed task fails the job (its other tasks are
    /// cancelled). Queueing, cancelling and failing tasks are fenced on this server holding the job (`WorkQueue`):
    /// once another server took it over they throw `JobTakenOver` and this server stops following it. Cancelling the calling task (a server stop) leaves the tasks with the workers: the job resumes
    /// following them at the next start and nothing is computed twice.
    func runDistributed(_ job: JobRecord, strategy: String, queue: WorkQueue, symbols: [String], total: Int,
                        doneBefore: Int) async throws {
        let baseline = try await queue.progress(jobID: job.id).evaluations
        try await queue.enqueue(jobID: job.id, owner: owner.text, symbols: symbols, displayZone: backtests.times.zone.identifier)
        await log(job.id, "info", "queued \(symbols.count) tasks for tradewind worker processes")
        let clock = ContinuousClock.now
        var announced = Set(try await store.jobSymbols(job.id).filter { $0.status == "done" }.map(\.symbol))
        var counted = baseline
        var lastPublished: (finished: Int, workers: [WorkerTaskView])?
        var lastPublishedAt = ContinuousClock.now - .seconds(10)
        var unreachableSince: ContinuousClock.Instant?
        while true {
            try Task.checkCancellation()
            let progress: TaskProgress
            let jobSymbols: [JobSymbolRecord]
            do {
                try await queue.failExhausted(jobID: job.id, owner: owner.text)
                progress = try await queue.progress(jobID: job.id)
                jobSymbols = try await store.jobSymbols(job.id)
                unreachableSince = nil
            } catch {
                // The database restarting: the workers wait for it too; follow the job again once it answers.
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                // Another server holds the job now: its tasks are its own; stop following them.
                if error is JobTakenOver { throw error }
                let since = unreachableSince ?? ContinuousClock.now
                unreachableSince = since
                if ContinuousClock.now - since > Self.databasePatience { throw error }
                logger.warning("queue unreachable; retrying", metadata: ["job": "\(job.id)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            for s in jobSymbols where s.status == "done" && !announced.contains(s.symbol) {
                announced.insert(s.symbol)
                if let id = s.resultID {
                    hub.publish(LiveMessage(type: "result.stored", jobID: job.id,
                                            data: ResultStoredEvent(resultID: id, jobID: job.id, symbol: s.symbol,
                                                                    strategy: strategy)))
                }
            }
            if progress.evaluations > counted {
                metrics.evaluations.increment(by: progress.evaluations - counted)
                counted = progress.evaluations
            }
            if progress.failed > 0 {
                try await queue.cancel(jobID: job.id, owner: owner.text)
                throw DistributedTaskFailure(description: progress.failure ?? "a task failed")
            }
            let finished = jobSymbols.filter { $0.status == "done" }.count
            let workers = progress.computing.map { WorkerTaskView(worker: $0.worker, symbol: $0.symbol) }
            let now = ContinuousClock.now
            let changed = lastPublished.map { $0.finished != finished || $0.workers != workers } ?? true
            if changed || now - lastPublishedAt >= .seconds(1) {
                let elapsed = Self.seconds(now - clock)
                let computed = finished - doneBefore
                let eta = computed > 0 && elapsed > 0 ? elapsed / Double(computed) * Double(max(0, total - finished)) : nil
                let evaluated = progress.evaluations - baseline
                hub.publish(LiveMessage(type: "job.progress", jobID: job.id,
                                        data: JobProgressEvent(jobID: job.id, fraction: Double(finished) / Double(max(total, 1)),
                                                               symbolsDone: finished, symbolsTotal: total,
                                                               symbol: workers.first?.symbol, etaSeconds: eta,
                                                               evaluationsPerSecond: elapsed > 0 && evaluated > 0 ? Double(evaluated) / elapsed : nil,
                                                               emittedAt: backtests.times.string(StoreClock.now()),
                                                               workers: workers)))
                lastPublished = (finished, workers)
                lastPublishedAt = now
            }
            if progress.queued == 0 && progress.running == 0 { return }
            try await Task.sleep(for: Self.distributedPoll)
        }
    }

}
