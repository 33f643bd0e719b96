import Foundation
import HummingbirdTesting
import Testing
@testable import TradewindServer

/// The login rate limit counts in the store: two servers on one database share it.
@Suite("Server login limit shared through the store")
struct SharedLoginLimitTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgresql
        var testDescription: String { rawValue }

        /// A database location for two servers: one SQLite file, or one fresh PostgreSQL schema.
        func database() throws -> String {
            switch self {
            case .sqlite: return (try TestServer.home() as NSString).appendingPathComponent("shared.sqlite")
            case .postgresql: return Distributed.freshDatabase(try Distributed.baseURL())
            }
        }
    }

    /// One login attempt on `server` as `ada` with `password`.
    static func login(_ server: TradewindServer, _ password: String) async throws -> Reply {
        try await server.application().test(.router) { client in
            try await client.send(.post, "/api/auth/login", headers: AuthTests.basic("ada", password))
        }
    }

    @Test(arguments: Backend.allCases)
    func failuresOnOneServerLimitLoginsOnAnotherServerOfTheSameDatabase(_ backend: Backend) async throws {
        let database = try backend.database()
        let first = try await TestServer.make { $0.database = database; $0.loginAttemptsPerMinute = 3 }
        let second = try await TestServer.make { $0.database = database; $0.loginAttemptsPerMinute = 3 }
        defer { Task { await first.store.close(); await second.store.close() } }
        _ = try await first.credentials.addUser(name: "ada", password: "correct horse")
        #expect(try await Self.login(first, "guess 1").status == .unauthorized)
        #expect(try await Self.login(second, "guess 2").status == .unauthorized)
        #expect(try await Self.login(first, "guess 3").status == .unauthorized)
        // Three failures in all, on two servers: both refuse the address now, even with the right password.
        for server in [first, second] {
            let limited = try await Self.login(server, "correct horse")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test func aSuccessfulLoginClearsTheAddresssFailuresForEveryServer() async throws {
        let database = try Backend.sqlite.database()
        let first = try await TestServer.make { $0.database = database; $0.loginAttemptsPerMinute = 2 }
        let second = try await TestServer.make { $0.database = database; $0.loginAttemptsPerMinute = 2 }
        defer { Task { await first.store.close(); await second.store.close() } }
        _ = try await first.credentials.addUser(name: "ada", password: "correct horse")
        #expect(try await Self.login(first, "guess").status == .unauthorized)
        #expect(try await Self.login(second, "correct horse").status == .ok)
        #expect(try await Self.login(first, "guess").status == .unauthorized)
        // One failure since the success: not limited yet on either server.
        #expect(try await Self.login(second, "correct horse").status == .ok)
    }
}
