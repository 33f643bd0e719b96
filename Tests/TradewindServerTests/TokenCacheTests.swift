import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import TradewindServer

@Suite("Server authentication with verified tokens remembered")
struct TokenCacheTests {
    @Test func aRememberedTokenIsForgottenTheMomentItExpires() {
        let tokens = VerifiedAccessTokens()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        tokens.remember("a.b.c", user: "ada", expires: t0.addingTimeInterval(60), now: t0)
        #expect(tokens.user("a.b.c", now: t0.addingTimeInterval(59.9)) == "ada")
        #expect(tokens.user("a.b.C", now: t0) == nil)
        #expect(tokens.user("a.b.c", now: t0.addingTimeInterval(60)) == nil)
        #expect(tokens.count == 0)
    }

    @Test func theCacheStaysWithinItsLimit() {
        let tokens = VerifiedAccessTokens(limit: 3)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<3 { tokens.remember("old\(i)", user: "ada", expires: t0.addingTimeInterval(Double(i)), now: t0) }
        // Two have expired at t0 + 1.5: they make room first.
        tokens.remember("new", user: "bob", expires: t0.addingTimeInterval(60), now: t0.addingTimeInterval(1.5))
        #expect(tokens.count == 2)
        #expect(tokens.user("old2", now: t0.addingTimeInterval(1.5)) == "ada")
        #expect(tokens.user("new", now: t0.addingTimeInterval(1.5)) == "bob")
        for i in 0..<10 { tokens.remember("more\(i)", user: "ada", expires: t0.addingTimeInterval(60), now: t0.addingTimeInterval(2)) }
        #expect(tokens.count <= 3)
    }

    @Test func aRevokedAPITokenIsRefusedOnTheNextRequestAfterManyUses() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        let (secret, record) = try await server.credentials.createAPIToken(user: "ada", label: "script")
        try await server.application().test(.router) { client in
            for _ in 0..<20 { #expect(try await client.send(.get, "/api/history/count", token: secret).status == .ok) }
            // Revoked in the store, as another process would: not through this server.
            _ = try await server.store.revokeToken(digest: record.digest)
            #expect(try await client.send(.get, "/api/history/count", token: secret).status == .unauthorized)
        }
    }

    /// (Expiry of a remembered token is proved with a given clock above: a real wait is flaky on a loaded machine.)
    @Test func aRememberedAccessTokenServesOnlyItsExactText() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        try await server.application().test(.router) { client in
            let login = try await client.send(.post, "/api/auth/login", headers: AuthTests.basic("ada", "correct horse"))
            let access = try #require(login.json["access_token"] as? String)
            #expect(try await client.send(.get, "/api/history/count", token: access).status == .ok)
            #expect(server.credentials.verifiedAccess.user(access) == "ada")
            // The same token with its signature's first character changed is checked, not taken from the cache.
            let dot = try #require(access.lastIndex(of: "."))
            let first = access.index(after: dot)
            let altered = String(access[..<first]) + (access[first] == "A" ? "B" : "A") + String(access[access.index(after: first)...])
            #expect(try await client.send(.get, "/api/history/count", token: altered).status == .unauthorized)
            #expect(try await client.send(.get, "/api/history/count", token: access).status == .ok)
        }
    }
}
