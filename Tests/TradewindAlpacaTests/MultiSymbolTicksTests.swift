import AsyncHTTPClient
import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindExchange
import TradewindProviders

/// Multi-symbol historical trades and quotes (`/v2/stocks/trades`, `/v2/stocks/quotes`): the exchange's pages and
/// the client that reads every page.
@Suite struct MultiSymbolTicksTests {
    static let day = RFC3339.parse("2019-02-14T00:00:00Z")!

    @Test func theClientReadsEveryPageOfSeveralSymbolsTradesAndQuotesUpToTheReplayClock() async throws {
        let ticks = try SyntheticTrades.recording(symbols: ["AAA", "BBB", "CCC"])
        try await ExchangeHarness.with(try TradeStreamTests.market(ticks)) { x in
            x.market.advance(5)
            let now = x.market.now
            let client = x.client()
            // 7 a page: 25 trades of each of two symbols take 8 pages, across the symbols' seam.
            let trades = try await client.trades(symbols: ["bbb", "AAA", "ZZZ"], from: Self.day, to: now, limit: 7)
            #expect(trades.keys.sorted() == ["AAA", "BBB"], "a symbol without data is left out")
            for symbol in ["AAA", "BBB"] {
                #expect(trades[symbol] == Array(ticks.trades[symbol]!.range(from: Self.day, to: now)), "\(symbol): every trade, once, in order")
                #expect(trades[symbol]?.count == 25)
            }
            let quotes = try await client.quotes(symbols: ["CCC", "AAA"], from: Self.day, to: now, limit: 3)
            #expect(quotes["CCC"] == Array(ticks.quotes["CCC"]!.range(from: Self.day, to: now)))
            #expect(quotes["AAA"]?.count == 5)
        }
    }

    @Test func aPageListsTheSymbolsAsTheyAreAndItsTokenContinuesInTheNextSymbol() async throws {
        let ticks = try SyntheticTrades.recording(symbols: ["AAA", "BBB"])
        try await ExchangeHarness.with(try TradeStreamTests.market(ticks)) { x in
            x.market.advance(5)
            func get(_ query: String) async throws -> (Int, Data) {
                var request = HTTPClientRequest(url: x.base + "/v2/stocks/trades?" + query)
                request.headers.add(name: "APCA-API-KEY-ID", value: ExchangeHarness.keys.keyID)
                request.headers.add(name: "APCA-API-SECRET-KEY", value: ExchangeHarness.keys.secretKey)
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 22).readableBytesView))
            }
            let (status, body) = try await get("symbols=BBB,AAA&limit=30")
            #expect(status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let page = try #require(object["trades"] as? [String: Any])
            #expect(page.keys.sorted() == ["AAA", "BBB"], "symbols as they are, not snake-cased")
            #expect((page["AAA"] as? [Any])?.count == 25 && (page["BBB"] as? [Any])?.count == 5)
            #expect(object["next_page_token"] as? String == "1-5")
            let next = try JSONDecoder().decode(AlpacaMultiTicksPage<AlpacaTrade>.self, from: try await get("symbols=AAA,BBB&limit=30&page_token=1-5").1)
            #expect(next.ticks["BBB"]?.count == 20 && next.ticks["AAA"] == nil && next.nextPageToken == nil)
            #expect(try await get("limit=3").0 == 400, "symbols is required")
            #expect(try await get("symbols=AAA&page_token=zz").0 == 422, "a token it did not give out is refused")
        }
    }
}
