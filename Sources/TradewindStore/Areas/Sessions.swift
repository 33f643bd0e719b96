import TradewindCore

/// A recorded run (a backtest, later a paper or live session) with the market condition it met and its metrics.
public struct SessionRecord: Sendable, Equatable {
    public var id: Int64
    /// `backtest`, `paper` or `live`.
    public var mode: String
    public var strategy: String
    public var strategyVersionID: Int64?
    /// `bull`, `bear` or `sideways` (see the server's classification), or `unknown`.
    public var marketCondition: String
    /// The run's metrics, a JSON object.
    public var metrics: String
    public var startedAt: UnixNanos
    public var endedAt: UnixNanos?
}

/// A session to record.
public struct NewSession: Sendable, Equatable {
    public var mode: String
    public var strategy: String
    public var strategyVersionID: Int64?
    public var marketCondition: String
    public var metrics: String
    public var startedAt: UnixNanos
    public var endedAt: UnixNanos?

    public init(mode: String, strategy: String, strategyVersionID: Int64? = nil, marketCondition: String, metrics: String,
                startedAt: UnixNanos, endedAt: UnixNanos?) {
        self.mode = mode
        self.strategy = strategy
        self.strategyVersionID = strategyVersionID
        self.marketCondition = marketCondition
        self.metrics = metrics
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// The sessions area.
public protocol SessionStore: Sendable {
    func recordSession(_ session: NewSession) async throws -> SessionRecord
    /// Sessions, newest first.
    func sessions(page: PageRequest) async throws -> Page<SessionRecord>
}

extension StoreMigrations {
    static let sessionsV1 = StoreMigration(id: "006-sessions", statements: [
        """
        CREATE TABLE sessions (id {id}, mode TEXT NOT NULL, strategy TEXT NOT NULL, strategy_version_id BIGINT,
            market_condition TEXT NOT NULL, metrics TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT)
        """,
    ])
}

extension SQLStore {
    static let sessionColumns = "id, mode, strategy, strategy_version_id, market_condition, metrics, started_at, ended_at"

    static func session(_ r: SQLRow) -> SessionRecord {
        SessionRecord(id: r.int64(0) ?? 0, mode: r.string(1) ?? "", strategy: r.string(2) ?? "", strategyVersionID: r.int64(3),
                      marketCondition: r.string(4) ?? "unknown", metrics: r.string(5) ?? "{}", startedAt: r.int64(6) ?? 0,
                      endedAt: r.int64(7))
    }

    public func recordSession(_ s: NewSession) async throws -> SessionRecord {
        var insert = Self.insertSession(s)
        insert.sql += " RETURNING \(Self.sessionColumns)"
        let rows = try await groupedTransaction("sessions", [insert])
        return Self.session(rows[0])
    }

    static func insertSession(_ s: NewSession) -> SQLStatement {
        SQLStatement("""
            INSERT INTO sessions (mode, strategy, strategy_version_id, market_condition, metrics, started_at, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(s.mode), .text(s.strategy), .int64(s.strategyVersionID), .text(s.marketCondition), .text(s.metrics),
                  .integer(s.startedAt), .int64(s.endedAt)])
    }

    public func sessions(page: PageRequest) async throws -> Page<SessionRecord> {
        let total = try await count("sessions", "SELECT COUNT(*) FROM sessions")
        let rows = try await read("sessions", "SELECT \(Self.sessionColumns) FROM sessions ORDER BY id DESC LIMIT ? OFFSET ?",
                                  [.int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.session), total: total, limit: page.limit, offset: page.offset)
    }
}
