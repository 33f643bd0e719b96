import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindProviders
import TradewindStore
import TradewindStrategies

/// Runs queued jobs on `workers` concurrent slots, each job's CPU work on dedicated threads within its own thread
/// budget (cores ÷ workers), never on the event loop. A job's symbols are stored one by one as they finish (each in
/// one durable transaction); a job interrupted by a stop or a crash continues with the symbols not yet stored (a
/// training job after its last stored epoch). Each running job is held under a lease (`jobLease` seconds) renewed
/// every third of it: servers sharing one database hand jobs over — a job whose server died is claimed by another
/// once its lease expired. The lease is this server's right to write the job's record, and it is fenced both ways:
/// every write the job makes to its record names this server as its holder and is refused once another server
/// holds it (`JobTakenOver`: the job stops here, the new holder's record untouched), and a job whose lease went a
/// whole lease without a renewal that succeeded (this server cut off from the database, or paused) is stopped here
/// as lost, by this server's monotonic clock, whether or not the database answers — it is queued again at the next
/// renewal that succeeds, unless another server claimed it meanwhile. At start, the jobs of a holder that died in
/// this process table (`JobOwner`) are queued again at once. Runs as a service of the application: a graceful
/// shutdown stops the jobs at their next batch and queues them again, renewing their leases until every one has
/// stopped.
final class JobScheduler: Service, Sendable {
    let store: any TradewindStore
    let hub: EventHub
    let metrics: ServerMetrics
    let workers: Int
    let loader: MarketLoader
    let backtests: BacktestRun
    let logger: Logger
    let catalog: StrategyCatalog
    /// The PostgreSQL work queue: optimisation jobs are sharded into tasks for `tradewind worker` processes
    /// (nil with SQLite: jobs run in-process).
    let queue: WorkQueue?
    /// Where data-fetch jobs read provider keys and base URLs.
    let providers: ProviderEnvironment
    let wakeStream: AsyncStream<Void>
    let wakeContinuation: AsyncStream<Void>.Continuation
    /// Running jobs' tasks, to cancel them.
    let running = Mutex<[Int64: Task<Void, Never>]>([:])
    /// Training jobs' status and metrics, per model name.
    let training = TrainingBoard()
    /// This server as the holder of the jobs it runs.
    let owner = JobOwner.current()
    /// Seconds a running job's lease lasts without renewal.
    let jobLease: Double
    /// The priority of the jobs' threads (`ThreadPriority.dedicatedThreads` around each job).
    let jobPriority: ThreadPriority
    /// Running jobs stopped here without touching their record, and why.
    let lost = Mutex<[Int64: JobLoss]>([:])
    /// When each running job's lease was last extended, by this server's monotonic clock: when its claim, or its last
    /// renewal that succeeded, was sent (the database set its `lease_until` to its own now plus the lease after that).
    let leased = Mutex<[Int64: ContinuousClock.Instant]>([:])
    /// Jobs stopped here because their lease lapsed, still recorded as this server's: queued again (a fenced
    /// release) at the next renewal that succeeds.
    let lapsed = Mutex<Set<Int64>>([])

