import Foundation
import Synchronization

/// Access JWTs whose signature and claims have been checked, remembered by their exact text so that a client's
/// every request does not redo the HMAC and the JSON decoding. Only that check is remembered: the expiry is compared
/// with the clock on every use, so an expired token is refused the moment it expires, cached or not. (Access JWTs
/// cannot be revoked; API and refresh tokens, which can, are never cached: each use reads the store, so a revocation
/// — by this server or any other process on the store — is refused from the next request on.)
final class VerifiedAccessTokens: Sendable {
    struct Entry: Sendable {
        var user: String
        var expires: Date
    }

    /// Tokens kept at most; past it the expired ones are dropped, and all of them if none had expired.
    let limit: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(limit: Int = 4096) {
        self.limit = max(1, limit)
    }

    var count: Int { entries.withLock { $0.count } }

    /// The user of `token` if it was verified before and has not expired at `now` (an expired one is forgotten).
    func user(_ token: String, now: Date = Date()) -> String? {
        entries.withLock { e in
            guard let entry = e[token] else { return nil }
            guard entry.expires > now else {
                e[token] = nil
                return nil
            }
            return entry.user
        }
    }

    /// Remembers that `token` verified as `user`'s, valid until `expires`.
    func remember(_ token: String, user: String, expires: Date, now: Date = Date()) {
        entries.withLock { e in
            if e.count >= limit, e[token] == nil {
                e = e.filter { $0.value.expires > now }
                if e.count >= limit { e.removeAll(keepingCapacity: true) }
            }
            e[token] = Entry(user: user, expires: expires)
        }
    }
}
