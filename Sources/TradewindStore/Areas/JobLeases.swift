import TradewindCore

/// Which server runs a job: a running job is held by one server (`jobs.owner`) under a lease (`jobs.lease_until`,
/// by the database's clock) that the server renews while it runs the job. A server that dies stops renewing, and
/// once the lease expired any server on the same database claims the job (`claimNextJob`) and resumes it, as
/// `tradewind worker`s take over each other's tasks. A claim of an expired job and the renewal race on the job's
/// row: one wins, the other matches nothing.
///
/// Fencing: every write a running job makes to its own record — a symbol's result or mark, its end, its release, its
/// checkpoint — carries its holder and is applied only while that holder still holds the running job, in the same
/// transaction (the job's row is locked first, so a claim by another server waits for it or wins before it). A holder
/// that lost the job (paused or cut off past its lease, and another server claimed it) writes nothing: its write
/// throws `JobTakenOver` (or answers false), and it stops the job without touching the new holder's record. Log lines
/// (`appendJobLog`) are not fenced: they only add lines, each naming the server that wrote it; `setJobSymbols` only adds
/// the symbols missing and recounts, which a former holder cannot make wrong.
extension SQLStore {
    /// `lease` seconds as nanoseconds.
    static func leaseNanos(_ seconds: Double) -> SQLValue { .integer(Int64((seconds * 1e9).rounded())) }

    /// The condition a claimable job meets: queued, or running under an expired lease (or none: a job left running
    /// by a server older than leases) held by another owner. A server never claims a job it holds itself: after a
    /// pause longer than the lease it would otherwise start a second run of a job it is still running. Binds the
    /// claiming owner once.
    var claimable: String {
        "(status = 'queued' OR (status = 'running' AND (lease_until IS NULL OR lease_until < \(database.dialect.now))"
            + " AND (owner IS NULL OR owner <> ?)))"
    }

    /// `EXISTS (…)` true while `owner` holds running job `id`, with its arguments.
    static func held(_ id: Int64, by owner: String) -> (sql: String, arguments: [SQLValue]) {
        ("EXISTS (SELECT 1 FROM jobs WHERE id = ? AND owner = ? AND status = 'running')", [.integer(id), .text(owner)])
    }

    /// The first statement of a fenced write: locks job `id`'s row for the rest of the transaction when `owner` holds
    /// it running (changing nothing), so that no claim by another server commits between the write's statements.
    static func lockingHeld(_ id: Int64, by owner: String) -> SQLStatement {
        SQLStatement("UPDATE jobs SET owner = owner WHERE id = ? AND owner = ? AND status = 'running'", [.integer(id), .text(owner)])
    }

    /// The last statement of a fenced write: one row whose one column is 1 while `owner` holds running job `id`, else 0.
    static func holding(_ id: Int64, by owner: String) -> SQLStatement {
        SQLStatement("SELECT COUNT(*) FROM jobs WHERE id = ? AND owner = ? AND status = 'running'", [.integer(id), .text(owner)])
    }

    public func claimNextJob(owner: String, lease: Double) async throws -> JobRecord? {
        let rows = try await write("jobs", """
            UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?), owner = ?,
                lease_until = \(database.dialect.now) + ?
            WHERE id = (SELECT MIN(id) FROM jobs WHERE \(claimable)) AND \(claimable)
            RETURNING \(Self.jobColumns)
            """, [.integer(StoreClock.now()), .text(owner), Self.leaseNanos(lease), .text(owner), .text(owner)])
        return rows.first.map(Self.jobRecord)
    }

    public func renewJobLeases(owner: String, lease: Double) async throws -> [Int64] {
        try await write("jobs", """
            UPDATE jobs SET lease_until = \(database.dialect.now) + ? WHERE owner = ? AND status = 'running' RETURNING id
            """, [Self.leaseNanos(lease), .text(owner)]).compactMap { $0.int64(0) }.sorted()
    }

    @discardableResult
    public func releaseJob(_ id: Int64, owner: String) async throws -> Bool {
        !(try await write("jobs", """
            UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL
            WHERE id = ? AND owner = ? AND status = 'running' RETURNING id
            """, [.integer(id), .text(owner)])).isEmpty
    }

    public func requeueJobs(heldBy owners: [String]) async throws -> [Int64] {
        let listed = owners.isEmpty ? "" : " OR owner IN (" + owners.map { _ in "?" }.joined(separator: ", ") + ")"
        return try await write("jobs", """
            UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL
            WHERE status = 'running' AND (owner IS NULL\(listed)) RETURNING id
            """, owners.map(SQLValue.text)).compactMap { $0.int64(0) }.sorted()
    }
}

/// What a fenced write of a running job answers when its server no longer holds the job: another server claimed it
/// after its lease expired (this one was paused or cut off from the database for longer than the lease), or it
/// ended. Nothing was written; the job must stop on this server and leave its record to the new holder.
public struct JobTakenOver: Error, Equatable, Sendable, CustomStringConvertible {
    public var jobID: Int64
    /// The holder that asked for the write.
    public var owner: String

    public init(jobID: Int64, owner: String) {
        (self.jobID, self.owner) = (jobID, owner)
    }

    public var description: String {
        "job \(jobID) is no longer held by \(owner) (another server took it over after its lease expired, or it ended): "
            + "nothing was written; stop running it here"
    }
}

/// A running job and the holder a fenced write is made for: the write is applied only while `owner` holds job
/// `jobID` running, else refused with `JobTakenOver`.
public struct JobHold: Sendable, Equatable {
    public var jobID: Int64
    /// The holder's text (`jobs.owner`).
    public var owner: String

    public init(jobID: Int64, owner: String) {
        (self.jobID, self.owner) = (jobID, owner)
    }
}
