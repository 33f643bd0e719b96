import Foundation
import Logging
import Synchronization
import TradewindCore
import TradewindData
import TradewindOptimizer
import TradewindStore
import TradewindStrategies

/// `tradewind worker`: claims tasks of distributed optimisation jobs from the server's PostgreSQL queue and computes
/// them, one at a time, each with `threads` threads, exactly as the server computes a symbol in-process
/// (`SymbolComputation`). While a task runs, a heartbeat renews its lease; when the worker no longer holds the task
/// (another worker took it after the lease expired, or the job was cancelled), or cannot reach the database for a
/// whole lease, it stops the computation and gives the task up. Results are committed idempotently
/// (`WorkQueue.complete`). Idle, it sleeps until `NOTIFY` (or a slow timer) says there may be work. `drain()`
/// (SIGTERM) finishes the task in hand, claims no more and signs off.
public final class TaskWorker: Sendable {
    public let configuration: WorkerConfiguration
    let store: SQLStore
    let queue: WorkQueue
    let catalog: StrategyCatalog
    let logger: Logger
    let loader: MarketLoader
    let data: DataClient?
    let draining = Atomic<Bool>(false)
    /// This worker process's identity in the queue's worker registry (`HOST PID NONCE PIDNS`, as a job owner's).
    let identity = JobOwner.current()
    let bell: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    /// A job as a worker computes it: its request, zone and preparation (shared by the job's symbols).
    struct PreparedJob: Sendable {
        var request: OptimizationRequest
        /// The request with its fold training (ML strategies).
        var jobRequest: OptimizeJobRequest
        var tz: String?
        var prepared: PreparedOptimization
        /// The server's zone for times in results.
        var times: Timestamps
    }

    /// The jobs whose fold models this worker kept in its home, removed once the job is deleted. Only these: the
    /// home may be shared with a server of another store, whose jobs' folders are not the worker's.
    let keptFoldModels = Mutex<Set<Int64>>([])

    /// The jobs prepared so far, the most recent last.
    let prepared = Mutex<[(jobID: Int64, job: PreparedJob)]>([])

