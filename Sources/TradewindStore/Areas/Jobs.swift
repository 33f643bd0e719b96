import TradewindCore

/// What a job does: a backtest, an optimisation, a market-data fetch (`data fetch`) or a model training run.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    case backtest, optimize
    case dataFetch = "data_fetch"
    case training
}

/// A job's state: queued → running → succeeded | failed | cancelled. A running job is held by one server under a
/// lease it renews (`JobLeases.swift`); a job whose server stopped is queued again (or claimed by another server
/// once its lease expired) and resumes from its finished symbols.
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Whether the job has ended (it will not run again).
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// A job as stored.
public struct JobRecord: Sendable, Equatable {
    public var id: Int64
    public var kind: JobKind
    public var status: JobStatus
    /// The request as JSON (the same options as the command line).
    public var request: String
    public var createdAt: UnixNanos
    public var startedAt: UnixNanos?
    public var completedAt: UnixNanos?
    /// Why the job failed (nil unless failed or cancelled).
    public var failure: String?
    public var symbolsTotal: Int
    public var symbolsDone: Int
    /// Trials evaluated so far (all runs of the job).
    public var evaluations: Int64
    /// A cancel was asked for while the job ran.
    public var cancelRequested: Bool
    /// The server holding the running job (`JobOwner`'s text; nil when none holds it).
    public var owner: String?

    /// Seconds from start to completion (or nil while it has not both started and completed).
    public var durationSeconds: Double? {
        guard let s = startedAt, let c = completedAt else { return nil }
        return Double(c - s) / 1e9
    }
}

/// One symbol of a job: what resume skips once it is `done`.
public struct JobSymbolRecord: Sendable, Equatable {
    public var jobID: Int64
    public var symbol: String
    public var position: Int
    /// `pending`, `done` or `failed`.
    public var status: String
    public var resultID: Int64?
    public var evaluations: Int64
    public var completedAt: UnixNanos?
}

/// One log line of a job.
public struct JobLogLine: Sendable, Equatable {
    public var id: Int64
    public var jobID: Int64
    public var at: UnixNanos
    /// `info`, `warning` or `error`.
    public var level: String
    public var message: String
}

/// The jobs area: queueing, claiming, per-symbol progress, log lines, cancellation.
public protocol JobStore: Sendable {
    /// Queues a job.
    func createJob(kind: JobKind, request: String) async throws -> JobRecord
    func job(_ id: Int64) async throws -> JobRecord?
    /// Jobs, newest first, optionally only those in `statuses`.
    func jobs(statuses: [JobStatus]?, page: PageRequest) async throws -> Page<JobRecord>
    /// Claims the oldest claimable job for `owner` with a lease of `lease` seconds (by the database's clock): a
    /// queued one, or a running one whose lease expired (its server stopped renewing it). It becomes running (its
    /// first start time kept). Nil when none is claimable.
    func claimNextJob(owner: String, lease: Double) async throws -> JobRecord?
    /// Extends by `lease` seconds the leases of the running jobs `owner` holds; returns their ids (a job missing
    /// from them was taken over by another server after its lease expired).
    func renewJobLeases(owner: String, lease: Double) async throws -> [Int64]
    /// Queues a running job `owner` holds again at once (a server that stops); false when `owner` does not hold it.
    @discardableResult
    func releaseJob(_ id: Int64, owner: String) async throws -> Bool
    /// Queues again the running jobs held by one of `owners` (servers known to have died) or by none; returns their ids.
    func requeueJobs(heldBy owners: [String]) async throws -> [Int64]
    /// Records the job's symbols (in order) when it first starts; symbols already recorded are kept as they are.
    func setJobSymbols(_ id: Int64, symbols: [String]) async throws
    func jobSymbols(_ id: Int64) async throws -> [JobSymbolRecord]
    /// Records a symbol's result and marks the symbol done, in one durable transaction; returns the result's id. Only
    /// while `owner` holds the running job: else nothing is stored and it throws `JobTakenOver` (`JobLeases.swift`).
    func finishJobSymbol(_ id: Int64, owner: String, symbol: String, evaluations: Int64, result: NewResult) async throws -> Int64
    /// Marks a symbol of a job that stores no result (a data fetch) `done` or `failed`, and updates the job's count.
    /// Only while `owner` holds the running job: else nothing is written and it throws `JobTakenOver`.
    func markJobSymbol(_ id: Int64, owner: String, symbol: String, status: String) async throws
    /// Ends the job `owner` holds with `status`, and `failure` as its reason; its stored checkpoint is removed. Only
    /// while `owner` holds the running job: else nothing is written and it throws `JobTakenOver`.
    func finishJob(_ id: Int64, owner: String, status: JobStatus, failure: String?) async throws
    /// Cancels a queued job at once (removing its stored checkpoint), or asks a running one to stop
    /// (`cancelRequested`). Throws `notFound`.
    func cancelJob(_ id: Int64) async throws -> JobRecord
    func appendJobLog(_ id: Int64, level: String, message: String) async throws
    /// A job's log lines, oldest first.
    func jobLog(_ id: Int64, page: PageRequest) async throws -> Page<JobLogLine>
    /// Deletes finished jobs (with their symbols and logs; their results stay in the history). Returns how many.
    func deleteFinishedJobs() async throws -> Int
    /// Deletes one finished job; throws `notFound`, or `conflict` when it has not finished.
    func deleteJob(_ id: Int64) async throws
    /// The number of jobs in each state.
    func jobCounts() async throws -> [JobStatus: Int]
}

