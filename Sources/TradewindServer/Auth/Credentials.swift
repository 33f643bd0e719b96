import Crypto
import Foundation
import HummingbirdBcrypt
import JWTKit
import Synchronization
import TradewindCore
import TradewindStore

/// The claims of a short-lived access token.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    /// Always `access`: refresh and API tokens are opaque secrets, not JWTs.
    var typ: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard typ == "access" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token") }
    }
}

/// Tokens issued at login or refresh.
struct IssuedTokens: Encodable, Sendable {
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
    var refreshToken: String
    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", refreshToken = "refresh_token"
    }
}

/// Users, passwords and tokens: bcrypt password hashes (HummingbirdBcrypt), HS256 access JWTs (jwt-kit) signed with a
/// key kept in the server's home, opaque refresh and API tokens stored only as SHA-256 digests. Every secret
/// comparison is constant-time; an unknown user costs the same bcrypt work as a wrong password.
public final class Credentials: Sendable {
    let store: any TradewindStore
    let keys: JWTKeyCollection
    let accessLifetime: Int
    let refreshLifetime: Int
    let bcryptCost: UInt8
    let dummyHash: String
    /// Once a user exists the server requires tokens; the flag is cached after it turns true (users are never removed).
    /// Until then every request asks the store, so a user added by another process (`tradewind user add` on the same
    /// store) is required from the next request on, as the issue says: "when any user exists, every API route but
    /// /api/health needs a token" — no window in which an open server still answers without one.
    let usersExist = Atomic<Bool>(false)
    /// Access JWTs already verified (their expiry still checked on every use); API and refresh tokens always read
    /// the store, so a revoked one is refused at once.
    let verifiedAccess = VerifiedAccessTokens()

    /// `secret`: the HMAC key of access tokens. `accessLifetime`/`refreshLifetime` in seconds.
    public init(store: any TradewindStore, secret: [UInt8], accessLifetime: Int = 900, refreshLifetime: Int = 30 * 86_400,
                bcryptCost: UInt8 = 12) async {
        self.store = store
        self.accessLifetime = accessLifetime
        self.refreshLifetime = refreshLifetime
        self.bcryptCost = bcryptCost
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        dummyHash = Bcrypt.hash("tradewind-timing-equaliser", cost: bcryptCost)
    }

