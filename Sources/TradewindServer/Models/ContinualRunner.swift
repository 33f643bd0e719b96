import Foundation
import Logging
import ServiceLifecycle
import TradewindCore
import TradewindModels
import TradewindStore

/// Continual learning inside the server (`tradewind serve --continual …`, off by default): the options of
/// `tradewind ml schedule`, run as `training` jobs.
public struct ContinualConfiguration: Sendable, Equatable {
    /// When the steps are due (incremental updates only on the exchange calendar's sessions).
    public var schedule: ContinualSchedule
    /// The scheduled jobs' request: name, data, symbols, widths, epochs of a full retrain, `update_window`,
    /// `performance_threshold`, `keep`. The schedule sets `mode`, the epochs of an update, `automatic_rollback` and
    /// `scheduled_for`.
    public var request: TrainingRequest
    /// Fine-tuning epochs of an incremental update.
    public var updateEpochs: Int

    public init(schedule: ContinualSchedule, request: TrainingRequest, updateEpochs: Int = 5) {
        self.schedule = schedule
        self.request = request
        self.updateEpochs = updateEpochs
    }
}

/// The time the continual-learning schedule reads and waits on: the system clock in a server, a test's own
/// clock in the tests (nothing waits for real times).
public protocol ContinualClock: Sendable {
    /// Now, nanoseconds since 1970 UTC.
    func now() -> UnixNanos
    /// Returns at `instant` (or when the task is cancelled, throwing).
    func sleep(until instant: UnixNanos) async throws
}

/// The system clock.
public struct SystemContinualClock: ContinualClock {
    public init() {}
    public func now() -> UnixNanos { UnixNanos((Date().timeIntervalSince1970 * 1e6).rounded(.down)) * 1000 }
    public func sleep(until instant: UnixNanos) async throws {
        let wait = instant - now()
        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait)) }
    }
}

/// Enqueues continual learning's steps as `training` jobs (the kind `POST /api/train-all` makes, so they show in
/// `GET /api/jobs`, `GET /api/training-status/{name}` and on the WebSocket): the incremental update after the
/// close on each session of the exchange calendar, the full retrain at its weekly time. Each step first rolls a
/// degraded active version back (`automatic_rollback`), and is a full retrain while the model has no active
/// version. At most one training job per model is queued or running: a step due meanwhile waits for it.
///
/// Which steps ran is read from the store's jobs (their `scheduled_for`, which only this schedule sets), so a
/// restarted server does not repeat a step: the newest step due while it was down runs once at start-up, not once
/// per missed day (older missed steps are skipped), and as a full retrain when the weekly retrain was among the
/// missed ones (`ContinualSchedule.catchUp`). The store is read again before a step is queued, but two
/// servers with `--continual` on one database whose ticks coincide can queue the same step twice: run one.
/// A server that never ran a step starts counting from its first start.
actor ContinualRunner {
    let configuration: ContinualConfiguration
    let store: any TradewindStore
    let calendar: any ExchangeCalendar
    let wake: @Sendable () -> Void
    /// The scheduled time of the newest step enqueued (nil until read from the store).
    var last: UnixNanos?

    init(configuration: ContinualConfiguration, store: any TradewindStore, calendar: any ExchangeCalendar = NYSECalendar.shared,
         wake: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.store = store
        self.calendar = calendar
        self.wake = wake
    }

    var name: String { configuration.request.name }

    /// The request of a training job of this model, nil for any other job.
    func training(_ job: JobRecord) -> TrainingRequest? {
        guard job.kind == .training, let submission = try? JSONDecoder().decode(JobSubmission.self, from: Data(job.request.utf8)),
              case let .training(request) = submission.request, request.name == name else { return nil }
        return request
    }

    /// The scheduled time of the newest step the store's jobs record, at or before `now` (nil: none); a later
    /// one cannot be a step this schedule planned and is ignored.
    func lastScheduled(now: UnixNanos) async throws -> UnixNanos? {
        var offset = 0, newest: UnixNanos?
        while true {
            let page = try await store.jobs(statuses: nil, page: PageRequest(limit: PageRequest.maximumLimit, offset: offset))
            for job in page.items {
                if let t = training(job)?.scheduledFor, t <= now { newest = max(newest ?? t, t) }
            }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return newest }
        }
    }

    /// Whether a training job of this model is queued or running.
    func inFlight() async throws -> Bool {
        var offset = 0
        while true {
            let page = try await store.jobs(statuses: [.queued, .running], page: PageRequest(limit: PageRequest.maximumLimit, offset: offset))
            if page.items.contains(where: { training($0) != nil }) { return true }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return false }
        }
    }

    /// Enqueues the newest step due at or before `now` unless it (or a later one) was enqueued already or a
    /// training job of the model is in flight (it stays due, and a later tick enqueues it); returns the job.
    func tick(now: UnixNanos) async throws -> JobRecord? {
        let since: UnixNanos
        if let last { since = last } else {
            since = try await lastScheduled(now: now) ?? now
            last = since
        }
        guard let due = configuration.schedule.catchUp(since: since, atOrBefore: now, calendar: calendar), try await !inFlight() else {
            return nil
        }
        // Read the store again before queuing: another server on the same database (or a create that committed
        // but answered with an error) may have queued this step since this process last looked.
        if let stored = try await lastScheduled(now: now), stored >= due.time {
            last = stored
            return nil
        }
        var request = configuration.request
        let active = try await store.modelVersion(name, version: nil) != nil
        request.mode = due.action == .incrementalUpdate && active ? .incremental : .full
        if request.mode == .incremental { request.epochs = configuration.updateEpochs }
        request.automaticRollback = active
        request.scheduledFor = due.time
        // No tz: the job reads its data as `POST /api/train-all`'s jobs do (New York), so every version of the model,
        // scheduled or not, sees the same dates (`--schedule-zone` only says when the steps fire).
        let submission = JobSubmission(request: .training(request))
        let job = try await store.createJob(kind: .training, request: try JSON.string(submission))
        last = due.time
        wake()
        return job
    }

    /// Ticks at each scheduled time (and each minute while a step waits for a job in flight) until cancelled,
    /// logging each job it queues; a failed tick (the store unreachable) is logged and retried a minute later.
    func run(clock: any ContinualClock, logger: Logger) async {
        while !Task.isCancelled {
            do {
                if let job = try await tick(now: clock.now()), let request = training(job) {
                    let due = ISO8601.utc(request.scheduledFor ?? 0)
                    logger.info("continual learning of \(name): queued training job \(job.id) (\(request.mode.rawValue), scheduled for \(due))")
                }
            } catch {
                logger.warning("continual learning of \(name): \(error); retried in a minute")
            }
            let now = clock.now()
            let next = configuration.schedule.next(after: now, calendar: calendar).time
            do { try await clock.sleep(until: min(next, now + 60 * UnixTime.nanosPerSecond)) } catch { return }
        }
    }
}

/// The runner as one of the application's services: it stops with the server.
struct ContinualService: Service {
    let runner: ContinualRunner
    let clock: any ContinualClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown { await runner.run(clock: clock, logger: logger) }
    }
}
