/// One step of the schema: statements run once, in one transaction, recorded by `id` in `schema_migrations`.
/// `{id}` in a statement stands for the dialect's generated primary key column (`SQLDialect.identityColumn`),
/// `{nulls_last}` for an index column's ` NULLS LAST` where the dialect has it (`SQLDialect.indexNullsLast`),
/// `{blob}` for the dialect's column type of raw bytes (`SQLDialect.blobColumn`).
public struct StoreMigration: Sendable {
    /// Unique and never changed once released: `NNN-area-what`.
    public var id: String
    public var statements: [String]

    public init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}

/// The schema as an ordered list of migrations. A new area (the live-trading journal, say) appends its own
/// migration here, in a file of its own under `Areas/`, and never edits a released one.
public enum StoreMigrations {
    /// Every migration, in the order they run.
    public static let all: [StoreMigration] = [
        jobsV1, resultsV1, keywordsV1, journalV1, strategyVersionsV1, sessionsV1, usersV1, workQueueV1,
        tradingJournalV1, modelVersionsV1, resultsSortIndexes, loginFailuresV1, modelRefusals,
        jobCheckpointsAndLeases, workerIdentities,
    ]

    /// Applies the migrations `database` lacks, in order, each in its own transaction. Returns the ids applied.
    @discardableResult
    public static func migrate(_ database: any SQLDatabase, migrations: [StoreMigration] = all) async throws -> [String] {
        _ = try await database.write(SQLStatement(
            "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"))
        let done = Set(try await database.read(SQLStatement("SELECT id FROM schema_migrations")).compactMap { $0.string(0) })
        var applied: [String] = []
        for m in migrations where !done.contains(m.id) {
            var statements = m.statements.map {
                SQLStatement($0.replacingOccurrences(of: "{id}", with: database.dialect.identityColumn)
                    .replacingOccurrences(of: "{nulls_last}", with: database.dialect.indexNullsLast)
                    .replacingOccurrences(of: "{blob}", with: database.dialect.blobColumn))
            }
            statements.append(SQLStatement("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
                                           [.text(m.id), .integer(StoreClock.now())]))
            _ = try await database.transaction(statements)
            applied.append(m.id)
        }
        return applied
    }
}
