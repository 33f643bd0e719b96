import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL backend: a postgres-nio `PostgresClient` (a connection pool on its own event loops) given a
/// `postgres://user:password@host:port/database` URL. An optional `?schema=NAME` query item puts every table in
/// that schema (it is created when missing), so several stores can share one database. `?sslmode=` (`require`,
/// `verify-ca`, `verify-full`, …) and `?sslrootcert=PATH` ask for TLS with libpq's meanings (`PostgreSQLTLS`);
/// `?sslcert=PATH&sslkey=PATH` present a client certificate.
public final class PostgreSQLDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgresql
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// How to open a connection of one's own (a `LISTEN` connection outlives the pool's turns): the pool's settings.
    let connectionConfiguration: PostgresConnection.Configuration

    /// Connects to the server named by `url`. Throws `SQLDatabaseError` naming what is wrong with the URL, or why the
    /// server cannot be reached.
    public init(url: String, logger: Logger = Logger(label: "tradewind.store.postgres")) async throws {
        guard let parts = URLComponents(string: url), parts.scheme == "postgres" || parts.scheme == "postgresql",
              let host = parts.host, !host.isEmpty
        else {
            throw SQLDatabaseError("database URL \(Self.redacted(url)): expected postgres://user:password@host:port/database")
        }
        let user = parts.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = parts.password.flatMap { $0.removingPercentEncoding }
        let database = parts.path.count > 1 ? String(parts.path.dropFirst()) : user
        let tls = try PostgreSQLTLS(queryItems: parts.queryItems)
        var configuration = PostgresClient.Configuration(host: host, port: parts.port ?? 5432, username: user,
                                                         password: password, database: database, tls: tls.client)
        let schema = parts.queryItems?.first { $0.name == "schema" }?.value
        if let schema {
            guard !schema.isEmpty, schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw SQLDatabaseError("database URL schema=\(schema): expected letters, digits and _")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        configuration.options.connectTimeout = .seconds(5)
        var single = PostgresConnection.Configuration(host: host, port: parts.port ?? 5432, username: user,
                                                      password: password, database: database, tls: try tls.connection())
        single.options.additionalStartupParameters = configuration.options.additionalStartupParameters
        single.options.connectTimeout = .seconds(5)
        connectionConfiguration = single
        // One connection first: a refused certificate or an unreachable server fails here at once with its reason
        // (the pool would retry it in the background while the first query waits).
        do {
            let probe = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            try? await probe.close()
        } catch {
            throw SQLDatabaseError("cannot reach PostgreSQL at \(Self.redacted(url)): \(String(reflecting: error))")
        }
        let client = PostgresClient(configuration: configuration)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
        do {
            if let schema { try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)")) }
            try await client.query("SELECT 1")
        } catch {
            runner.cancel()
            throw SQLDatabaseError("cannot reach PostgreSQL at \(Self.redacted(url)): \(String(reflecting: error))")
        }
    }

    /// The URL with its password replaced by `***`, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://…"
    }

    public func read(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await collect(client.query(Self.query(statement), logger: logger))
    }

    public func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await collect(client.query(Self.query(statement), logger: logger))
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [SQLRow] {
        try await client.withTransaction(logger: logger) { connection in
            var last: [SQLRow] = []
            for s in statements {
                last = try await self.collect(connection.query(Self.query(s), logger: self.logger))
            }
            return last
        }
    }

    public func transactions(_ groups: [[SQLStatement]]) async throws -> [Result<[SQLRow], any Error>] {
        try await client.withTransaction(logger: logger) { connection in
            var results: [Result<[SQLRow], any Error>] = []
            for statements in groups {
                try await connection.query("SAVEPOINT tw_group", logger: self.logger)
                do {
                    var last: [SQLRow] = []
                    for s in statements { last = try await self.collect(connection.query(Self.query(s), logger: self.logger)) }
                    try await connection.query("RELEASE SAVEPOINT tw_group", logger: self.logger)
                    results.append(.success(last))
                } catch {
                    try await connection.query("ROLLBACK TO SAVEPOINT tw_group", logger: self.logger)
                    try await connection.query("RELEASE SAVEPOINT tw_group", logger: self.logger)
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// Runs `body` in one transaction on one connection: `body` runs statements through `run` and may decide on their
    /// rows (`SELECT … FOR UPDATE`, then write or not). All is committed, durably, or none.
    func interactiveTransaction<T: Sendable>(
        _ body: (_ run: (SQLStatement) async throws -> [SQLRow]) async throws -> T
    ) async throws -> T {
        try await client.withTransaction(logger: logger) { connection in
            try await body { statement in try await self.collect(connection.query(Self.query(statement), logger: self.logger)) }
        }
    }

    /// A connection of its own (not the pool's), for `LISTEN`; the caller closes it.
    func dedicatedConnection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
    }

    public func ping() async -> Bool {
        (try? await client.query("SELECT 1")) != nil
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var out: [SQLRow] = []
        for try await row in rows {
            var values: [SQLValue] = []
            for cell in row {
                values.append(try Self.value(cell))
            }
            out.append(SQLRow(values))
        }
        return out
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(try cell.decode(Data.self))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// The statement with `?` placeholders (outside quoted text) numbered `$1`, `$2`, … and its arguments bound.
    static func query(_ statement: SQLStatement) throws -> PostgresQuery {
        var sql = ""
        sql.reserveCapacity(statement.sql.utf8.count + 16)
        var n = 0
        var quoted = false
        for c in statement.sql {
            if c == "'" { quoted.toggle() }
            if c == "?" && !quoted {
                n += 1
                sql += "$\(n)"
            } else {
                sql.append(c)
            }
        }
        var binds = PostgresBindings(capacity: statement.arguments.count)
        for v in statement.arguments {
            switch v {
            case .null: binds.appendNull()
            case let .integer(i): binds.append(i)
            case let .real(d): binds.append(d)
            case let .text(s): binds.append(s)
            case let .blob(b): try binds.append(b)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
