import TradewindCore

/// A task a worker claimed: one symbol of a queued optimisation job, held under a lease (`WorkQueue.jobPayload`
/// gives the job's request and symbols).
public struct ClaimedTask: Sendable, Equatable {
    public var id: Int64
    public var jobID: Int64
    public var symbol: String
    /// 1 on the first claim; more when a worker died or gave the task up before committing it.
    public var attempt: Int
}

/// A worker as `GET /api/workers` shows it.
public struct WorkerRecord: Sendable, Equatable {
    public var name: String
    public var host: String
    public var threads: Int
    public var pid: Int
    public var startedAt: UnixNanos
    public var heartbeatAt: UnixNanos
    /// Seconds since the last heartbeat, by the database's clock.
    public var heartbeatAgeSeconds: Double
    /// `idle`, `busy` or `draining`.
    public var state: String
    public var taskID: Int64?
    public var jobID: Int64?
    public var symbol: String?
    public var tasksDone: Int64
    /// The worker process's identity, `HOST PID NONCE PIDNS` (as a job owner's); nil for a row written by a worker
    /// older than identities (migration 019).
    public var identity: String? = nil
}

/// Where a distributed job's tasks stand.
public struct TaskProgress: Sendable, Equatable {
    /// A symbol being computed now, and the worker computing it.
    public struct Computing: Sendable, Equatable {
        public var symbol: String
        public var worker: String
    }

    public var queued = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    public var cancelled = 0
    /// Trials evaluated by the finished tasks.
    public var evaluations: Int64 = 0
    /// Seconds workers spent computing the finished tasks (claim, data and commit excluded).
    public var computeSeconds = 0.0
    /// The tasks being computed now.
    public var computing: [Computing] = []
    /// The first failed task's reason.
    public var failure: String?

    public init() {}

    public var total: Int { queued + running + done + failed + cancelled }
}

/// What became of a task's result at commit.
public enum TaskCommit: Sendable, Equatable {
    /// Stored, with the result's id.
    case stored(resultID: Int64)
    /// Another worker had already stored this task's result (its id): nothing was written.
    case alreadyDone(resultID: Int64?)
    /// The task finished without a result (the optimiser found none for the symbol).
    case noResult
    /// The job was cancelled or the task no longer exists: nothing was written.
    case discarded
}

extension StoreMigrations {
    /// The work queue (PostgreSQL servers shard optimisation jobs into one task per symbol) and the worker registry.
    /// Created on both backends so the schema stays one; only PostgreSQL stores use them.
    static let workQueueV1 = StoreMigration(id: "008-work-queue", statements: [
        """
        CREATE TABLE work_tasks (id {id}, job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            symbol TEXT NOT NULL, position BIGINT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0,
            worker TEXT, lease_until BIGINT, evaluations BIGINT NOT NULL DEFAULT 0, result_id BIGINT, failure TEXT,
            created_at BIGINT NOT NULL, started_at BIGINT, completed_at BIGINT, compute_seconds DOUBLE PRECISION,
            display_zone TEXT NOT NULL DEFAULT 'UTC', UNIQUE (job_id, symbol))
        """,
        "CREATE INDEX work_tasks_queue ON work_tasks (status, id)",
        """
        CREATE TABLE workers (name TEXT PRIMARY KEY, host TEXT NOT NULL, threads BIGINT NOT NULL, pid BIGINT NOT NULL,
            started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, task_id BIGINT, state TEXT NOT NULL,
            tasks_done BIGINT NOT NULL DEFAULT 0)
        """,
    ])
}

extension StoreMigrations {
    /// A worker's identity (`HOST PID NONCE PIDNS`, as a server's job owner): a worker judges a same-named one dead
    /// by its pid only within one host and pid namespace (containers share host names, not pids), and heartbeats and
    /// sign-offs touch only the worker's own row. NULL in rows written before: such a worker is judged by heartbeat.
    static let workerIdentities = StoreMigration(id: "019-worker-identities", statements: [
        "ALTER TABLE workers ADD COLUMN identity TEXT",
    ])
}

/// A task write refused because `worker` no longer holds the task: its lease expired and another worker claimed it,
/// or the job's tasks were cancelled. Nothing was written; the worker drops the task.
public struct TaskTakenOver: Error, Sendable, Equatable, CustomStringConvertible {
    public var taskID: Int64
    public var worker: String

    public init(taskID: Int64, worker: String) {
        (self.taskID, self.worker) = (taskID, worker)
    }

    public var description: String {
        "task \(taskID) is no longer held by worker \(worker) (its lease expired and another worker claimed it, or the job "
            + "was cancelled): nothing was written; drop the task"
    }
}

/// A worker name already held by a live worker (a recent heartbeat from another process).
public struct WorkerNameTaken: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var host: String
    public var pid: Int
    public var heartbeatAgeSeconds: Double
    /// The holder's identity (`HOST PID NONCE PIDNS`): whether a caller may judge it dead by its pid (same host and
    /// pid namespace only); nil for a holder older than identities, judged only by its heartbeat.
    public var identity: String? = nil

    public init(name: String, host: String, pid: Int, heartbeatAgeSeconds: Double, identity: String? = nil) {
        (self.name, self.host, self.pid, self.heartbeatAgeSeconds, self.identity) = (name, host, pid, heartbeatAgeSeconds, identity)
    }

    public var description: String {
        let age = (heartbeatAgeSeconds * 10).rounded() / 10
        return "a worker named \(name) is already running on \(host) (pid \(pid), heartbeat \(age) s ago): give this one "
            + "another --name, or stop that one (a worker that died frees its name when its lease runs out)"
    }
}
