import Foundation
import Logging
import PostgresNIO
import TradewindCore

/// The distributed work queue in PostgreSQL: a server shards an optimisation job into one task per symbol
/// (`enqueue`), and any number of `tradewind worker` processes claim tasks with `FOR UPDATE SKIP LOCKED` (so
/// concurrent claimers never wait on, nor take, the same row), hold each under a lease they renew with heartbeats,
/// and commit the task's result idempotently: the result, the job's symbol and the task are written in one
/// transaction that first locks the symbol's row, so a task computed twice (a lease that expired under a slow or
/// partitioned worker) stores one result. A task whose lease expired is claimable again, so a worker killed with
/// `-9` loses nothing. `NOTIFY tradewind_tasks` on enqueue wakes idle workers (`wakeups`).
///
/// Leases and heartbeat ages are measured by the database's clock, so workers' clocks need not agree.
public final class WorkQueue: Sendable {
    /// The channel enqueues notify and idle workers listen on.
    public static let channel = "tradewind_tasks"
    /// How many claims a task gets before it is failed (a task that kills every worker it runs on).
    public static let maxAttempts = 5

    let database: PostgreSQLDatabase
    let store: SQLStore

    /// The queue over `store`, which must be a PostgreSQL store.
    public init(store: SQLStore) throws {
        guard let database = store.database as? PostgreSQLDatabase else {
            throw StoreError.invalidArgument(field: "database", value: store.backend,
                                             valid: "a postgres:// URL: the work queue needs PostgreSQL (FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY)")
        }
        self.database = database
        self.store = store
    }

    /// The database's clock, in UTC nanoseconds (microsecond resolution).
    static let now = SQLDialect.postgresql.now

    static func nanos(_ seconds: Double) -> SQLValue { .integer(Int64((seconds * 1e9).rounded())) }

    // MARK: server side

    // The server-side writes of a job's tasks (`enqueue`, `cancel`, `failExhausted`) are fenced on the job's holder,
    // as the job's own writes are (`JobLeases`): each is one transaction that locks the job's row first — the order
    // every write of a job, its symbols and its tasks takes, so PostgreSQL never deadlocks on them — and writes only
    // while `owner` holds the running job. A server that lost the job (another claimed it after its lease expired)
    // writes nothing and gets `JobTakenOver`.

    /// Locks job `jobID`'s row for the rest of the transaction; true when `owner` holds the running job.
    static func lockHeld(_ run: (SQLStatement) async throws -> [SQLRow], jobID: Int64, owner: String) async throws -> Bool {
        !(try await run(SQLStatement("SELECT id FROM jobs WHERE id = ? AND owner = ? AND status = 'running' FOR UPDATE",
                                     [.integer(jobID), .text(owner)]))).isEmpty
    }

    /// Runs `body` in one transaction after locking job `jobID`'s row, only while `owner` holds the running job;
    /// throws `JobTakenOver` (nothing written) otherwise. (Thrown outside the transaction: PostgresNIO wraps an error
    /// thrown inside it.) `body` is escaping only so that it may be handed `run`, itself a non-escaping parameter
    /// (the exclusivity rules refuse that for a non-escaping `body`); it is called once, before this returns.
    func fenced<T: Sendable>(jobID: Int64, owner: String,
                             _ body: @escaping (_ run: (SQLStatement) async throws -> [SQLRow]) async throws -> T) async throws -> T {
        let outcome: T? = try await database.interactiveTransaction { run in
            guard try await Self.lockHeld(run, jobID: jobID, owner: owner) else { return nil }
            return try await body(run)
        }
        guard let outcome else { throw JobTakenOver(jobID: jobID, owner: owner) }
        return outcome
    }

