import Foundation
import HummingbirdTesting
import Testing
@testable import TradewindServer

@Suite("Server authentication: users added elsewhere")
struct AuthFreshnessTests {
    @Test func aUserAddedByAnotherProcessIsRequiredFromTheNextRequestOn() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            #expect(try await client.send(.get, "/api/history").status == .ok)
            // As `tradewind user add` does from another process: straight into the store, not through the server.
            _ = try await server.store.addUser(name: "ada", passwordHash: await server.credentials.hash(password: "correct horse"))
            #expect(try await client.send(.get, "/api/history").status == .unauthorized)
        }
    }
}
