import TradewindCore

/// A user who may sign in. The password is kept only as a bcrypt hash.
public struct UserRecord: Sendable, Equatable {
    public var name: String
    public var passwordHash: String
    public var createdAt: UnixNanos
}

/// What a token is for: a long-lived API token for scripts, or a refresh token that buys new access tokens.
public enum TokenKind: String, Sendable, Codable, CaseIterable {
    case api, refresh
}

/// A stored token: only the SHA-256 digest of its secret is kept.
public struct TokenRecord: Sendable, Equatable {
    public var id: Int64
    public var user: String
    public var kind: TokenKind
    /// Hex SHA-256 of the token's secret.
    public var digest: String
    public var label: String
    public var createdAt: UnixNanos
    public var expiresAt: UnixNanos?
    public var revoked: Bool
}

/// The users-and-tokens area.
public protocol UserStore: Sendable {
    /// Adds a user; `conflict` when the name is taken, `invalidArgument` for a bad name.
    func addUser(name: String, passwordHash: String) async throws -> UserRecord
    func user(_ name: String) async throws -> UserRecord?
    func userCount() async throws -> Int
    /// Records a token by the digest of its secret.
    func createToken(user: String, kind: TokenKind, digest: String, label: String, expiresAt: UnixNanos?) async throws -> TokenRecord
    /// The token with this digest, if stored (revoked or expired ones too: the caller checks).
    func token(digest: String) async throws -> TokenRecord?
    /// Revokes a token; false when there was none.
    func revokeToken(digest: String) async throws -> Bool
}

extension StoreMigrations {
    static let usersV1 = StoreMigration(id: "007-users", statements: [
        "CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL)",
        """
        CREATE TABLE tokens (id {id}, user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
            kind TEXT NOT NULL, digest TEXT NOT NULL UNIQUE, label TEXT NOT NULL, created_at BIGINT NOT NULL,
            expires_at BIGINT, revoked BIGINT NOT NULL DEFAULT 0)
        """,
    ])
}

extension SQLStore {
    static let tokenColumns = "id, user_name, kind, digest, label, created_at, expires_at, revoked"

    static func token(_ r: SQLRow) -> TokenRecord {
        TokenRecord(id: r.int64(0) ?? 0, user: r.string(1) ?? "", kind: TokenKind(rawValue: r.string(2) ?? "") ?? .api,
                    digest: r.string(3) ?? "", label: r.string(4) ?? "", createdAt: r.int64(5) ?? 0, expiresAt: r.int64(6),
                    revoked: r.bool(7))
    }

    public func addUser(name: String, passwordHash: String) async throws -> UserRecord {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) })
        else {
            throw StoreError.invalidArgument(field: "name", value: "'\(name)'", valid: "1 to 64 ASCII letters, digits or . _ - @")
        }
        if try await user(name) != nil { throw StoreError.conflict(kind: "user", id: name, reason: "exists already") }
        let now = StoreClock.now()
        try await write("users", "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                        [.text(name), .text(passwordHash), .integer(now)])
        return UserRecord(name: name, passwordHash: passwordHash, createdAt: now)
    }

    public func user(_ name: String) async throws -> UserRecord? {
        try await read("users", "SELECT name, password_hash, created_at FROM users WHERE name = ?", [.text(name)]).first.map {
            UserRecord(name: $0.string(0) ?? "", passwordHash: $0.string(1) ?? "", createdAt: $0.int64(2) ?? 0)
        }
    }

    public func userCount() async throws -> Int {
        try await count("users", "SELECT COUNT(*) FROM users")
    }

    public func createToken(user: String, kind: TokenKind, digest: String, label: String, expiresAt: UnixNanos?) async throws -> TokenRecord {
        guard try await self.user(user) != nil else { throw StoreError.notFound(kind: "user", id: user) }
        let rows = try await write("users", """
            INSERT INTO tokens (user_name, kind, digest, label, created_at, expires_at, revoked)
            VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING \(Self.tokenColumns)
            """, [.text(user), .text(kind.rawValue), .text(digest), .text(label), .integer(StoreClock.now()), .int64(expiresAt)])
        return Self.token(rows[0])
    }

    public func token(digest: String) async throws -> TokenRecord? {
        try await read("users", "SELECT \(Self.tokenColumns) FROM tokens WHERE digest = ?", [.text(digest)]).first.map(Self.token)
    }

    public func revokeToken(digest: String) async throws -> Bool {
        try await write("users", "UPDATE tokens SET revoked = 1 WHERE digest = ? RETURNING id", [.text(digest)]).count > 0
    }
}