    /// Queues one task per symbol of `jobID` (symbols already queued keep their task) and wakes the workers, while
    /// `owner` holds the running job (`JobTakenOver` otherwise: nothing queued). `displayZone` is the server's zone
    /// for times in results (IANA name), so a worker writes a trade log as the server would.
    public func enqueue(jobID: Int64, owner: String, symbols: [String], displayZone: String = "UTC") async throws {
        try await fenced(jobID: jobID, owner: owner) { run in
            // Rows of 5 arguments, 1,000 a statement: far under PostgreSQL's 65,535 arguments, few round trips.
            let now = StoreClock.now()
            let rows = Array(symbols.enumerated())
            for start in stride(from: 0, to: rows.count, by: 1_000) {
                let chunk = rows[start..<min(start + 1_000, rows.count)]
                _ = try await run(SQLStatement("""
                    INSERT INTO work_tasks (job_id, symbol, position, status, created_at, display_zone) VALUES
                    """ + chunk.map { _ in "(?, ?, ?, 'queued', ?, ?)" }.joined(separator: ", ")
                    + " ON CONFLICT (job_id, symbol) DO NOTHING",
                    chunk.flatMap { i, symbol -> [SQLValue] in
                        [.integer(jobID), .text(symbol), .int(i), .integer(now), .text(displayZone)]
                    }))
            }
            _ = try await run(SQLStatement("NOTIFY \(Self.channel)"))
        }
    }

    /// Cancels the job's unfinished tasks, while `owner` holds the running job (`JobTakenOver` otherwise: nothing
    /// changed): workers computing them learn it at their next heartbeat and drop them. Returns how many.
    @discardableResult
    public func cancel(jobID: Int64, owner: String) async throws -> Int {
        try await fenced(jobID: jobID, owner: owner) { run in
            try await run(SQLStatement("""
                UPDATE work_tasks SET status = 'cancelled', completed_at = \(Self.now)
                WHERE job_id = ? AND status IN ('queued', 'running') RETURNING id
                """, [.integer(jobID)])).count
        }
    }

    /// Fails the job's tasks whose lease expired after `maxAttempts` claims (no worker survives them), while `owner`
    /// holds the running job (`JobTakenOver` otherwise: nothing changed); returns how many.
    @discardableResult
    public func failExhausted(jobID: Int64, owner: String) async throws -> Int {
        try await fenced(jobID: jobID, owner: owner) { run in
            try await run(SQLStatement("""
                UPDATE work_tasks SET status = 'failed', completed_at = \(Self.now),
                    failure = 'the task was claimed ' || attempts || ' times and no worker finished it (each stopped heartbeating)'
                WHERE job_id = ? AND status = 'running' AND lease_until < \(Self.now) AND attempts >= ?
                RETURNING id
                """, [.integer(jobID), .int(Self.maxAttempts)])).count
        }
    }

    /// Where the job's tasks stand.
    public func progress(jobID: Int64) async throws -> TaskProgress {
        var p = TaskProgress()
        for r in try await store.read("queue", """
            SELECT status, COUNT(*), CAST(COALESCE(SUM(evaluations), 0) AS BIGINT), COALESCE(SUM(compute_seconds), 0), MIN(failure)
            FROM work_tasks WHERE job_id = ? GROUP BY status
            """, [.integer(jobID)]) {
            let n = r.int(1) ?? 0
            switch r.string(0) {
            case "queued": p.queued = n
            case "running": p.running = n
            case "done":
                p.done = n
                p.evaluations = r.int64(2) ?? 0
                p.computeSeconds = r.double(3) ?? 0
            case "failed":
                p.failed = n
                p.failure = r.string(4)
            case "cancelled": p.cancelled = n
            default: break
            }
        }
        p.computing = try await store.read("queue", """
            SELECT symbol, COALESCE(worker, '') FROM work_tasks WHERE job_id = ? AND status = 'running' ORDER BY position
            """, [.integer(jobID)]).map { TaskProgress.Computing(symbol: $0.string(0) ?? "", worker: $0.string(1) ?? "") }
        return p
    }

    /// The registered workers, most recent heartbeat first.
    public func workers() async throws -> [WorkerRecord] {
        try await store.read("queue", """
            SELECT w.name, w.host, w.threads, w.pid, w.started_at, w.heartbeat_at,
                CAST(\(Self.now) - w.heartbeat_at AS DOUBLE PRECISION) / 1e9, w.state, w.task_id, t.job_id, t.symbol,
                w.tasks_done, w.identity
            FROM workers w LEFT JOIN work_tasks t ON t.id = w.task_id ORDER BY w.heartbeat_at DESC, w.name
            """).map {
            WorkerRecord(name: $0.string(0) ?? "", host: $0.string(1) ?? "", threads: $0.int(2) ?? 0, pid: $0.int(3) ?? 0,
                         startedAt: $0.int64(4) ?? 0, heartbeatAt: $0.int64(5) ?? 0,
                         heartbeatAgeSeconds: max(0, $0.double(6) ?? 0), state: $0.string(7) ?? "idle",
                         taskID: $0.int64(8), jobID: $0.int64(9), symbol: $0.string(10), tasksDone: $0.int64(11) ?? 0,
                         identity: $0.string(12))
        }
    }

