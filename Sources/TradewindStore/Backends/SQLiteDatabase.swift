import Foundation
import GRDB
import Synchronization

/// The SQLite backend: one database file through a GRDB `DatabasePool` in WAL mode (readers never wait for the
/// writer) with `synchronous = FULL`, so that every committed transaction — a stored result, a journal entry — is on
/// disk before the call returns and survives a crash or `kill -9`. A busy database is waited for up to 5 seconds.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    let pool: DatabasePool
    /// `readMemoized`'s answers, per reading connection (by `tradewind_connection()`), each with the
    /// `PRAGMA data_version` it was read at.
    let memos = Mutex<[Int64: [SQLStatement: (version: Int64, rows: [SQLRow])]]>([:])
    /// Answers kept per connection (the oldest are all dropped past it: statements with user-given values vary).
    static let memoLimit = 64
    /// Numbers every connection the process opens, never twice (a memo belongs to one connection's data_version).
    static let connections = Atomic<Int64>(0)

    /// The most of the file each connection reads through a memory map (256 MiB).
    static let memoryMapBytes = 256 << 20

    /// Opens (creating when missing) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Reads through a memory map and a 32 MiB page cache per connection: without them a history page's
            // COUNT(*) re-read its index with pread() on every request (45 % of the route's time under perf).
            // Writes still go through write() and the WAL, so durability is unchanged.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.memoryMapBytes)")
            try db.execute(sql: "PRAGMA cache_size = -32768")
            let id = SQLiteDatabase.connections.add(1, ordering: .relaxed).newValue
            db.add(function: DatabaseFunction("tradewind_connection", argumentCount: 0, pure: false) { _ in id })
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLDatabaseError("cannot open the SQLite database \(path): \(error)")
        }
    }

    public func read(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await pool.read { db in try Self.run(statement, in: db) }
    }

    /// SQLite's `PRAGMA data_version` changes exactly when another connection has committed since this connection's
    /// last read (reading connections never write), so an answer read at the same version is still the answer: a
    /// result stored or a user added by this process or any other is seen on the next call.
    public func readMemoized(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await pool.read { db in
            let connection = try Int64.fetchOne(db.cachedStatement(sql: "SELECT tradewind_connection()")) ?? 0
            // schema_version reads the database header, which opens this transaction's snapshot first: the
            // data_version that follows is the snapshot's.
            _ = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA schema_version"))
            let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? -1
            if let kept = memos.withLock({ $0[connection]?[statement] }), kept.version == version { return kept.rows }
            let rows = try Self.run(statement, in: db)
            memos.withLock { m in
                if m[connection, default: [:]].count >= Self.memoLimit { m[connection] = [:] }
                m[connection, default: [:]][statement] = (version, rows)
            }
            return rows
        }
    }

    public func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await pool.write { db in try Self.run(statement, in: db) }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [SQLRow] {
        try await pool.write { db in
            var last: [SQLRow] = []
            for s in statements { last = try Self.run(s, in: db) }
            return last
        }
    }

    public func transactions(_ groups: [[SQLStatement]]) async throws -> [Result<[SQLRow], any Error>] {
        try await pool.write { db in
            groups.map { statements in
                Result {
                    var last: [SQLRow] = []
                    try db.inSavepoint {
                        for s in statements { last = try Self.run(s, in: db) }
                        return .commit
                    }
                    return last
                }
            }
        }
    }

    public func ping() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func close() async {
        try? pool.close()
    }

    static func run(_ statement: SQLStatement, in db: Database) throws -> [SQLRow] {
        let arguments = StatementArguments(statement.arguments.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: return nil
            case let .integer(i): return i
            case let .real(d): return d
            case let .text(s): return s
            case let .blob(b): return b
            }
        })
        // Each connection keeps its prepared statements (the store's SQL texts are fixed, values are bound), and the
        // rows are read from a cursor into `SQLRow`s directly, without an intermediate array of GRDB rows. The columns
        // are read from the stepped statement by index: a GRDB row's `databaseValues` looks up every column's name
        // on every row, a tenth of the history page's CPU time (`perf`, release build).
        let prepared = try db.cachedStatement(sql: statement.sql)
        let cursor = try Row.fetchCursor(prepared, arguments: arguments)
        let columns = CInt(prepared.columnCount)
        var rows: [SQLRow] = []
        while try cursor.next() != nil {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for index in 0..<columns {
                switch DatabaseValue(sqliteStatement: prepared.sqliteStatement, index: index).storage {
                case .null: values.append(.null)
                case let .int64(i): values.append(.integer(i))
                case let .double(d): values.append(.real(d))
                case let .string(s): values.append(.text(s))
                case let .blob(b): values.append(.blob(b))
                }
            }
            rows.append(SQLRow(values))
        }
        return rows
    }
}
