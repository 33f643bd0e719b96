import Foundation
import Testing
import TradewindCore
@testable import TradewindProviders

@Suite("Alpaca historical bars against a loopback server")
struct AlpacaBarsClientTests {
    static let key = AlpacaCredentials(keyID: "PKTESTKEY0001", secretKey: "test-secret-never-shown")

    static func client(_ base: String, retry: RetryPolicy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(10)),
                       timeout: Duration = .seconds(60)) -> AlpacaBarsClient {
        AlpacaBarsClient(credentials: key, endpoints: AlpacaEndpoints(data: base),
                         policy: RequestPolicy(limiter: TokenBucket(.perMinute(200)), retry: retry, timeout: timeout))
    }

    static let feb2022 = BarRequest(symbol: "AAPL", interval: .daily, firstDay: CivilDate(year: 2022, month: 2, day: 1)!,
                                    lastDay: CivilDate(year: 2022, month: 3, day: 31)!)

    @Test func pagesAreFollowedByTokenAndBarsLandAtTheSessionOpen() async throws {
        try await FakeProviderServer.with({ request, _ in
            request.parameter("page_token") == nil ? .fixture("alpaca/aapl-daily-page1.json") : .fixture("alpaca/aapl-daily-page2.json")
        }) { base, log in
            let series = try await Self.client(base).bars(Self.feb2022)
            #expect(series.count == 3)
            let ny = ZoneRules.newYork
            #expect(series.time[0] == ny.instant(CivilDate(year: 2022, month: 2, day: 1)!, hour: 9, minute: 30))
            #expect(series.time[2] == ny.instant(CivilDate(year: 2022, month: 3, day: 9)!, hour: 9, minute: 30))
            #expect(series.open[0] == 174 && series.close[2] == 162.95 && series.volume[1] == 84_817_432)
            #expect(series.vwap?[0] == 173.703516 && series.tradeCount?[1] == 675_034)
            let requests = await log.requests
            #expect(requests.count == 2)
            #expect(requests[0].path == "/v2/stocks/AAPL/bars")
            #expect(requests[0].parameter("timeframe") == "1Day" && requests[0].parameter("adjustment") == "raw")
            #expect(requests[0].parameter("start") == "2022-02-01T05:00:00Z")
            #expect(requests[1].parameter("page_token") == "QUFQTHxEfDIwMjItMDItMDJUMDU6MDA6MDAuMDAwMDAwMDAwWg==")
            // Keys travel in headers only.
            #expect(requests[0].headers["apca-api-key-id"] == "PKTESTKEY0001")
            #expect(requests[0].headers["apca-api-secret-key"] == "test-secret-never-shown")
            #expect(!requests.contains { $0.query.contains("PKTESTKEY0001") || $0.query.contains("test-secret") })
        }
    }

    @Test func dailyBarsAcrossDaylightTimeAndNewestFirstAreSortedToSessionOpens() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("alpaca/tsla-daily-desc.json") }) { base, _ in
            let request = BarRequest(symbol: "TSLA", interval: .daily, firstDay: CivilDate(year: 2023, month: 9, day: 1)!,
                                     lastDay: CivilDate(year: 2023, month: 9, day: 30)!)
            let series = try await Self.client(base).bars(request)
            #expect(series.count == 3)
            // 04:00Z is midnight New York in daylight time: the bar is 2023-09-25, opening 13:30Z.
            #expect(ISO8601.utc(series.time[0]).hasPrefix("2023-09-25T13:30:00"))
            #expect(series.close == [246.99, 244.12, 240.5])
        }
    }

    @Test func multiSymbolRequestSplitsBarsBySymbol() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("alpaca/multi-daily.json") }) { base, log in
            let r = Self.feb2022
            let result = try await Self.client(base).bars(symbols: ["AAPL", "TSLA"], interval: .daily, from: r.from, to: r.to)
            #expect(result["AAPL"]?.close == [162.95] && result["TSLA"]?.open == [839])
            #expect(await log.requests[0].parameter("symbols") == "AAPL,TSLA")
        }
    }

    @Test func manySymbolsArePagedInConcurrentBatchesThatPartitionThem() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("alpaca/multi-daily.json") }) { base, log in
            let r = Self.feb2022
            let symbols = (0..<40).map { "S\($0)" } + ["AAPL", "TSLA"]
            let result = try await Self.client(base).bars(symbols: symbols, interval: .daily, from: r.from, to: r.to)
            #expect(result["AAPL"]?.close == [162.95] && result["TSLA"]?.open == [839])
            let batches = await log.requests.map { ($0.parameter("symbols") ?? "").split(separator: ",").map(String.init) }
            #expect(batches.count == 4)
            #expect(batches.allSatisfy { $0.count >= AlpacaBarsClient.minimumBatch })
            #expect(batches.flatMap { $0 }.sorted() == symbols.sorted())
        }
    }

    @Test func emptyAnswerIsNoData() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("alpaca/empty.json") }) { base, _ in
            let error = await providerError { () async throws(ProviderError) in try await Self.client(base).bars(Self.feb2022) }
            #expect(error?.kind == .noData)
        }
    }

    @Test func tooManyRequestsWithRetryAfterIsWaitedOutAndRetried() async throws {
        try await FakeProviderServer.with({ _, n in
            n == 1 ? .json(#"{"code":42910000,"message":"too many requests"}"#, status: 429, headers: ["Retry-After": "1"])
                : .fixture("alpaca/aapl-daily-page2.json")
        }) { base, log in
            let clock = ContinuousClock()
            let start = clock.now
            let series = try await Self.client(base).bars(Self.feb2022)
            #expect(series.count == 1)
            #expect(start.duration(to: clock.now) >= .milliseconds(950))
            #expect(await log.requests.count == 2)
        }
    }

    @Test func tooManyRequestsWithoutRetryAfterBacksOffThenGivesUp() async throws {
        try await FakeProviderServer.with({ _, _ in .json(#"{"message":"too many requests"}"#, status: 429) }) { base, log in
            let error = await providerError { () async throws(ProviderError) in
                try await Self.client(base, retry: RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(5))).bars(Self.feb2022)
            }
            #expect(error?.kind == .rateLimited && error?.status == 429)
            #expect(await log.requests.count == 3)
        }
    }

    @Test func serverErrorIsRetriedAndSucceeds() async throws {
        try await FakeProviderServer.with({ _, n in
            n < 3 ? .json("internal error", status: 500) : .fixture("alpaca/aapl-daily-page2.json")
        }) { base, log in
            let series = try await Self.client(base).bars(Self.feb2022)
            #expect(series.count == 1)
            #expect(await log.requests.count == 3)
        }
    }

    @Test func slowAnswerTimesOutPerRequest() async throws {
        try await FakeProviderServer.with({ _, _ in
            var a = FakeAnswer.fixture("alpaca/aapl-daily-page2.json")
            a.delay = .seconds(1)
            return a
        }) { base, _ in
            let error = await providerError { () async throws(ProviderError) in
                try await Self.client(base, retry: .never, timeout: .milliseconds(200)).bars(Self.feb2022)
            }
            #expect(error?.kind == .timeout)
        }
    }

    @Test func malformedAndTruncatedJSONAreReportedNotTrapped() async throws {
        let page = String(decoding: Fixture.data("alpaca/aapl-daily-page2.json"), as: UTF8.self)
        for body in [String(page.prefix(page.count / 2)), "<html>gateway</html>", #"{"bars": [{"t": "yesterday"}]}"#] {
            try await FakeProviderServer.with({ _, _ in .json(body) }) { base, _ in
                let error = await providerError { () async throws(ProviderError) in try await Self.client(base).bars(Self.feb2022) }
                #expect(error?.kind == .malformed)
            }
        }
    }

    @Test func refusedKeyIsExplainedWithoutTheSecret() async throws {
        try await FakeProviderServer.with({ _, _ in .json(#"{"code":40110000,"message":"request is not authorized"}"#, status: 401) }) { base, _ in
            let error = await providerError { () async throws(ProviderError) in try await Self.client(base).bars(Self.feb2022) }
            #expect(error?.kind == .unauthorized)
            let text = error?.description ?? ""
            #expect(text.contains("APCA_API_KEY_ID"))
            #expect(!text.contains("test-secret-never-shown") && !text.contains("PKTESTKEY0001"))
        }
    }
}