    /// Forgets workers silent for longer than `seconds` (killed without a chance to sign off); returns how many.
    @discardableResult
    public func forgetWorkers(silentFor seconds: Double) async throws -> Int {
        try await store.write("queue", "DELETE FROM workers WHERE heartbeat_at < \(Self.now) - ? RETURNING name",
                              [Self.nanos(seconds)]).count
    }

    // MARK: worker side

    /// Registers a worker as idle. `identity` is the worker process's (`HOST PID NONCE PIDNS`, as a server's job
    /// owner: unique to the process). A name is one worker's: a name whose holder is still alive (a heartbeat within
    /// `lease` seconds, from another process: another identity) is refused with `WorkerNameTaken`, since two workers
    /// under one name would renew each other's leases; `replacing` takes it anyway (the caller knows the holder is
    /// dead: see `WorkerNameTaken.identity`). A row of a worker older than identities (NULL) is another process's.
    public func register(worker: String, host: String, threads: Int, pid: Int, identity: String, lease: Double,
                         replacing: Bool = false) async throws {
        let rows = try await store.write("queue", """
            INSERT INTO workers (name, host, threads, pid, started_at, heartbeat_at, state, identity)
            VALUES (?, ?, ?, ?, \(Self.now), \(Self.now), 'idle', ?)
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, threads = excluded.threads, pid = excluded.pid,
                started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, state = 'idle', task_id = NULL,
                identity = excluded.identity
            WHERE ? = 1 OR workers.heartbeat_at < \(Self.now) - ? OR workers.identity = excluded.identity
            RETURNING name
            """, [.text(worker), .text(host), .int(threads), .int(pid), .text(identity), .int(replacing ? 1 : 0),
                  Self.nanos(lease)])
        guard rows.isEmpty else { return }
        let holder = try await workers().first { $0.name == worker }
        throw WorkerNameTaken(name: worker, host: holder?.host ?? "?", pid: holder?.pid ?? 0,
                              heartbeatAgeSeconds: holder?.heartbeatAgeSeconds ?? 0, identity: holder?.identity)
    }

    /// Records a worker's heartbeat and state (`idle`, `busy`, `draining`) and the task it computes. False when the
    /// name is no longer this worker's (`identity`): another worker took it after this one's heartbeat expired (a
    /// pause, a cut-off); nothing was written, and this worker must stop using the name.
    @discardableResult
    public func heartbeat(worker: String, identity: String, state: String, taskID: Int64?) async throws -> Bool {
        !(try await store.write("queue", """
            UPDATE workers SET heartbeat_at = \(Self.now), state = ?, task_id = ? WHERE name = ? AND identity = ? RETURNING name
            """, [.text(state), .int64(taskID), .text(worker), .text(identity)])).isEmpty
    }

    /// Removes a worker that stops (a graceful drain): only its own row (`identity`), never that of a worker that
    /// took the name over meanwhile.
    public func unregister(worker: String, identity: String) async throws {
        try await store.write("queue", "DELETE FROM workers WHERE name = ? AND identity = ?", [.text(worker), .text(identity)])
    }

    /// Claims the oldest claimable task — queued, or running under a lease that expired — for `worker`, with a lease
    /// of `lease` seconds. Rows other claimers hold are skipped, never waited on. Nil when none is claimable.
    public func claim(worker: String, lease: Double) async throws -> ClaimedTask? {
        let rows = try await store.write("queue", """
            UPDATE work_tasks SET status = 'running', worker = ?, attempts = attempts + 1,
                lease_until = \(Self.now) + ?, started_at = \(Self.now)
            WHERE id = (
                SELECT w.id FROM work_tasks w JOIN jobs j ON j.id = w.job_id
                WHERE (w.status = 'queued' OR (w.status = 'running' AND w.lease_until < \(Self.now) AND w.attempts < ?))
                    AND j.status IN ('queued', 'running') AND j.cancel_requested = 0
                ORDER BY w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED)
            RETURNING id, job_id, symbol, attempts
            """, [.text(worker), Self.nanos(lease), .int(Self.maxAttempts)])
        guard let row = rows.first, let id = row.int64(0), let jobID = row.int64(1) else { return nil }
        return ClaimedTask(id: id, jobID: jobID, symbol: row.string(2) ?? "", attempt: row.int(3) ?? 1)
    }

