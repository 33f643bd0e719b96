import TradewindCore

/// Which server runs a job: a running job is held by one server (`jobs.owner`) under a lease (`jobs.lease_until`,
/// by the database's clock) that the server renews while it runs the job. A server that dies stops renewing, and
/// once the lease expired any server on the same database claims the job (`claimNextJob`) and resumes it, as
/// `tradewind worker`s take over each other's tasks. A claim of an expired job and the renewal race on the job's
/// row: one wins, the other matches nothing.
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
