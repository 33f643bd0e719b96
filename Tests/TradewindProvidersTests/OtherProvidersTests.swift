import Foundation
import Testing
import TradewindCore
@testable import TradewindProviders

@Suite("Polygon, Finnhub and Yahoo clients against a loopback server")
struct OtherProvidersTests {
    static func policy() -> RequestPolicy {
        RequestPolicy(limiter: TokenBucket(.perMinute(600)), retry: RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(5)),
                      timeout: .seconds(5))
    }

    static let april2005 = BarRequest(symbol: "AAPL", interval: .daily, firstDay: CivilDate(year: 2005, month: 4, day: 1)!,
                                      lastDay: CivilDate(year: 2005, month: 4, day: 4)!)

    @Test func polygonFollowsNextURLOnTheConfiguredHostAcrossTheDaylightChange() async throws {
        try await FakeProviderServer.with({ request, _ in
            request.query.contains("cursor=") ? .fixture("polygon/aapl-daily-page2.json") : .fixture("polygon/aapl-daily-page1.json")
        }) { base, log in
            let client = PolygonAggregatesClient(apiKey: "polygon-key-secret", baseURL: base, policy: Self.policy())
            let series = try await client.bars(Self.april2005)
            let ny = ZoneRules.newYork
            // 05:00Z (EST midnight) and 04:00Z (EDT midnight) are both New York dates: each bar opens at 09:30 there.
            #expect(series.time == [ny.instant(CivilDate(year: 2005, month: 4, day: 1)!, hour: 9, minute: 30),
                                    ny.instant(CivilDate(year: 2005, month: 4, day: 4)!, hour: 9, minute: 30)])
            #expect(ISO8601.utc(series.time[1]).hasPrefix("2005-04-04T13:30:00"))
            #expect(series.close == [1.4604, 1.4675] && series.tradeCount == [82132, 65543])
            let requests = await log.requests
            #expect(requests.count == 2)
            #expect(requests[0].path == "/v2/aggs/ticker/AAPL/range/1/day/1112331600000/1112673599999")
            #expect(requests[0].parameter("adjusted") == "false" && requests[0].parameter("sort") == "asc")
            #expect(requests[1].path == "/v2/aggs/ticker/AAPL/range/1/day/1112587200000/2005-04-04")
            #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer polygon-key-secret" && !$0.query.contains("polygon-key") })
        }
    }

    @Test func polygonPreviousBarIsTheLatestPrice() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("polygon/aapl-prev.json") }) { base, _ in
            let price = try await PolygonAggregatesClient(apiKey: "k", baseURL: base, policy: Self.policy()).latestPrice("AAPL")
            let expectedTime: UnixNanos = 1_651_003_200_000 * UnixTime.nanosPerMillisecond
            #expect(price.price == 156.8)
            #expect(price.time == expectedTime)
            #expect(price.provider == .polygon)
        }
    }

    @Test func finnhubParallelArraysBecomeBars() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("finnhub/candles-daily.json") }) { base, log in
            let client = FinnhubCandlesClient(apiKey: "finnhub-secret", baseURL: base, policy: Self.policy())
            let request = BarRequest(symbol: "AAPL", interval: .daily, firstDay: CivilDate(year: 2019, month: 9, day: 24)!,
                                     lastDay: CivilDate(year: 2019, month: 9, day: 26)!)
            let series = try await client.bars(request)
            #expect(series.close == [217.68, 221.03, 219.89] && series.volume[2] == 20_730_608)
            #expect(ISO8601.utc(series.time[0]).hasPrefix("2019-09-24T13:30:00"))
            let r = await log.requests[0]
            #expect(r.path == "/stock/candle" && r.parameter("resolution") == "D" && r.headers["x-finnhub-token"] == "finnhub-secret")
            #expect(!r.query.contains("finnhub-secret"))
        }
    }

    @Test func finnhubNoDataAndFreePlanRefusalAreExplained() async throws {
        let request = BarRequest(symbol: "AAPL", interval: .daily, firstDay: CivilDate(year: 2019, month: 9, day: 24)!,
                                 lastDay: CivilDate(year: 2019, month: 9, day: 26)!)
        try await FakeProviderServer.with({ _, _ in .fixture("finnhub/no-data.json") }) { base, _ in
            let client = FinnhubCandlesClient(apiKey: "k", baseURL: base, policy: Self.policy())
            let error = await providerError { () async throws(ProviderError) in try await client.bars(request) }
            #expect(error?.kind == .noData)
        }
        try await FakeProviderServer.with({ _, _ in .fixture("finnhub/forbidden.json", status: 403) }) { base, _ in
            let client = FinnhubCandlesClient(apiKey: "k", baseURL: base, policy: Self.policy())
            let error = await providerError { () async throws(ProviderError) in try await client.bars(request) }
            #expect(error?.kind == .forbidden && error?.status == 403)
            #expect(error?.message.contains("free plan") == true)
        }
    }

    @Test func yahooReadsDividendsOntoTheirExDates() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("yahoo/msft-daily-dividends.json") }) { base, log in
            let client = YahooChartClient(baseURL: base, policy: Self.policy())
            let request = BarRequest(symbol: "MSFT", interval: .daily, firstDay: CivilDate(year: 2021, month: 2, day: 1)!,
                                     lastDay: CivilDate(year: 2022, month: 1, day: 30)!)
            let series = try await client.bars(request)
            #expect(series.count == 252)
            let dividend = try #require(series.dividend)
            let total: Double = dividend.reduce(0, +)
            #expect(abs(total - 2.30) < 1e-9)
            let ny = ZoneRules.newYork
            let exDate = ny.instant(CivilDate(year: 2021, month: 2, day: 17)!, hour: 9, minute: 30)
            #expect(dividend[series.firstIndex(atOrAfter: exDate)] == 0.56)
            #expect(series.splitCoefficient == nil)
            let r = await log.requests[0]
            #expect(r.path == "/v8/finance/chart/MSFT" && r.parameter("interval") == "1d" && r.parameter("events") == "div,splits")
        }
    }

    @Test func yahooChartErrorIsNotFound() async throws {
        try await FakeProviderServer.with({ _, _ in .fixture("yahoo/not-found.json", status: 404) }) { base, _ in
            let client = YahooChartClient(baseURL: base, policy: Self.policy())
            let error = await providerError { () async throws(ProviderError) in
                try await client.bars(BarRequest(symbol: "NOPE", interval: .daily, firstDay: CivilDate(year: 2020, month: 1, day: 1)!,
                                                 lastDay: CivilDate(year: 2020, month: 1, day: 3)!))
            }
            #expect(error?.kind == .notFound && error?.message.contains("delisted") == true)
        }
    }

    @Test func autoFallsBackWhenAProviderLacksTheSymbol() async throws {
        // One server plays both providers: Polygon's path answers 404 (symbol unknown there), Yahoo's serves it.
        try await FakeProviderServer.with({ request, _ in
            request.path.hasPrefix("/v2/aggs") ? .json(#"{"status":"NOT_FOUND","message":"ticker not found"}"#, status: 404)
                : .fixture("yahoo/aapl-daily.json")
        }) { base, _ in
            let chain = ProviderChain([PolygonAggregatesClient(apiKey: "k", baseURL: base, policy: Self.policy()),
                                       YahooChartClient(baseURL: base, policy: Self.policy())])
            let outcome = try await chain.bars(BarRequest(symbol: "AAPL", interval: .daily, firstDay: CivilDate(year: 2020, month: 1, day: 1)!,
                                                          lastDay: CivilDate(year: 2020, month: 1, day: 3)!))
            #expect(outcome.provider == .yahoo && outcome.series.count == 1)
            #expect(outcome.skipped.map(\.kind) == [.notFound])
        }
    }

    @Test func settingsReadKeysAndBaseURLsFromTheEnvironment() throws {
        let settings = try ProviderSettings(environment: ProviderEnvironment([
            "MASSIVE_API_KEY": "m", "FINNHUB_BASE_URL": "http://127.0.0.1:1/api/v1/", "APCA_API_KEY_ID": "PKX", "APCA_API_SECRET_KEY": "s",
        ]))
        #expect(settings.entries[.polygon]?.baseURL == "https://api.massive.com" && settings.entries[.polygon]?.keySource == "MASSIVE_API_KEY")
        #expect(settings.entries[.finnhub]?.isConfigured == false && settings.entries[.finnhub]?.baseURL == "http://127.0.0.1:1/api/v1")
        #expect(settings.entries[.alpaca]?.isConfigured == true && settings.entries[.alpaca]?.rate == .perMinute(200))
        #expect(settings.entries[.polygon]?.rate == .perMinute(5) && settings.entries[.finnhub]?.rate == .perMinute(60))
        #expect(settings.all.map(\.id) == [.alpaca, .polygon, .finnhub, .yahoo])
    }
}