    init(store: any TradewindStore, hub: EventHub, metrics: ServerMetrics, workers: Int, loader: MarketLoader,
         backtests: BacktestRun, catalog: StrategyCatalog, queue: WorkQueue?, providers: ProviderEnvironment, logger: Logger,
         jobLease: Double = 30, jobPriority: ThreadPriority = .normal) {
        self.jobLease = jobLease
        self.jobPriority = jobPriority
        // The relay that lowered job threads hand their results and events to, started from this thread (at the
        // server's priority) before any job runs.
        if jobPriority != .normal { ThreadPriority.startRelay() }
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.workers = max(1, workers)
        self.loader = loader
        self.backtests = backtests
        self.catalog = catalog
        self.queue = queue
        self.providers = providers
        self.logger = logger
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Each job's thread budget: the cores shared among the worker slots.
    var budget: ThreadBudget { ThreadBudget.all.share(among: workers) }

    /// Tells the workers a job was queued.
    func wake() { wakeContinuation.yield() }

    /// Stops a running job at its next batch (it is then marked cancelled).
    func cancel(_ id: Int64) {
        running.withLock { $0[id] }?.cancel()
    }

    func run() async throws {
        let requeued = try await store.requeueJobs(heldBy: try await deadHolders())
        if !requeued.isEmpty {
            logger.info("resuming interrupted jobs", metadata: ["jobs": "\(requeued.map(String.init).joined(separator: ","))"])
        }
        await withTaskGroup(of: Void.self) { leases in
            // The leases are renewed (and watched) until every job running here has stopped — released, checkpointed
            // or ended: a lease that lapsed while its job still wrote would let another server claim it meanwhile.
            leases.addTask { await self.renewLeases() }
            leases.addTask { await self.watchLeases() }
            await runWorkers()
            leases.cancelAll()
        }
    }

    /// The worker slots and their wake-ups, until a graceful shutdown (or cancellation) has stopped every job.
    func runWorkers() async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                // One stream per worker slot: the waker rings every slot on a new job, and every 2 s (jobs queued by
                // another server on the same database).
                let slots = (0..<workers).map { _ in AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)) }
                let bells = slots.map(\.continuation)
                group.addTask {
                    for await _ in self.wakeStream { for b in bells { b.yield() } }
                    for b in bells { b.finish() }
                }
                group.addTask {
                    while (try? await Task.sleep(for: .seconds(2))) != nil { for b in bells { b.yield() } }
                }
                for (slot, s) in slots.enumerated() {
                    let stream = s.stream
                    group.addTask { await self.workerLoop(slot: slot, signals: stream) }
                }
                for b in bells { b.yield() }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.wakeContinuation.finish()
            for task in self.running.withLock({ Array($0.values) }) { task.cancel() }
        }
    }

    func workerLoop(slot: Int, signals: AsyncStream<Void>) async {
        for await _ in signals {
            if Task.isCancelled { return }
            do {
                while true {
                    let asked = ContinuousClock.now
                    guard let job = try await store.claimNextJob(owner: owner.text, lease: jobLease) else { break }
                    await execute(job, leasedAt: asked)
                    if Task.isCancelled { return }
                }
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                logger.error("job queue unavailable", metadata: ["error": "\(error)", "slot": "\(slot)"])
            }
        }
    }

    /// Runs one claimed job to its end (or to a stop), recording its outcome; `leasedAt` is when its claim was sent.
    func execute(_ job: JobRecord, leasedAt: ContinuousClock.Instant = .now) async {
        // One run of a job per server: a claim of a job this server already runs is left to that run.
        let started: Task<Void, Never>? = running.withLock { running in
            guard running[job.id] == nil else { return nil }
            let task = Task { await self.perform(job) }
            running[job.id] = task
            leased.withLock { $0[job.id] = leasedAt }
            return task
        }
        guard let task = started else {
            logger.warning("job claimed again while it runs here; left to the run in progress", metadata: ["job": "\(job.id)"])
            return
        }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        // The run and its loss leave together, under the lock `lose` records a loss under.
        let loss = running.withLock { running -> JobLoss? in
            running[job.id] = nil
            return lost.withLock { $0.removeValue(forKey: job.id) }
        }
        leased.withLock { $0[job.id] = nil }
        if loss == .leaseLapsed {
            lapsed.withLock { _ = $0.insert(job.id) }
        }
    }

    /// The holders of running jobs known to be dead (`JobOwner.diedOnThisHost`).
    func deadHolders() async throws -> [String] {
        let held = try await store.jobs(statuses: [.running], page: PageRequest(limit: 1000)).items.compactMap(\.owner)
        return Array(Set(held.filter { JobOwner(text: $0)?.diedOnThisHost == true })).sorted()
    }

    /// Renews the leases of the jobs this server runs every third of a lease; stops here the jobs it no longer holds
    /// (another server claimed them after their lease expired: this one was paused or cut off for too long), queues
    /// again the jobs it stopped when their lease lapsed, and queues again the jobs it holds but runs no more
    /// (`releaseOrphans`).
    func renewLeases() async {
        var orphans = Set<Int64>()
        while (try? await Task.sleep(for: .seconds(jobLease / 3))) != nil {
            do {
                // Only jobs running before the renewal: one claimed while it ran is held but not among its answer.
                let before = running.withLock { $0 }
                let sent = ContinuousClock.now
                let held = Set(try await store.renewJobLeases(owner: owner.text, lease: jobLease))
                leased.withLock { leased in
                    for id in held { if let last = leased[id], last < sent { leased[id] = sent } }
                }
                for (id, task) in before where !held.contains(id) {
                    // A job that just finished or was released here is missing from the answer too: only one that
                    // is still running, under another holder, was taken over.
                    guard let record = try await store.job(id), record.status == .running, record.owner != owner.text
                    else { continue }
                    if lose(id, .takenOver, task: task) {
                        logger.warning("job taken over by another server (its lease expired); stopping it here", metadata: ["job": "\(id)"])
                    }
                }
                try await releaseLapsed()
                orphans = try await releaseOrphans(held: held, seenBefore: orphans)
            } catch {
                logger.error("job leases not renewed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Queues again (a release fenced on this server as holder) the jobs that two renewals in a row found held here
    /// but not running here, nor stopped when their lease lapsed: a run that ended without its end being recorded
    /// (the database refused the write of its outcome, say while it restarted). Left alone, such a job would stay
    /// "running" for as long as this server renews its lease; queued again, it resumes and records its end (its
    /// stored symbols are kept). Two renewals, because a job claimed here while a renewal was under way is held
    /// before it is running. Returns the jobs found so this time and not yet queued again.
    func releaseOrphans(held: Set<Int64>, seenBefore: Set<Int64>) async throws -> Set<Int64> {
        let runningHere = running.withLock { Set($0.keys) }
        let stoppedHere = lapsed.withLock { $0 }
        let orphans = held.subtracting(runningHere).subtracting(stoppedHere)
        for id in orphans.intersection(seenBefore).sorted() where try await store.releaseJob(id, owner: owner.text) {
            logger.warning("job held here but running nowhere here is queued again", metadata: ["job": "\(id)"])
            await log(id, "warning", "held on \(owner.shown) with no run there (its end was not recorded); queued again")
            wake()
        }
        return orphans.subtracting(seenBefore)
    }

    /// Stops here, as lost, each running job whose lease went a whole lease without a renewal that succeeded (by
    /// this server's monotonic clock, from when its claim or last renewal was sent): another server may hold it by
    /// now. Needs no answer from the database — a renewal that hangs or fails is the reason. Checks ten times a lease.
    func watchLeases() async {
        while (try? await Task.sleep(for: .seconds(jobLease / 10))) != nil {
            let now = ContinuousClock.now
            let expired = leased.withLock { $0.filter { now - $0.value >= .seconds(jobLease) }.map(\.key) }
            for id in expired.sorted() where lose(id, .leaseLapsed) {
                logger.error("no lease renewal succeeded for a whole lease; stopping the job here (another server may claim it)",
                             metadata: ["job": "\(id)", "lease_seconds": "\(jobLease)"])
            }
        }
    }

    /// Queues again (a release fenced on this server as holder) the jobs stopped here when their lease lapsed, now
    /// that the database answers; one another server claimed meanwhile is left to it.
    func releaseLapsed() async throws {
        for id in lapsed.withLock({ $0.sorted() }) {
            let released = try await store.releaseJob(id, owner: owner.text)
            lapsed.withLock { _ = $0.remove(id) }
            if released {
                logger.info("job stopped when its lease lapsed is queued again", metadata: ["job": "\(id)"])
                await log(id, "warning", "stopped on \(owner.shown) when its lease lapsed unrenewed; queued again")
                wake()
            }
        }
    }

    /// Stops a running job here without touching its record (`reason` says why); true when it was running here (as
    /// `task`, when given) and not already lost. The loss is recorded only while the run is registered, under its
    /// lock: a run that ended meanwhile leaves no loss behind to mislead the job's next run on this server.
    @discardableResult
    func lose(_ id: Int64, _ reason: JobLoss = .takenOver, task expected: Task<Void, Never>? = nil) -> Bool {
        let stopping: Task<Void, Never>? = running.withLock { running in
            guard let task = running[id], expected == nil || task == expected else { return nil }
            let first = lost.withLock { lost in
                guard lost[id] == nil else { return false }
                lost[id] = reason
                return true
            }
            return first ? task : nil
        }
        stopping?.cancel()
        return stopping != nil
    }

    func perform(_ job: JobRecord) async {
        let started = ContinuousClock.now
        if job.cancelRequested {
            // Cancelled while its previous holder ran it: ended here as cancelled, not run to the end.
            try? await shielded { try await self.stopped(job) }
            return
        }
        do {
            let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(job.request.utf8))
            await log(job.id, "info", (job.symbolsDone > 0 ? "resumed (\(job.symbolsDone) of \(job.symbolsTotal) symbols done)" : "started")
                + " on \(owner.shown)")
            // The job's threads run below the server's priority (`--job-priority`): the event loops win the cores.
            try await ThreadPriority.$dedicatedThreads.withValue(jobPriority) {
                switch submission.request {
                case let .backtest(request): try await runBacktest(job, request)
                case let .optimize(request): try await runOptimization(job, request, tz: submission.tz)
                case let .training(request): try await runTraining(job, request, tz: submission.tz)
                case let .dataFetch(request): try await runDataFetch(job, request)
                }
            }
            if Task.isCancelled {
                try await shielded { try await self.stopped(job) }
                return
            }
            try await store.finishJob(job.id, owner: owner.text, status: .succeeded, failure: nil)
            let seconds = Self.seconds(ContinuousClock.now - started)
            await log(job.id, "info", String(format: "finished in %.2f s", seconds))
            hub.publish(LiveMessage(type: "job.finished", jobID: job.id,
                                    data: JobEndEvent(jobID: job.id, status: "succeeded", reason: nil,
                                                      durationSeconds: try await store.job(job.id)?.durationSeconds)))
        } catch is CancellationError {
            try? await shielded { try await self.stopped(job) }
        } catch is JobTakenOver {
            // A write of the job was refused: another server holds it now.
            lose(job.id, .takenOver)
            try? await shielded { try await self.stopped(job) }
        } catch {
            if Task.isCancelled {
                try? await shielded { try await self.stopped(job) }
                return
            }
            let reason = APIError.from(error).message
            logger.warning("job failed", metadata: ["job": "\(job.id)", "reason": "\(reason)"])
            await log(job.id, "error", reason)
            do {
                try await store.finishJob(job.id, owner: owner.text, status: .failed, failure: reason)
            } catch is JobTakenOver {
                lose(job.id, .takenOver)
                try? await shielded { try await self.stopped(job) }
                return
            } catch {
                logger.error("job's failure not recorded", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
            hub.publish(LiveMessage(type: "job.failed", jobID: job.id,
                                    data: JobEndEvent(jobID: job.id, status: "failed", reason: reason, durationSeconds: nil)))
        }
    }

    /// A job stopped early: cancelled when a client asked, left alone when another server took it over or its lease
    /// lapsed unrenewed, else (server shutdown) queued again to resume at the next start or on another server. Each
    /// write is fenced on this server as the holder: one refused means the job was taken over meanwhile.
    func stopped(_ job: JobRecord) async throws {
        switch lost.withLock({ $0[job.id] }) {
        case .takenOver?:
            await log(job.id, "warning", "stopped on \(owner.shown): another server took the job over after its lease expired")
            return
        case .leaseLapsed?:
            // No write: the database did not answer a renewal for a whole lease (it is queued again once it does).
            logger.warning("job stopped here: its lease lapsed unrenewed", metadata: ["job": "\(job.id)"])
            return
        case nil:
            break
        }
        let current = try await store.job(job.id)
        if current?.cancelRequested == true {
            do {
                try await queue?.cancel(jobID: job.id, owner: owner.text)
                try await store.finishJob(job.id, owner: owner.text, status: .cancelled, failure: "cancelled by request")
            } catch is JobTakenOver {
                lose(job.id, .takenOver)
                await log(job.id, "warning", "stopped on \(owner.shown): another server took the job over after its lease expired")
                return
            }
            await log(job.id, "info", "cancelled")
            hub.publish(LiveMessage(type: "job.cancelled", jobID: job.id,
                                    data: JobEndEvent(jobID: job.id, status: "cancelled", reason: "cancelled by request",
                                                      durationSeconds: nil)))
        } else if try await store.releaseJob(job.id, owner: owner.text) {
            await log(job.id, "info", "stopped by shutdown; resumes at the next start")
        } else {
            lose(job.id, .takenOver)
            await log(job.id, "warning", "stopped on \(owner.shown): another server took the job over after its lease expired")
        }
    }

    /// Runs `body` in a task of its own, so that a stop asked of the job (task cancellation) never interrupts the
    /// store's bookkeeping — recording a finished symbol, or the job's end.
    func shielded<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await body() }.value
    }

    func log(_ id: Int64, _ level: String, _ message: String) async {
        let store = self.store
        _ = try? await shielded { try await store.appendJobLog(id, level: level, message: message) }
        hub.publish(LiveMessage(type: "job.log", jobID: id,
                                data: JobLogEvent(jobID: id, level: level, message: message,
                                                  at: backtests.times.string(StoreClock.now()))))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    // MARK: kinds

    func runBacktest(_ job: JobRecord, _ request: BacktestRequest) async throws {
        let symbol = request.symbols?.joined(separator: ",") ?? "all"
        try await store.setJobSymbols(job.id, symbols: [symbol])
        if try await store.jobSymbols(job.id).first?.status == "done" { return }
        let run = try await backtests.run(request, threads: budget)
        let id = try await store.finishJobSymbol(job.id, owner: owner.text, symbol: symbol, evaluations: 1, result: run.result)
        metrics.evaluations.increment()
        _ = try await store.recordSession(run.session)
        hub.publish(LiveMessage(type: "result.stored", jobID: job.id,
                                data: ResultStoredEvent(resultID: id, jobID: job.id, symbol: symbol, strategy: request.strategy)))
    }

    func runOptimization(_ job: JobRecord, _ jobRequest: OptimizeJobRequest, tz: String?) async throws {
        let request = jobRequest.optimization
        let loader = self.loader
        let budget = self.budget
        // An ML strategy's fold models: kept in the job's folder until the job is deleted, or removed at its end.
        let foldModels = JobFolders.foldModels(job.id, home: loader.home)
        let preparedJob = try SymbolComputation.retrained(try await SymbolComputation.prepare(
            request, tz: tz, resolvedData: loader.resolve(request.data), catalog: catalog, threads: budget
        ) { zone in
            try loader.load(request.data, symbols: request.symbols, zone: zone, adjust: request.adjust, threads: budget)
        }, jobRequest, foldModels: foldModels)
        if preparedJob.job.inSampleFit != nil {
            await log(job.id, "info", "retraining the model on each in-sample window (\(jobRequest.training.epochs) epochs; "
                      + (jobRequest.keepFoldModels ? "fold models kept until the job is deleted)" : "fold models removed at the end)"))
        }
        defer { if !jobRequest.keepFoldModels { try? FileManager.default.removeItem(atPath: foldModels) } }
        for note in preparedJob.notes { await log(job.id, "info", "note: " + note) }
        let symbols = preparedJob.series.map(\.symbol)
        try await store.setJobSymbols(job.id, symbols: symbols)
        let done = Set(try await store.jobSymbols(job.id).filter { $0.status == "done" }.map(\.symbol))
        if let queue {
            try await runDistributed(job, strategy: request.strategy, queue: queue, symbols: symbols.filter { !done.contains($0) }, total: symbols.count,
                                     doneBefore: done.count)
            return
        }
        let total = symbols.count
        var finished = done.count
        let clock = ContinuousClock.now
        var evaluationsThisRun = 0
        let progressState = Mutex<(fraction: Double, published: ContinuousClock.Instant)>((0, ContinuousClock.now - .seconds(1)))
        for series in preparedJob.series where !done.contains(series.symbol) {
            try Task.checkCancellation()
            let base = Double(finished)
            let finishedNow = finished
            let hub = self.hub
            let times = backtests.times
            let jobID = job.id
            let symbol = series.symbol
            let evaluatedBefore = evaluationsThisRun
            let computed = try await SymbolComputation.run(preparedJob, series: series, request: request, tz: tz,
                                                           times: times, progress: { fraction, _ in
                let overall = (base + min(max(fraction, 0), 1)) / Double(max(total, 1))
                let now = ContinuousClock.now
                let publish = progressState.withLock { s -> Bool in
                    s.fraction = overall
                    guard now - s.published >= .milliseconds(100) else { return false }
                    s.published = now
                    return true
                }
                guard publish else { return }
                let elapsed = Self.seconds(now - clock)
                let runFraction = overall - Double(done.count) / Double(max(total, 1))
                let eta = runFraction > 0 ? elapsed * (1 - overall) / runFraction : nil
                let rate = elapsed > 0 && evaluatedBefore > 0 ? Double(evaluatedBefore) / elapsed : nil
                hub.publish(LiveMessage(type: "job.progress", jobID: jobID,
                                        data: JobProgressEvent(jobID: jobID, fraction: overall, symbolsDone: finishedNow,
                                                               symbolsTotal: total, symbol: symbol, etaSeconds: eta,
                                                               evaluationsPerSecond: rate,
                                                               emittedAt: times.string(StoreClock.now()))))
            })
            guard let computed else { continue }
            let evaluations = computed.evaluations
            evaluationsThisRun += evaluations
            metrics.evaluations.increment(by: Int64(evaluations))
            let (store, holder) = (self.store, owner.text)
            let id = try await shielded {
                try await store.finishJobSymbol(job.id, owner: holder, symbol: series.symbol, evaluations: Int64(evaluations),
                                                result: computed.result)
            }
            finished += 1
            let elapsed = Self.seconds(ContinuousClock.now - clock)
            let computedCount = finished - done.count
            let eta = computedCount > 0 ? elapsed / Double(computedCount) * Double(total - finished) : nil
            await log(job.id, "info", SymbolComputation.logLine(series.symbol, computed))
            hub.publish(LiveMessage(type: "result.stored", jobID: job.id,
                                    data: ResultStoredEvent(resultID: id, jobID: job.id, symbol: series.symbol,
                                                            strategy: request.strategy)))
            hub.publish(LiveMessage(type: "job.progress", jobID: job.id,
                                    data: JobProgressEvent(jobID: job.id, fraction: Double(finished) / Double(max(total, 1)),
                                                           symbolsDone: finished, symbolsTotal: total, symbol: nil,
                                                           etaSeconds: eta,
                                                           evaluationsPerSecond: elapsed > 0 ? Double(evaluationsThisRun) / elapsed : nil,
                                                           emittedAt: backtests.times.string(StoreClock.now()))))
        }
    }
}

/// Why a running job stopped on this server without touching its record.
enum JobLoss: Sendable, Equatable {
    /// Another server holds it: a renewal's answer or a refused write (`JobTakenOver`) showed it.
    case takenOver
    /// No renewal succeeded for a whole lease: another server may hold it (this one cannot tell).
    case leaseLapsed
}