extension StoreMigrations {
    static let jobsV1 = StoreMigration(id: "001-jobs", statements: [
        """
        CREATE TABLE jobs (id {id}, kind TEXT NOT NULL, status TEXT NOT NULL, request TEXT NOT NULL,
            created_at BIGINT NOT NULL, started_at BIGINT, completed_at BIGINT, failure TEXT,
            symbols_total BIGINT NOT NULL DEFAULT 0, symbols_done BIGINT NOT NULL DEFAULT 0,
            evaluations BIGINT NOT NULL DEFAULT 0, cancel_requested BIGINT NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX jobs_status ON jobs (status, id)",
        """
        CREATE TABLE job_symbols (job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, symbol TEXT NOT NULL,
            position BIGINT NOT NULL, status TEXT NOT NULL, result_id BIGINT, evaluations BIGINT NOT NULL DEFAULT 0,
            completed_at BIGINT, PRIMARY KEY (job_id, symbol))
        """,
        """
        CREATE TABLE job_log (id {id}, job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            at BIGINT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL)
        """,
        "CREATE INDEX job_log_job ON job_log (job_id, id)",
    ])
}

extension SQLStore {
    static let jobColumns = """
        id, kind, status, request, created_at, started_at, completed_at, failure, symbols_total, symbols_done, \
        evaluations, cancel_requested, owner
        """

    static func jobRecord(_ r: SQLRow) -> JobRecord {
        JobRecord(id: r.int64(0) ?? 0, kind: JobKind(rawValue: r.string(1) ?? "") ?? .optimize,
                  status: JobStatus(rawValue: r.string(2) ?? "") ?? .failed, request: r.string(3) ?? "{}",
                  createdAt: r.int64(4) ?? 0, startedAt: r.int64(5), completedAt: r.int64(6), failure: r.string(7),
                  symbolsTotal: r.int(8) ?? 0, symbolsDone: r.int(9) ?? 0, evaluations: r.int64(10) ?? 0,
                  cancelRequested: r.bool(11), owner: r.string(12))
    }

    public func createJob(kind: JobKind, request: String) async throws -> JobRecord {
        let rows = try await write("jobs", """
            INSERT INTO jobs (kind, status, request, created_at) VALUES (?, 'queued', ?, ?) RETURNING \(Self.jobColumns)
            """, [.text(kind.rawValue), .text(request), .integer(StoreClock.now())])
        return Self.jobRecord(rows[0])
    }

    public func job(_ id: Int64) async throws -> JobRecord? {
        try await read("jobs", "SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", [.integer(id)]).first.map(Self.jobRecord)
    }

    public func jobs(statuses: [JobStatus]?, page: PageRequest) async throws -> Page<JobRecord> {
        var filter = ""
        var arguments: [SQLValue] = []
        if let statuses {
            filter = statuses.isEmpty ? " WHERE 1 = 0"
                : " WHERE status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")"
            arguments = statuses.map { .text($0.rawValue) }
        }
        let total = try await count("jobs", "SELECT COUNT(*) FROM jobs" + filter, arguments)
        let rows = try await read("jobs", "SELECT \(Self.jobColumns) FROM jobs\(filter) ORDER BY id DESC LIMIT ? OFFSET ?",
                                  arguments + [.int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.jobRecord), total: total, limit: page.limit, offset: page.offset)
    }

    public func setJobSymbols(_ id: Int64, symbols: [String]) async throws {
        // The job's row is locked first: a worker committing a symbol of this job (which adds one to symbols_done in
        // its own transaction) either finishes before, and the recount below sees its symbol, or waits and adds its
        // one after. (On PostgreSQL each statement of a READ COMMITTED transaction sees what was committed before it
        // started; a recount whose row lock was waited for inside the UPDATE would use the older view and lose that
        // worker's symbol.)
        var statements = [SQLStatement("UPDATE jobs SET symbols_total = symbols_total WHERE id = ?", [.integer(id)])]
        statements += symbols.enumerated().map { i, s in
            SQLStatement("""
                INSERT INTO job_symbols (job_id, symbol, position, status) VALUES (?, ?, ?, 'pending')
                ON CONFLICT (job_id, symbol) DO NOTHING
                """, [.integer(id), .text(s), .int(i)])
        }
        statements.append(Self.recountingDone(id, also: "symbols_total = (SELECT COUNT(*) FROM job_symbols WHERE job_id = ?)", [.integer(id)]))
        try await transaction("jobs", statements)
    }

    public func jobSymbols(_ id: Int64) async throws -> [JobSymbolRecord] {
        try await read("jobs", """
            SELECT job_id, symbol, position, status, result_id, evaluations, completed_at FROM job_symbols
            WHERE job_id = ? ORDER BY position
            """, [.integer(id)]).map {
            JobSymbolRecord(jobID: $0.int64(0) ?? 0, symbol: $0.string(1) ?? "", position: $0.int(2) ?? 0,
                            status: $0.string(3) ?? "pending", resultID: $0.int64(4), evaluations: $0.int64(5) ?? 0,
                            completedAt: $0.int64(6))
        }
    }

    public func finishJobSymbol(_ id: Int64, owner: String, symbol: String, evaluations: Int64, result: NewResult) async throws -> Int64 {
        var r = result
        r.jobID = id
        let now = StoreClock.now()
        // Every statement after the lock is conditional on the holder; the result row, inserted first (its id is the
        // symbol's), is deleted again in the same transaction when `owner` no longer holds the job.
        let held = Self.held(id, by: owner)
        let rows = try await transaction("jobs", [
            Self.lockingHeld(id, by: owner),
            Self.insertResult(r, at: now),
            // `(SELECT …)`: computed once, so PostgreSQL finds the row by its key (a volatile call in the condition
            // would scan the table).
            SQLStatement("DELETE FROM results WHERE id = (SELECT \(lastInsertID)) AND NOT \(held.sql)", held.arguments),
            SQLStatement("""
                UPDATE job_symbols SET status = 'done', result_id = \(lastInsertID), evaluations = ?, completed_at = ?
                WHERE job_id = ? AND symbol = ? AND \(held.sql)
                """, [.integer(evaluations), .integer(now), .integer(id), .text(symbol)] + held.arguments),
            Self.recountingDone(id, heldBy: owner, also: "evaluations = evaluations + ?", [.integer(evaluations)]),
            SQLStatement("SELECT result_id, (\(Self.holding(id, by: owner).sql)) FROM job_symbols WHERE job_id = ? AND symbol = ?",
                         Self.holding(id, by: owner).arguments + [.integer(id), .text(symbol)]),
        ])
        guard let row = rows.first else { throw StoreError.notFound(kind: "job symbol", id: "\(id)/\(symbol)") }
        guard (row.int(1) ?? 0) > 0 else { throw JobTakenOver(jobID: id, owner: owner) }
        guard let resultID = row.int64(0) else { throw StoreError.notFound(kind: "job symbol", id: "\(id)/\(symbol)") }
        return resultID
    }

    public func markJobSymbol(_ id: Int64, owner: String, symbol: String, status: String) async throws {
        let held = Self.held(id, by: owner)
        let rows = try await transaction("jobs", [
            Self.lockingHeld(id, by: owner),
            SQLStatement("UPDATE job_symbols SET status = ?, completed_at = ? WHERE job_id = ? AND symbol = ? AND \(held.sql)",
                         [.text(status), .integer(StoreClock.now()), .integer(id), .text(symbol)] + held.arguments),
            Self.recountingDone(id, heldBy: owner),
            Self.holding(id, by: owner),
        ])
        guard (rows.first?.int(0) ?? 0) > 0 else { throw JobTakenOver(jobID: id, owner: owner) }
    }

    /// The statement that sets job `id`'s `symbols_done` to its symbols stored as done, with `assignment` (and its
    /// `arguments`) set in the same UPDATE when given; only while `owner` holds the running job when given.
    static func recountingDone(_ id: Int64, heldBy owner: String? = nil, also assignment: String? = nil,
                               _ arguments: [SQLValue] = []) -> SQLStatement {
        let done = "symbols_done = (SELECT COUNT(*) FROM job_symbols WHERE job_id = ? AND status = 'done')"
        return SQLStatement("UPDATE jobs SET " + ([assignment, done].compactMap { $0 }).joined(separator: ", ") + " WHERE id = ?"
                                + (owner == nil ? "" : " AND owner = ? AND status = 'running'"),
                            arguments + [.integer(id), .integer(id)] + (owner.map { [.text($0)] } ?? []))
    }

    public func finishJob(_ id: Int64, owner: String, status: JobStatus, failure: String?) async throws {
        // An ended job never resumes: its stored checkpoint goes with it (the holder's own: removed only while it holds
        // the job, under the row lock taken first).
        let held = Self.held(id, by: owner)
        let rows = try await transaction("jobs", [
            Self.lockingHeld(id, by: owner),
            SQLStatement("DELETE FROM job_checkpoints WHERE job_id = ? AND \(held.sql)", [.integer(id)] + held.arguments),
            SQLStatement("""
                UPDATE jobs SET status = ?, failure = ?, completed_at = ?, owner = NULL, lease_until = NULL
                WHERE id = ? AND owner = ? AND status = 'running' RETURNING id
                """, [.text(status.rawValue), .string(failure), .integer(StoreClock.now()), .integer(id), .text(owner)]),
        ])
        guard !rows.isEmpty else { throw JobTakenOver(jobID: id, owner: owner) }
    }

    public func cancelJob(_ id: Int64) async throws -> JobRecord {
        let rows = try await transaction("jobs", [
            SQLStatement("""
                UPDATE jobs SET status = 'cancelled', failure = 'cancelled before it started', completed_at = ?
                WHERE id = ? AND status = 'queued'
                """, [.integer(StoreClock.now()), .integer(id)]),
            SQLStatement("UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'", [.integer(id)]),
            SQLStatement("DELETE FROM job_checkpoints WHERE job_id = ? AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND status = 'cancelled')",
                         [.integer(id), .integer(id)]),
            SQLStatement("SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", [.integer(id)]),
        ])
        guard let row = rows.first else { throw StoreError.notFound(kind: "job", id: String(id)) }
        return Self.jobRecord(row)
    }

    public func appendJobLog(_ id: Int64, level: String, message: String) async throws {
        try await write("jobs", "INSERT INTO job_log (job_id, at, level, message) VALUES (?, ?, ?, ?)",
                        [.integer(id), .integer(StoreClock.now()), .text(level), .text(message)])
    }

    public func jobLog(_ id: Int64, page: PageRequest) async throws -> Page<JobLogLine> {
        let total = try await count("jobs", "SELECT COUNT(*) FROM job_log WHERE job_id = ?", [.integer(id)])
        let rows = try await read("jobs", """
            SELECT id, job_id, at, level, message FROM job_log WHERE job_id = ? ORDER BY id LIMIT ? OFFSET ?
            """, [.integer(id), .int(page.limit), .int(page.offset)])
        return Page(items: rows.map {
            JobLogLine(id: $0.int64(0) ?? 0, jobID: $0.int64(1) ?? 0, at: $0.int64(2) ?? 0, level: $0.string(3) ?? "info",
                       message: $0.string(4) ?? "")
        }, total: total, limit: page.limit, offset: page.offset)
    }

    static let finishedStatuses = "('succeeded', 'failed', 'cancelled')"

    public func deleteFinishedJobs() async throws -> Int {
        try await write("jobs", "DELETE FROM jobs WHERE status IN \(Self.finishedStatuses) RETURNING id").count
    }

    public func deleteJob(_ id: Int64) async throws {
        guard let job = try await job(id) else { throw StoreError.notFound(kind: "job", id: String(id)) }
        guard job.status.isFinished else {
            throw StoreError.conflict(kind: "job", id: String(id), reason: "it is \(job.status.rawValue); cancel it first")
        }
        try await write("jobs", "DELETE FROM jobs WHERE id = ?", [.integer(id)])
    }

    public func jobCounts() async throws -> [JobStatus: Int] {
        var out = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0, 0) })
        for r in try await read("jobs", "SELECT status, COUNT(*) FROM jobs GROUP BY status") {
            if let s = JobStatus(rawValue: r.string(0) ?? "") { out[s] = r.int(1) ?? 0 }
        }
        return out
    }
}