    /// A job's request (JSON) and its symbols in the job's order: what a worker prepares a job from, once per job.
    public func jobPayload(jobID: Int64) async throws -> (request: String, symbols: [String], displayZone: String) {
        let request = try await store.read("queue", "SELECT request FROM jobs WHERE id = ?", [.integer(jobID)]).first?.string(0)
        let symbols = try await store.read("queue", "SELECT symbol FROM job_symbols WHERE job_id = ? ORDER BY position",
                                           [.integer(jobID)]).compactMap { $0.string(0) }
        let zone = try await store.read("queue", "SELECT display_zone FROM work_tasks WHERE job_id = ? ORDER BY id LIMIT 1",
                                        [.integer(jobID)]).first?.string(0)
        return (request ?? "{}", symbols, zone ?? "UTC")
    }

    /// Extends the lease of a task `worker` holds. False when the worker no longer holds it (its lease expired and
    /// another worker claimed it, or the job was cancelled): the worker should drop the task.
    public func renew(taskID: Int64, worker: String, lease: Double) async throws -> Bool {
        !(try await store.write("queue", """
            UPDATE work_tasks SET lease_until = \(Self.now) + ? WHERE id = ? AND worker = ? AND status = 'running'
            RETURNING id
            """, [Self.nanos(lease), .integer(taskID), .text(worker)])).isEmpty
    }

    /// Puts a task `worker` holds back in the queue at once (a worker that stops before finishing it).
    public func release(taskID: Int64, worker: String) async throws {
        try await store.transaction("queue", [
            SQLStatement("""
                UPDATE work_tasks SET status = 'queued', worker = NULL, lease_until = NULL
                WHERE id = ? AND worker = ? AND status = 'running'
                """, [.integer(taskID), .text(worker)]),
            SQLStatement("NOTIFY \(Self.channel)"),
        ])
    }

    /// Fails a task whose computation failed (bad input: redoing it elsewhere gives the same error), while `worker`
    /// holds it running; `TaskTakenOver` otherwise (another worker claimed it after this one's lease expired, or the
    /// job's tasks were cancelled): nothing written. Locks the job's row first, as every write of a job's tasks does.
    public func fail(taskID: Int64, worker: String, reason: String) async throws {
        let failed = try await database.interactiveTransaction { run -> Bool in
            _ = try await run(SQLStatement("SELECT id FROM jobs WHERE id = (SELECT job_id FROM work_tasks WHERE id = ?) FOR UPDATE",
                                           [.integer(taskID)]))
            return !(try await run(SQLStatement("""
                UPDATE work_tasks SET status = 'failed', failure = ?, completed_at = \(Self.now)
                WHERE id = ? AND worker = ? AND status = 'running' RETURNING id
                """, [.text(reason), .integer(taskID), .text(worker)]))).isEmpty
        }
        guard failed else { throw TaskTakenOver(taskID: taskID, worker: worker) }
    }

