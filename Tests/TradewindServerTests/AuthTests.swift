import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing
@testable import TradewindServer

@Suite("Server authentication")
struct AuthTests {
    static func basic(_ user: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    @Test func withoutUsersTheAPIIsOpenAndWithOneEveryRouteButHealthNeedsAToken() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            #expect(try await client.send(.get, "/api/history").status == .ok)
            _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
            let refused = try await client.send(.get, "/api/history")
            #expect(refused.status == .unauthorized)
            #expect(refused.json["error"] as? String == "unauthorized")
            #expect(try await client.send(.get, "/api/health").status == .ok)
            #expect(try await client.send(.get, "/api/openapi.json").status == .ok)
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            #expect(try await client.send(.get, "/api/history", token: "not-a-token").status == .unauthorized)
        }
    }

    @Test func loginGivesAnAccessTokenAndARefreshTokenThatRotates() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        try await server.application().test(.router) { client in
            #expect(try await client.send(.post, "/api/auth/login", headers: Self.basic("ada", "wrong password")).status == .unauthorized)
            #expect(try await client.send(.post, "/api/auth/login", headers: Self.basic("bob", "correct horse")).status == .unauthorized)
            #expect(try await client.send(.post, "/api/auth/login").status == .unauthorized)
            let login = try await client.send(.post, "/api/auth/login", headers: Self.basic("ada", "correct horse"))
            #expect(login.status == .ok)
            let access = try #require(login.json["access_token"] as? String)
            let refresh = try #require(login.json["refresh_token"] as? String)
            #expect(login.json["expires_in"] as? Int == 900)
            #expect(try await client.send(.get, "/api/history", token: access).status == .ok)

            let renewed = try await client.send(.post, "/api/auth/refresh", body: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(renewed.status == .ok)
            let next = try #require(renewed.json["access_token"] as? String)
            #expect(try await client.send(.get, "/api/jobs", token: next).status == .ok)
            // The old refresh token was revoked by the rotation.
            #expect(try await client.send(.post, "/api/auth/refresh", body: #"{"refresh_token":"\#(refresh)"}"#).status == .unauthorized)
            // A refresh token is not an access token.
            let newRefresh = try #require(renewed.json["refresh_token"] as? String)
            #expect(try await client.send(.get, "/api/jobs", token: newRefresh).status == .unauthorized)
        }
    }

    @Test func anExpiredAccessTokenIsRefused() async throws {
        let server = try await TestServer.make { $0.accessTokenLifetime = -60 }
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        try await server.application().test(.router) { client in
            let login = try await client.send(.post, "/api/auth/login", headers: Self.basic("ada", "correct horse"))
            let access = try #require(login.json["access_token"] as? String)
            let r = try await client.send(.get, "/api/history", token: access)
            #expect(r.status == .unauthorized)
            #expect((r.json["message"] as? String)?.contains("expired") == true)
        }
    }

    @Test func apiTokensWorkUntilRevokedAndAreStoredOnlyAsDigests() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        let (secret, record) = try await server.credentials.createAPIToken(user: "ada", label: "script")
        #expect(secret.hasPrefix("tw_") && record.digest != secret && !record.digest.contains(secret))
        try await server.application().test(.router) { client in
            #expect(try await client.send(.get, "/api/history", token: secret).status == .ok)
            _ = try await server.store.revokeToken(digest: record.digest)
            #expect(try await client.send(.get, "/api/history", token: secret).status == .unauthorized)
        }
    }

    @Test func failedLoginsAreRateLimitedPerAddress() async throws {
        let server = try await TestServer.make { $0.loginAttemptsPerMinute = 2 }
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        try await server.application().test(.router) { client in
            for _ in 0..<2 {
                #expect(try await client.send(.post, "/api/auth/login", headers: Self.basic("ada", "guess")).status == .unauthorized)
            }
            let limited = try await client.send(.post, "/api/auth/login", headers: Self.basic("ada", "correct horse"))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
        }
    }

    @Test func aNonLoopbackAddressWithoutUsersIsRefusedUnlessInsecure() async throws {
        await #expect(throws: ServerStartError.self) {
            _ = try await TestServer.make { $0.host = "0.0.0.0" }
        }
        let insecure = try await TestServer.make { $0.host = "0.0.0.0"; $0.insecure = true }
        await insecure.store.close()
        // With a user the same address is accepted.
        let home = try TestServer.home()
        let first = try await TestServer.make { $0.home = home }
        _ = try await first.credentials.addUser(name: "ada", password: "correct horse")
        await first.store.close()
        let withUser = try await TestServer.make { $0.home = home; $0.host = "0.0.0.0" }
        await withUser.store.close()
    }

    @Test func theAdminUserComesFromTheEnvironment() async throws {
        var c = ServerConfiguration(port: 0, home: try TestServer.home())
        c.jobPriority = .normal
        c.bcryptCost = 4
        let server = try await TradewindServer.make(c, environment: ["ADMIN_USER": "root", "ADMIN_PASS": "s3cret-pass"])
        #expect(await server.credentials.verify(name: "root", password: "s3cret-pass"))
        #expect(await !server.credentials.verify(name: "root", password: "wrong"))
        await server.store.close()
    }

    @Test func theWebSocketNeedsATokenWhenUsersExist() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        let (secret, _) = try await server.credentials.createAPIToken(user: "ada", label: "ws")
        try await server.application().test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.ws("/ws") { _, _, _ in }
            }
            let first = Mutex<String?>(nil)
            try await client.ws("/ws?token=\(secret)") { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case let .text(text) = message { first.withLock { $0 = text } }
                    break
                }
            }
            #expect(first.withLock { $0 }?.contains(#""type":"server.status""#) == true)
        }
    }
}