    /// The signing key in `home/jwt.key` (32 random bytes, created with mode 0600 when missing).
    public static func secret(home: String) throws -> [UInt8] {
        let path = (home as NSString).appendingPathComponent("jwt.key")
        if let data = FileManager.default.contents(atPath: path), data.count >= 32 { return [UInt8](data) }
        let key = randomBytes(32)
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw APIError(.internalServerError, "internal", "cannot write the token key \(path)")
        }
        return key
    }

    static func randomBytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// A new opaque token: `prefix` + 43 base64url characters (256 random bits).
    static func newSecret(prefix: String) -> String {
        prefix + Data(randomBytes(32)).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Equal-length byte comparison that takes the same time wherever the first difference is.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }

    /// Whether any user exists (then every API route but the public ones needs a token).
    func authenticationRequired() async -> Bool {
        if usersExist.load(ordering: .relaxed) { return true }
        // A store that cannot answer counts as having users: closed, not open, when in doubt.
        let exists = ((try? await store.userCount()) ?? 1) > 0
        if exists { usersExist.store(true, ordering: .releasing) }
        return exists
    }

    /// A bcrypt hash of `password`, computed off the event loop.
    public func hash(password: String) async throws -> String {
        let cost = bcryptCost
        return try await DedicatedThread.run(name: "tw-bcrypt") { () -> String in Bcrypt.hash(password, cost: cost) }
    }

    /// Adds a user with `password` (at least 8 characters).
    public func addUser(name: String, password: String) async throws -> UserRecord {
        guard password.count >= 8 else {
            throw StoreError.invalidArgument(field: "password", value: "(\(password.count) characters)", valid: "at least 8 characters")
        }
        let user = try await store.addUser(name: name, passwordHash: try await hash(password: password))
        usersExist.store(true, ordering: .relaxed)
        return user
    }

    /// Checks a name and password; the same bcrypt work whether or not the user exists.
    func verify(name: String, password: String) async -> Bool {
        let stored = (try? await store.user(name))?.passwordHash
        let hash = stored ?? dummyHash
        let ok = (try? await DedicatedThread.run(name: "tw-bcrypt") { () -> Bool in Bcrypt.verify(password, hash: hash) }) ?? false
        return ok && stored != nil
    }

    /// Issues an access JWT and a new refresh token for `user`.
    func issue(for user: String) async throws -> IssuedTokens {
        let now = Date()
        let claims = AccessClaims(sub: SubjectClaim(value: user), exp: ExpirationClaim(value: now.addingTimeInterval(Double(accessLifetime))),
                                  iat: IssuedAtClaim(value: now), typ: "access")
        let access = try await keys.sign(claims)
        let refresh = Self.newSecret(prefix: "twr_")
        _ = try await store.createToken(user: user, kind: .refresh, digest: Self.digest(refresh), label: "refresh",
                                        expiresAt: StoreClock.now() + Int64(refreshLifetime) * 1_000_000_000)
        return IssuedTokens(accessToken: access, expiresIn: accessLifetime, refreshToken: refresh)
    }

    /// Exchanges a refresh token for new tokens; the old refresh token is revoked (rotation).
    func refresh(_ token: String) async throws -> IssuedTokens {
        guard let record = try await validToken(token, kind: .refresh) else {
            throw APIError.unauthorized("the refresh token is unknown, expired or revoked; log in again")
        }
        _ = try await store.revokeToken(digest: record.digest)
        return try await issue(for: record.user)
    }

    /// Creates a long-lived API token for `user`; the secret is returned once and only its digest is stored.
    public func createAPIToken(user: String, label: String) async throws -> (secret: String, record: TokenRecord) {
        let secret = Self.newSecret(prefix: "tw_")
        let record = try await store.createToken(user: user, kind: .api, digest: Self.digest(secret), label: label, expiresAt: nil)
        return (secret, record)
    }

    func validToken(_ secret: String, kind: TokenKind) async throws -> TokenRecord? {
        let digest = Self.digest(secret)
        guard let record = try await store.token(digest: digest), Self.constantTimeEqual(record.digest, digest),
              record.kind == kind, !record.revoked
        else { return nil }
        if let expires = record.expiresAt, expires <= StoreClock.now() { return nil }
        return record
    }

    /// The user a bearer credential belongs to: an access JWT or an API token. Nil when invalid or expired.
    func user(bearer: String) async -> String? {
        if bearer.hasPrefix("tw_") {
            return (try? await validToken(bearer, kind: .api))?.user
        }
        if let user = verifiedAccess.user(bearer) { return user }
        guard let claims = try? await keys.verify(bearer, as: AccessClaims.self) else { return nil }
        verifiedAccess.remember(bearer, user: claims.sub.value, expires: claims.exp.value)
        return claims.sub.value
    }
}

/// Failed logins per client address: more than `limit` failures within `window` seconds and further attempts get 429
/// until the window passes. The failures are counted in the store (`LoginFailureStore`), so every server process on
/// one database shares the limit: a second server is no second allowance.
final class LoginRateLimiter: Sendable {
    let store: any LoginFailureStore
    let limit: Int
    let window: Double

    init(store: any LoginFailureStore, limit: Int = 10, window: Double = 60) {
        self.store = store
        self.limit = limit
        self.window = window
    }

    var windowNanos: Int64 { Int64(window * 1e9) }

    /// Seconds to wait before trying again (nil: allowed now).
    func retryAfter(_ address: String) async throws -> Int? {
        let now = StoreClock.now()
        let recent = try await store.loginFailures(address: address, since: now - windowNanos)
        guard recent.count >= limit, let oldest = recent.oldest else { return nil }
        return max(1, Int((Double(oldest + windowNanos - now) / 1e9).rounded(.up)))
    }

    func failed(_ address: String) async throws {
        let now = StoreClock.now()
        try await store.recordLoginFailure(address: address, at: now, forgetBefore: now - windowNanos)
    }

    func succeeded(_ address: String) async throws {
        try await store.clearLoginFailures(address: address)
    }
}
