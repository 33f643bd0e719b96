import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TradewindServer

@Suite("Live prices: /api/prices and /api/chart-cache")
struct PriceRouteTests {
    /// Polygon's previous-day bar for AAPL (Tests/Fixtures/providers/polygon/aapl-prev.json); 404 for other symbols.
    static func fakePolygon(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/polygon/aapl-prev.json")
        let payload = try String(contentsOf: fixture, encoding: .utf8)
        let router = Router()
        router.get("/v2/aggs/ticker/{ticker}/prev") { _, context -> Response in
            let found = context.parameters.get("ticker") == "AAPL"
            return Response(status: found ? .ok : .notFound, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: found ? payload : #"{"status":"NOT_FOUND","message":"no such ticker"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    @Test func pricesComeFromTheConfiguredProviderAndAreCached() async throws {
        try await Self.fakePolygon { base in
            var c = ServerConfiguration(port: 0, home: try TestServer.home(), workers: 1)
            c.jobPriority = .normal
            c.bcryptCost = 4
            let server = try await TradewindServer.make(c, environment: [
                "TRADEWIND_PRICE_PROVIDERS": "polygon", "POLYGON_API_KEY": "price-key", "POLYGON_BASE_URL": base,
            ])
            try await server.application().test(.router) { client in
                let one = try await client.send(.get, "/api/prices/AAPL")
                #expect(one.status == .ok)
                #expect(one.json["price"] as? Double == 156.8 && one.json["provider"] as? String == "polygon")
                let many = try await client.send(.get, "/api/prices?tickers=AAPL,NOPE")
                #expect((many.json["prices"] as? [[String: Any]])?.count == 1)
                #expect(((many.json["errors"] as? [[String: Any]])?.first?["symbol"] as? String) == "NOPE")
                #expect(try await client.send(.get, "/api/prices/NOPE").status == .notFound)
                let cache = try await client.send(.get, "/api/chart-cache")
                let entries = try #require(cache.json["entries"] as? [[String: Any]])
                #expect(entries.map { $0["symbol"] as? String } == ["AAPL"])
                #expect(!cache.text.contains("price-key"))
            }
            await server.store.close()
        }
    }

    @Test func withoutProvidersPricesAreUnavailableAndBadTickersRefused() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let reply = try await client.send(.get, "/api/prices/SPY")
            #expect(reply.status == .conflict && reply.json["error"] as? String == "not_configured")
            #expect(try await client.send(.get, "/api/prices/" + String(repeating: "A", count: 30)).status == .badRequest)
            #expect(try await client.send(.get, "/api/prices?tickers=,,").status == .badRequest)
            #expect(try await client.send(.get, "/api/prices?tickers=SPY,%3Cscript%3E").status == .badRequest)
            #expect(try await client.send(.get, "/api/chart-cache").json["entries"] as? [Any] != nil)
        }
        await server.store.close()
    }
}
