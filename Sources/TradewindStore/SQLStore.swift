import Foundation
import Logging

/// Everything the server keeps, by area. Each area is a protocol of its own (`Areas/`); a new area adds its
/// protocol to this composition and its migration to `StoreMigrations.all`.
public protocol TradewindStore: JobStore, ResultStore, KeywordStore, JournalStore, StrategyVersionStore, SessionStore,
    UserStore, TradingJournalStore, ModelVersionStore, LoginFailureStore, JobCheckpointStore
{
    /// The backend's name: `sqlite` or `postgresql`.
    var backend: String { get }
    /// Whether the database answers.
    func ping() async -> Bool
    /// Closes the database.
    func close() async
}

/// The store over a SQL database (`SQLiteDatabase` or `PostgreSQLDatabase`): the same statements on both.
public final class SQLStore: TradewindStore {
    public let database: any SQLDatabase
    /// Called with each statement's duration in seconds and the area (for the server's store-latency metric).
    let observe: @Sendable (String, Double) -> Void
    /// Small independent writes share commits (results, sessions).
    let groupCommit: GroupCommit

    /// Wraps `database`; call `migrate()` (or use `open(_:)`) before use.
    public init(database: any SQLDatabase, observe: @escaping @Sendable (String, Double) -> Void = { _, _ in }) {
        self.database = database
        self.observe = observe
        groupCommit = GroupCommit(database: database)
    }

    /// Opens the store `location` names — a `postgres://` URL or a SQLite file path — and applies the migrations.
    public static func open(_ location: String, observe: @escaping @Sendable (String, Double) -> Void = { _, _ in }) async throws -> SQLStore {
        let database: any SQLDatabase
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            database = try await PostgreSQLDatabase(url: location)
        } else {
            database = try SQLiteDatabase(path: location)
        }
        let store = SQLStore(database: database, observe: observe)
        do {
            try await store.migrate()
        } catch {
            await database.close()
            throw error
        }
        return store
    }

    /// Applies the migrations the database lacks.
    public func migrate() async throws {
        try await StoreMigrations.migrate(database)
    }

    public var backend: String { database.dialect.rawValue }

    public func ping() async -> Bool { await database.ping() }

    public func close() async { await database.close() }

    // MARK: statements, timed

    func read(_ area: String, _ sql: String, _ arguments: [SQLValue] = []) async throws -> [SQLRow] {
        let start = ContinuousClock.now
        defer { observe(area, Self.seconds(since: start)) }
        return try await database.read(SQLStatement(sql, arguments))
    }

    @discardableResult
    func write(_ area: String, _ sql: String, _ arguments: [SQLValue] = []) async throws -> [SQLRow] {
        let start = ContinuousClock.now
        defer { observe(area, Self.seconds(since: start)) }
        return try await database.write(SQLStatement(sql, arguments))
    }

    @discardableResult
    func transaction(_ area: String, _ statements: [SQLStatement]) async throws -> [SQLRow] {
        let start = ContinuousClock.now
        defer { observe(area, Self.seconds(since: start)) }
        return try await database.transaction(statements)
    }

    /// Runs `statements` in one transaction that shares its durable commit with other callers' (`GroupCommit`).
    @discardableResult
    func groupedTransaction(_ area: String, _ statements: [SQLStatement]) async throws -> [SQLRow] {
        let start = ContinuousClock.now
        defer { observe(area, Self.seconds(since: start)) }
        return try await groupCommit.commit(statements)
    }

    func count(_ area: String, _ sql: String, _ arguments: [SQLValue] = []) async throws -> Int {
        try await read(area, sql, arguments).first?.int(0) ?? 0
    }

    /// `count`, answered from memory while the database has not changed (`SQLDatabase.readMemoized`): the
    /// history's `COUNT(*)` over every stored result and the users check run on every request.
    func countUnlessChanged(_ area: String, _ sql: String, _ arguments: [SQLValue] = []) async throws -> Int {
        let start = ContinuousClock.now
        defer { observe(area, Self.seconds(since: start)) }
        return try await database.readMemoized(SQLStatement(sql, arguments)).first?.int(0) ?? 0
    }

    /// The expression giving the id the last INSERT of this transaction generated.
    var lastInsertID: String {
        database.dialect == .sqlite ? "last_insert_rowid()" : "lastval()"
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
