import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindProviders

@Suite("Alpaca multi-symbol batching in data fetch")
struct AlpacaBatchingTests {
    /// `/v2/stocks/bars?symbols=…` in Alpaca's documented multi-symbol shape (Tests/Fixtures/providers/alpaca/
    /// multi-daily.json), `perPage` bars a page running across the symbols in order, with `page_token`; `NOPE` has no
    /// bars (absent from the answer, as Alpaca leaves it out).
    static func multiAnswer(_ request: ReceivedRequest, perPage: Int = 4) -> FakeAnswer {
        guard request.path == "/v2/stocks/bars", let symbols = request.parameter("symbols")?.split(separator: ","),
              let start = request.parameter("start").flatMap(RFC3339.parse), let end = request.parameter("end").flatMap(RFC3339.parse) else {
            return .json(#"{"message":"not the multi-symbol endpoint"}"#, status: 404)
        }
        let all = symbols.filter { $0 != "NOPE" }.flatMap { s in GeneratedAlpaca.barObjects(start: start, end: end).map { (String(s), $0) } }
        let first = Int(request.parameter("page_token") ?? "0") ?? 0
        let page = all[min(first, all.count)..<min(first + perPage, all.count)]
        var order: [String] = []
        var bySymbol: [String: [String]] = [:]
        for (s, bar) in page {
            if bySymbol[s] == nil { order.append(s) }
            bySymbol[s, default: []].append(bar)
        }
        let bars = order.map { "\"\($0)\":[" + bySymbol[$0]!.joined(separator: ",") + "]" }.joined(separator: ",")
        let next = first + perPage < all.count ? "\"\(first + perPage)\"" : "null"
        return .json(#"{"bars":{\#(bars)},"next_page_token":\#(next)}"#)
    }

    static func fetcher(_ base: String, directory: String, batch: Int) -> BarFetcher {
        let client = AlpacaBarsClient(credentials: AlpacaCredentials(keyID: "PKBATCH1", secretKey: "batch-secret"),
                                      endpoints: AlpacaEndpoints(data: base),
                                      policy: RequestPolicy(limiter: TokenBucket(.perMinute(6000)),
                                                            retry: RetryPolicy(maxRetries: 0), timeout: .seconds(60)))
        return BarFetcher(chain: ProviderChain([AlpacaBatching(client: client, size: batch)]),
                          cache: FetchCache(directory: directory), concurrency: 8)
    }

    @Test func symbolsInFlightTogetherAreAskedForInOneRequestAndEachIsCachedOnItsOwn() async throws {
        let dir = FetchCacheTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = FetchCacheTests.range(2, 12)
        try await FakeProviderServer.with({ r, _ in Self.multiAnswer(r) }) { base, log in
            let symbols = ["SPY", "QQQ", "IWM", "DIA", "NOPE"]
            let reports = await Self.fetcher(base, directory: dir, batch: 3).fetch(symbols: symbols, interval: .daily, from: a, to: b,
                                                                                  now: FetchCacheTests.later)
            #expect(reports.map(\.bars) == [9, 9, 9, 9, 0])
            #expect(reports[4].error?.kind == .noData)
            let requests = await log.requests
            // Two batches (3 symbols, then 2), each paged across its symbols 4 bars at a time.
            let batches = Set(requests.compactMap { $0.parameter("symbols") })
            #expect(batches.allSatisfy { $0.split(separator: ",").count <= 3 })
            #expect(batches.contains { $0.split(separator: ",").count > 1 })
            #expect(requests.count < 5 * 3)  // fewer than one request chain per symbol
            #expect(requests.contains { $0.parameter("page_token") != nil })
            let cached = try DataSource(parsing: dir).load()
            #expect(cached.symbols.sorted() == ["DIA", "IWM", "QQQ", "SPY"] && cached.series.allSatisfy { $0.count == 9 })
        }
    }

    @Test func aBatchOfOneIsTheSingleSymbolBehaviour() async throws {
        let dir = FetchCacheTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = FetchCacheTests.range(2, 12)
        try await FakeProviderServer.with({ r, _ in Self.multiAnswer(r) }) { base, log in
            let reports = await Self.fetcher(base, directory: dir, batch: 1).fetch(symbols: ["SPY", "QQQ"], interval: .daily, from: a, to: b,
                                                                                  now: FetchCacheTests.later)
            #expect(reports.allSatisfy { $0.bars == 9 })
            #expect(await log.requests.compactMap { $0.parameter("symbols") }.allSatisfy { !$0.contains(",") })
        }
    }
}
