import TradewindCore

/// Failed logins from one client address within a window: how many, and when the oldest was.
public struct LoginFailures: Sendable, Equatable {
    public var count: Int
    public var oldest: UnixNanos?

    public init(count: Int, oldest: UnixNanos?) {
        self.count = count
        self.oldest = oldest
    }
}

/// The failed-logins area: the login rate limit's counters, kept in the store so that every server process on one
/// database counts the same failures (an attacker cannot multiply the limit by the number of servers).
public protocol LoginFailureStore: Sendable {
    /// Records a failed login from `address` at `at`, and forgets every address's failures before `forgetBefore`.
    func recordLoginFailure(address: String, at: UnixNanos, forgetBefore: UnixNanos) async throws
    /// The failures from `address` at or after `since`.
    func loginFailures(address: String, since: UnixNanos) async throws -> LoginFailures
    /// Forgets `address`'s failures (it logged in).
    func clearLoginFailures(address: String) async throws
}

extension StoreMigrations {
    static let loginFailuresV1 = StoreMigration(id: "012-login-failures", statements: [
        "CREATE TABLE login_failures (id {id}, address TEXT NOT NULL, failed_at BIGINT NOT NULL)",
        "CREATE INDEX login_failures_address ON login_failures (address, failed_at)",
        "CREATE INDEX login_failures_failed_at ON login_failures (failed_at)",
    ])
}

extension SQLStore {
    public func recordLoginFailure(address: String, at: UnixNanos, forgetBefore: UnixNanos) async throws {
        try await transaction("login_failures", [
            SQLStatement("DELETE FROM login_failures WHERE failed_at < ?", [.integer(forgetBefore)]),
            SQLStatement("INSERT INTO login_failures (address, failed_at) VALUES (?, ?)", [.text(address), .integer(at)]),
        ])
    }

    public func loginFailures(address: String, since: UnixNanos) async throws -> LoginFailures {
        let row = try await read("login_failures", "SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE address = ? AND failed_at >= ?",
                                 [.text(address), .integer(since)]).first
        return LoginFailures(count: row?.int(0) ?? 0, oldest: row?.int64(1))
    }

    public func clearLoginFailures(address: String) async throws {
        try await write("login_failures", "DELETE FROM login_failures WHERE address = ?", [.text(address)])
    }
}