    /// Commits a task's result: in one transaction, with the job's symbol row locked, stores the result, marks the
    /// symbol and the task done and adds the evaluations to the job — unless the symbol is already done (the task
    /// ran twice), in which case nothing is written. Safe to call again after a lost reply. A nil `result` (the
    /// optimiser found none for the symbol) marks the task done and leaves the symbol without a result, as an
    /// in-process job does. A job that ended or is being cancelled takes no result (`.discarded`). Deliberately not
    /// fenced on the task's holder: a worker whose lease expired while it computed (another worker holds the task now)
    /// commits the same deterministic computation, and the locked symbol row lets only the first commit store it.
    @discardableResult
    public func complete(taskID: Int64, worker: String, evaluations: Int64, computeSeconds: Double,
                         result: NewResult?) async throws -> TaskCommit {
        try await database.interactiveTransaction { run in
            // The job's row first, as every other write of a job and its symbols takes it (a server adding the job's
            // symbols holds it and then inserts symbol rows): locking the symbol's row before it could deadlock.
            _ = try await run(SQLStatement("SELECT id FROM jobs WHERE id = (SELECT job_id FROM work_tasks WHERE id = ?) FOR UPDATE",
                                           [.integer(taskID)]))
            let rows = try await run(SQLStatement("""
                SELECT t.status, t.job_id, t.symbol, s.status, s.result_id,
                    CASE WHEN j.status IN ('queued', 'running') AND j.cancel_requested = 0 THEN 1 ELSE 0 END
                FROM work_tasks t JOIN job_symbols s ON s.job_id = t.job_id AND s.symbol = t.symbol JOIN jobs j ON j.id = t.job_id
                WHERE t.id = ? FOR UPDATE OF t, s
                """, [.integer(taskID)]))
            guard let row = rows.first, let jobID = row.int64(1), let symbol = row.string(2) else { return .discarded }
            // A job that ended (failed, cancelled) or is being cancelled takes no more results.
            guard row.int(5) == 1 || row.string(3) == "done" else { return .discarded }
            if row.string(3) == "done" {
                _ = try await run(SQLStatement("""
                    UPDATE work_tasks SET status = 'done', result_id = ?, completed_at = COALESCE(completed_at, \(Self.now))
                    WHERE id = ? AND status <> 'done'
                    """, [.int64(row.int64(4)), .integer(taskID)]))
                return .alreadyDone(resultID: row.int64(4))
            }
            if row.string(0) == "cancelled" { return .discarded }
            guard let result else {
                _ = try await run(SQLStatement("""
                    UPDATE work_tasks SET status = 'done', worker = ?, compute_seconds = ?, completed_at = \(Self.now)
                    WHERE id = ?
                    """, [.text(worker), .double(computeSeconds), .integer(taskID)]))
                return .noResult
            }
            var r = result
            r.jobID = jobID
            var insert = SQLStore.insertResult(r, at: StoreClock.now())
            insert.sql += " RETURNING id"
            guard let resultID = try await run(insert).first?.int64(0) else { return .discarded }
            _ = try await run(SQLStatement("""
                UPDATE job_symbols SET status = 'done', result_id = ?, evaluations = ?, completed_at = \(Self.now)
                WHERE job_id = ? AND symbol = ?
                """, [.integer(resultID), .integer(evaluations), .integer(jobID), .text(symbol)]))
            // The symbol was not done (its row is locked): one more is, without recounting the job's symbols.
            _ = try await run(SQLStatement("""
                UPDATE jobs SET symbols_done = symbols_done + 1, evaluations = evaluations + ? WHERE id = ?
                """, [.integer(evaluations), .integer(jobID)]))
            _ = try await run(SQLStatement("""
                UPDATE work_tasks SET status = 'done', worker = ?, result_id = ?, evaluations = ?, compute_seconds = ?,
                    completed_at = \(Self.now) WHERE id = ?
                """, [.text(worker), .integer(resultID), .integer(evaluations), .double(computeSeconds), .integer(taskID)]))
            _ = try await run(SQLStatement("UPDATE workers SET tasks_done = tasks_done + 1 WHERE name = ?", [.text(worker)]))
            return .stored(resultID: resultID)
        }
    }

    /// Wake-ups for an idle worker: one element per `NOTIFY tradewind_tasks`, and one every `every` seconds (leases
    /// expire without a notification). Listens on a connection of its own, reconnecting after a failure (a database
    /// restart); the stream ends when the consuming task is cancelled.
    public func wakeups(every: Double, logger: Logger) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let database = self.database
        let listener = Task {
            while !Task.isCancelled {
                do {
                    let connection = try await database.dedicatedConnection()
                    do {
                        try await connection.listen(on: Self.channel) { notifications in
                            continuation.yield()  // tasks queued while not listening
                            for try await _ in notifications { continuation.yield() }
                        }
                    } catch {
                        if !Task.isCancelled { logger.warning("LISTEN connection lost", metadata: ["error": "\(error)"]) }
                    }
                    try? await connection.close()
                } catch {
                    if !Task.isCancelled { logger.warning("cannot LISTEN", metadata: ["error": "\(error)"]) }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        let ticker = Task {
            while (try? await Task.sleep(for: .seconds(every))) != nil { continuation.yield() }
        }
        continuation.onTermination = { _ in
            listener.cancel()
            ticker.cancel()
        }
        return stream
    }
}
