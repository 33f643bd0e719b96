import Foundation
import Synchronization
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
    /// Each symbol of a multi-symbol download is handed over as soon as the pages move past it: DIA's 9 bars end on
    /// the third page of nine (4 bars a page across DIA, IWM, QQQ, SPY), so it arrives while the batch's later pages
    /// are still to be asked for, and the client never holds the whole batch.
    @Test func aBatchHandsEachSymbolOverOnceThePagesMovePastIt() async throws {
        let (a, b) = FetchCacheTests.range(2, 12)
        try await FakeProviderServer.with({ r, _ in Self.multiAnswer(r) }) { base, log in
            let client = AlpacaBarsClient(credentials: AlpacaCredentials(keyID: "PKBATCH1", secretKey: "batch-secret"),
                                          endpoints: AlpacaEndpoints(data: base),
                                          policy: RequestPolicy(limiter: nil, retry: RetryPolicy(maxRetries: 0), timeout: .seconds(60)))
            let arrivals = Mutex<[(symbol: String, bars: Int, requestsSoFar: Int)]>([])
            try await client.bars(symbols: ["SPY", "QQQ", "IWM", "DIA", "NOPE"], interval: .daily, from: a, to: b) { symbol, series in
                let n = await log.requests.count
                arrivals.withLock { $0.append((symbol, series.count, n)) }
            }
            let got = arrivals.withLock { $0 }
            let total = await log.requests.count
            #expect(total == 9)
            #expect(got.map(\.symbol) == ["DIA", "IWM", "QQQ", "SPY"])
            #expect(got.allSatisfy { $0.bars == 9 })
            // DIA after page 3, IWM after page 5, QQQ after page 7 (the page that ends on the next symbol), SPY last.
            #expect(got.map(\.requestsSoFar) == [3, 5, 7, 9])
        }
    }

    /// A server whose pages go back to a symbol already handed over (not Alpaca's order) is refused as malformed,
    /// never silently split into two halves of which the cache would keep one.
    @Test func pagesGoingBackToAFinishedSymbolAreRefused() async throws {
        let (a, b) = FetchCacheTests.range(2, 12)
        let pages = [
            #"{"bars":{"AAA":[\#(GeneratedAlpaca.barObjects(start: a, end: b)[0])],"BBB":[\#(GeneratedAlpaca.barObjects(start: a, end: b)[0])]},"next_page_token":"1"}"#,
            #"{"bars":{"AAA":[\#(GeneratedAlpaca.barObjects(start: a, end: b)[1])]},"next_page_token":null}"#,
        ]
        try await FakeProviderServer.with({ _, n in .json(pages[min(n, 2) - 1]) }) { base, _ in
            let client = AlpacaBarsClient(credentials: AlpacaCredentials(keyID: "PKBATCH1", secretKey: "batch-secret"),
                                          endpoints: AlpacaEndpoints(data: base),
                                          policy: RequestPolicy(limiter: nil, retry: RetryPolicy(maxRetries: 0), timeout: .seconds(60)))
            let error = await providerError { () async throws(ProviderError) in
                try await client.bars(symbols: ["AAA", "BBB"], interval: .daily, from: a, to: b)
            }
            #expect(error?.kind == .malformed)
            #expect(error?.message.contains("went back to AAA") == true)
        }
    }
}