    init(configuration: WorkerConfiguration, store: SQLStore, queue: WorkQueue, catalog: StrategyCatalog, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.queue = queue
        self.catalog = catalog
        self.logger = logger
        loader = MarketLoader(home: configuration.home)
        data = configuration.server.flatMap(URL.init(string:)).map {
            DataClient(server: $0, token: configuration.token,
                       directory: (configuration.home as NSString).appendingPathComponent("cache"))
        }
        bell = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Checks the configuration and connects to the queue's database.
    public static func make(_ configuration: WorkerConfiguration, catalog: StrategyCatalog = .builtIn,
                            logger: Logger = Logger(label: "tradewind.worker")) async throws -> TaskWorker {
        try configuration.validate()
        let store = try await SQLStore.open(configuration.database)
        do {
            return TaskWorker(configuration: configuration, store: store, queue: try WorkQueue(store: store),
                              catalog: catalog, logger: logger)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Finishes the task in hand, claims no more, and makes `run` return.
    public func drain() {
        draining.store(true, ordering: .sequentiallyConsistent)
        bell.continuation.yield()
    }

    var isDraining: Bool { draining.load(ordering: .sequentiallyConsistent) }

    /// Serves the queue until `drain()`.
    public func run() async throws {
        let name = configuration.name, me = identity.text
        try await Self.register(queue, name: name, threads: configuration.threads, lease: configuration.leaseSeconds,
                                as: identity) { pid in kill(pid, 0) != 0 && errno == ESRCH }
        logger.info("worker ready", metadata: ["name": "\(name)", "threads": "\(configuration.threads)",
                                               "database": "\(PostgreSQLDatabase.redacted(configuration.database))"])
        let wakeups = queue.wakeups(every: configuration.heartbeatSeconds, logger: logger)
        let bell = self.bell.continuation
        let forwarder = Task {
            for await _ in wakeups { bell.yield() }
        }
        bell.yield()
        for await _ in self.bell.stream {
            if isDraining { break }
            do {
                let mine = try await withDeadline(configuration.leaseSeconds) {
                    try await self.queue.heartbeat(worker: name, identity: me, state: "idle", taskID: nil)
                }
                guard mine else {
                    // Paused or cut off past its lease, this worker was judged dead and another took its name: two
                    // workers under one name would renew each other's task leases, so this one stops.
                    logger.error("another worker took this worker's name (its heartbeat had expired): stopping",
                                 metadata: ["name": "\(name)"])
                    draining.store(true, ordering: .sequentiallyConsistent)
                    break
                }
                while !isDraining, let task = try await withDeadline(configuration.leaseSeconds, {
                    try await self.queue.claim(worker: name, lease: self.configuration.leaseSeconds)
                }) {
                    await perform(task)
                }
            } catch {
                logger.warning("queue unavailable; retrying", metadata: ["error": "\(error)"])
            }
            if isDraining { break }
        }
        forwarder.cancel()
        try? await withDeadline(5) { try await self.queue.unregister(worker: name, identity: me) }
        logger.info("worker stopped", metadata: ["name": "\(name)"])
        await store.close()
    }

    /// Registers `name` for the worker `me`, taking the name over from a holder known dead: one whose identity says
    /// it ran in this process table (this host name and this pid namespace) and whose pid `gone` says names no
    /// process. A holder in another pid namespace — a container with the same host name — or of unknown identity is
    /// judged only by its heartbeat (the queue frees the name once it is older than the lease): its pid means nothing
    /// here. Throws `WorkerNameTaken` while the holder may be alive.
    static func register(_ queue: WorkQueue, name: String, threads: Int, lease: Double, as me: JobOwner,
                         gone: (Int32) -> Bool) async throws {
        do {
            try await queue.register(worker: name, host: me.host, threads: threads, pid: Int(me.pid), identity: me.text, lease: lease)
        } catch let taken as WorkerNameTaken where holderKnownDead(taken, seenFrom: me, gone: gone) {
            try await queue.register(worker: name, host: me.host, threads: threads, pid: Int(me.pid), identity: me.text, lease: lease,
                                     replacing: true)
        }
    }

    /// Whether the holder of a taken name is known dead from `me`'s process table (see `register`).
    static func holderKnownDead(_ taken: WorkerNameTaken, seenFrom me: JobOwner, gone: (Int32) -> Bool) -> Bool {
        guard let text = taken.identity, let holder = JobOwner(text: text) else { return false }
        return holder.died(seenFrom: me.host, pidNamespace: me.pidNamespace, gone: gone)
    }

    // MARK: one task

    /// Computes a claimed task and commits its result, under a lease kept by heartbeats.
    func perform(_ task: ClaimedTask) async {
        let name = configuration.name
        logger.info("claimed", metadata: ["task": "\(task.id)", "job": "\(task.jobID)", "symbol": "\(task.symbol)",
                                          "attempt": "\(task.attempt)"])
        let started = ContinuousClock.now
        let compute = Task { try await self.compute(task) }
        let lease = Task { await self.keepLease(task, compute: compute) }
        let outcome = await compute.result
        let computeSeconds = JobScheduler.seconds(ContinuousClock.now - started)
        lease.cancel()
        let keptLease = await lease.value
        do {
            switch outcome {
            case let .success(computed?):
                let commit = try await commitPatiently {
                    try await self.queue.complete(taskID: task.id, worker: name, evaluations: Int64(computed.evaluations),
                                                  computeSeconds: computeSeconds, result: computed.result)
                }
                if case .stored = commit {
                    try? await withDeadline(configuration.leaseSeconds) {
                        try await self.store.appendJobLog(task.jobID, level: "info",
                                                          message: SymbolComputation.logLine(task.symbol, computed) + " (worker \(name))")
                    }
                }
                logger.info("committed", metadata: ["task": "\(task.id)", "symbol": "\(task.symbol)", "outcome": "\(commit)",
                                                    "seconds": "\(computeSeconds)"])
            case .success(nil):
                try await commitPatiently {
                    try await self.queue.complete(taskID: task.id, worker: name, evaluations: 0, computeSeconds: computeSeconds,
                                                  result: nil)
                }
            case let .failure(error) where error is CancellationError:
                if keptLease { try? await withDeadline(5) { try await self.queue.release(taskID: task.id, worker: name) } }
            case let .failure(error):
                let reason = "\(task.symbol): " + APIError.from(error).message
                logger.warning("task failed", metadata: ["task": "\(task.id)", "reason": "\(reason)"])
                try await commitPatiently { try await self.queue.fail(taskID: task.id, worker: name, reason: reason) }
            }
        } catch let lost as TaskTakenOver {
            logger.warning("lost the task before recording its failure: nothing recorded", metadata: ["task": "\(task.id)",
                                                                                                      "reason": "\(lost)"])
        } catch {
            logger.warning("could not record the task; its lease expires and another worker redoes it",
                           metadata: ["task": "\(task.id)", "error": "\(error)"])
        }
        // Kept fold models of jobs deleted since go too.
        let kept = keptFoldModels.withLock { $0 }
        if !kept.isEmpty {
            await JobFolders.removeDeleted(home: configuration.home, store: store, among: kept)
            let gone = kept.filter { !FileManager.default.fileExists(atPath: JobFolders.foldModels($0, home: configuration.home)) }
            keptFoldModels.withLock { $0.subtract(gone) }
        }
    }

    /// Renews the task's lease every heartbeat until cancelled; returns whether the lease was still held. Stops
    /// `compute` when the task is lost, or when the database stayed unreachable for a whole lease (the lease has
    /// expired by then: another worker may be computing the task).
    func keepLease(_ task: ClaimedTask, compute: Task<SymbolComputation.Outcome?, any Error>) async -> Bool {
        let name = configuration.name
        var lastRenewed = ContinuousClock.now
        let lease = Duration.milliseconds(Int64(configuration.leaseSeconds * 1000))
        while (try? await Task.sleep(for: .milliseconds(Int64(configuration.heartbeatSeconds * 1000)))) != nil {
            do {
                // Half a lease to answer: a loaded database is slow, not gone.
                let held = try await withDeadline(configuration.leaseSeconds / 2) {
                    try await self.queue.renew(taskID: task.id, worker: name, lease: self.configuration.leaseSeconds)
                }
                guard held else {
                    logger.warning("lost the task (the job was cancelled or another worker took it)",
                                   metadata: ["task": "\(task.id)", "symbol": "\(task.symbol)"])
                    compute.cancel()
                    return false
                }
                lastRenewed = ContinuousClock.now
                try? await withDeadline(configuration.heartbeatSeconds) {
                    try await self.queue.heartbeat(worker: name, identity: self.identity.text,
                                                   state: self.isDraining ? "draining" : "busy", taskID: task.id)
                }
            } catch {
                if ContinuousClock.now - lastRenewed >= lease {
                    logger.warning("cut off from the database for a whole lease: giving the task up",
                                   metadata: ["task": "\(task.id)", "symbol": "\(task.symbol)", "error": "\(error)"])
                    compute.cancel()
                    return false
                }
            }
        }
        return true
    }

    /// Retries `body` (a database write) for up to a minute while the database is unreachable (a restart).
    @discardableResult
    func commitPatiently<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await withDeadline(configuration.leaseSeconds, body)
            } catch {
                // A refused write is an answer, not an outage: retrying it changes nothing.
                if ContinuousClock.now >= deadline || error is TaskTakenOver || error is JobTakenOver { throw error }
                logger.warning("commit failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// The task's symbol optimised and its result built.
    func compute(_ task: ClaimedTask) async throws -> SymbolComputation.Outcome? {
        let job = try await preparedJob(task)
        guard let series = job.prepared.series.first(where: { $0.symbol == task.symbol }) else {
            throw APIError.badRequest("the job's data has no bars for \(task.symbol) in its period", field: "symbols")
        }
        // An ML strategy retrains per fold here, with the job's settings: the same models as the server's and the
        // command's. Kept models go to this worker's home, as the server keeps its own; others go with the task.
        let keep = job.jobRequest.keepFoldModels
        let home = configuration.home
        let folder = keep ? JobFolders.foldModels(task.jobID, home: home) : JobFolders.scratchFoldModels(task.jobID, home: home)
        if keep { _ = keptFoldModels.withLock { $0.insert(task.jobID) } }
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let prepared = try SymbolComputation.retrained(job.prepared, job.jobRequest, foldModels: folder)
        return try await SymbolComputation.run(prepared, series: series, request: job.request, tz: job.tz,
                                               times: job.times)
    }

    /// The task's job prepared for its data: read and prepared at the job's first task, kept for the next ones.
    func preparedJob(_ task: ClaimedTask) async throws -> PreparedJob {
        if let hit = prepared.withLock({ $0.first { $0.jobID == task.jobID }?.job }) { return hit }
        let payload = try await withDeadline(configuration.leaseSeconds) { try await self.queue.jobPayload(jobID: task.jobID) }
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(payload.request.utf8))
        guard case let .optimize(jobRequest) = submission.request else {
            throw APIError.badRequest("job \(task.jobID) is not an optimisation", field: "kind")
        }
        let request = jobRequest.optimization
        let tz = submission.tz
        let threads = ThreadBudget(configuration.threads)
        let job: PreparedOptimization
        if let data {
            let symbols = payload.symbols.isEmpty ? [task.symbol] : payload.symbols
            let fetched = MarketLoader.adjusted(try await data.load(request.data, symbols: symbols, tz: tz), request.adjust)
            job = try await SymbolComputation.prepare(request, tz: tz, resolvedData: request.data, catalog: catalog,
                                                      threads: threads) { _ in fetched }
        } else {
            let loader = self.loader
            job = try await SymbolComputation.prepare(request, tz: tz, resolvedData: loader.resolve(request.data),
                                                      catalog: catalog, threads: threads) { zone in
                try loader.load(request.data, symbols: request.symbols, zone: zone, adjust: request.adjust, threads: threads)
            }
        }
        let displayZone = (try? ZoneRules.named(payload.displayZone)) ?? .utc
        let prepared = PreparedJob(request: request, jobRequest: jobRequest, tz: tz, prepared: job, times: Timestamps(zone: displayZone))
        self.prepared.withLock { cache in
            cache.append((task.jobID, prepared))
            if cache.count > 4 { cache.removeFirst(cache.count - 4) }
        }
        return prepared
    }
}

/// The time allowed ran out.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no answer within \(seconds) s" }
}

/// Runs `body`, throwing `DeadlineExceeded` when it takes longer than `seconds`: a database that stopped answering
/// (a partition) leaves a query waiting for TCP to give up, which takes minutes. The late `body` is cancelled and
/// left to finish on its own.
func withDeadline<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let race = DeadlineRace(continuation)
        let work = Task {
            do {
                race.finish(.success(try await body()))
            } catch {
                race.finish(.failure(error))
            }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            if race.finish(.failure(DeadlineExceeded(seconds: seconds))) { work.cancel() }
        }
    }
}

/// The first of a body and its deadline to finish resumes the waiting caller; the other is ignored.
final class DeadlineRace<T: Sendable>: Sendable {
    let pending: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { pending = Mutex(continuation) }

    /// Resumes the caller with `result` unless it was resumed already; returns whether this call resumed it.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        guard let c = pending.withLock({ $0.take() }) else { return false }
        c.resume(with: result)
        return true
    }
}
