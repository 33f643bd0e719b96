import TradewindCore

/// A version of a trading strategy's configuration: parameters as JSON, derived from a parent version.
/// At most one version is active (the one live trading uses).
public struct StrategyVersion: Sendable, Equatable {
    public var id: Int64
    /// The catalog strategy it configures.
    public var strategy: String
    public var parentID: Int64?
    /// The parameters, a JSON object.
    public var parameters: String
    public var notes: String
    public var active: Bool
    public var createdAt: UnixNanos
}

/// The strategy-versions area.
public protocol StrategyVersionStore: Sendable {
    /// Creates a version; `parentID` must name a stored version (`notFound`).
    func createStrategyVersion(strategy: String, parentID: Int64?, parameters: String, notes: String) async throws -> StrategyVersion
    /// Versions, newest first.
    func strategyVersions(page: PageRequest) async throws -> Page<StrategyVersion>
    func strategyVersion(_ id: Int64) async throws -> StrategyVersion?
    /// The active version, if any.
    func activeStrategyVersion() async throws -> StrategyVersion?
    /// Makes `id` the one active version (`notFound` when it does not exist).
    func activateStrategyVersion(_ id: Int64) async throws -> StrategyVersion
}

extension StoreMigrations {
    static let strategyVersionsV1 = StoreMigration(id: "005-strategy-versions", statements: [
        """
        CREATE TABLE strategy_versions (id {id}, strategy TEXT NOT NULL, parent_id BIGINT, parameters TEXT NOT NULL,
            notes TEXT NOT NULL, active BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)
        """,
    ])
}

extension SQLStore {
    static let versionColumns = "id, strategy, parent_id, parameters, notes, active, created_at"

    static func version(_ r: SQLRow) -> StrategyVersion {
        StrategyVersion(id: r.int64(0) ?? 0, strategy: r.string(1) ?? "", parentID: r.int64(2), parameters: r.string(3) ?? "{}",
                        notes: r.string(4) ?? "", active: r.bool(5), createdAt: r.int64(6) ?? 0)
    }

    public func createStrategyVersion(strategy: String, parentID: Int64?, parameters: String, notes: String) async throws -> StrategyVersion {
        if let parentID, try await strategyVersion(parentID) == nil {
            throw StoreError.notFound(kind: "strategy version", id: String(parentID))
        }
        let rows = try await write("strategies", """
            INSERT INTO strategy_versions (strategy, parent_id, parameters, notes, active, created_at)
            VALUES (?, ?, ?, ?, 0, ?) RETURNING \(Self.versionColumns)
            """, [.text(strategy), .int64(parentID), .text(parameters), .text(notes), .integer(StoreClock.now())])
        return Self.version(rows[0])
    }

    public func strategyVersions(page: PageRequest) async throws -> Page<StrategyVersion> {
        let total = try await count("strategies", "SELECT COUNT(*) FROM strategy_versions")
        let rows = try await read("strategies", """
            SELECT \(Self.versionColumns) FROM strategy_versions ORDER BY id DESC LIMIT ? OFFSET ?
            """, [.int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.version), total: total, limit: page.limit, offset: page.offset)
    }

    public func strategyVersion(_ id: Int64) async throws -> StrategyVersion? {
        try await read("strategies", "SELECT \(Self.versionColumns) FROM strategy_versions WHERE id = ?", [.integer(id)])
            .first.map(Self.version)
    }

    public func activeStrategyVersion() async throws -> StrategyVersion? {
        try await read("strategies", "SELECT \(Self.versionColumns) FROM strategy_versions WHERE active = 1 ORDER BY id DESC LIMIT 1")
            .first.map(Self.version)
    }

    public func activateStrategyVersion(_ id: Int64) async throws -> StrategyVersion {
        let rows = try await transaction("strategies", [
            SQLStatement("""
                UPDATE strategy_versions SET active = CASE WHEN id = ? THEN 1 ELSE 0 END
                WHERE EXISTS (SELECT 1 FROM strategy_versions WHERE id = ?)
                """, [.integer(id), .integer(id)]),
            SQLStatement("SELECT \(Self.versionColumns) FROM strategy_versions WHERE id = ?", [.integer(id)]),
        ])
        guard let row = rows.first else { throw StoreError.notFound(kind: "strategy version", id: String(id)) }
        return Self.version(row)
    }
}
