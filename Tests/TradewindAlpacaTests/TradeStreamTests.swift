import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing
@testable import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindLive
import TradewindProviders

/// Trades and quotes on the exchange's data stream, and the feed's minute bars built from trades.
@Suite struct TradeStreamTests {
    static func market(_ ticks: TickRecording) throws -> ExchangeMarket {
        var config = BacktestConfig(initialCash: 100_000)
        config.session = .nyse
        return try ExchangeMarket(data: MarketDataset([]), ticks: ticks, config: config)
    }

    @Test func streamMessagesOfAlpacasDocumentationDecodeWithConditionsApartFromTheBarsClose() throws {
        let url = try #require(Bundle.module.url(forResource: "stream-trade-quote-bar", withExtension: "json", subdirectory: "Payloads"))
        let frame = try JSONDecoder().decode([AlpacaDataMessage].self, from: Data(contentsOf: url))
        #expect(frame.map(\.T) == ["t", "q", "b"])
        #expect(frame[0].asTrade == AlpacaTrade(t: "2021-02-22T15:51:44.208Z", x: "D", p: 126.55, s: 1, c: ["@", "I"], i: 96921, z: "C"))
        #expect(frame[1].asQuote == AlpacaQuote(t: "2021-02-22T15:51:45.335689322Z", bx: "U", bp: 87.66, bs: 1, ax: "Q", ap: 87.68,
                                                as: 4, c: ["R"], z: "C"))
        #expect(frame[2].c == 389.12 && frame[2].conditions == nil)
        // Both encodings give the same messages back.
        #expect(try JSONDecoder().decode([AlpacaDataMessage].self, from: JSONEncoder().encode(frame)) == frame)
        let packed = try MessagePack.decode(MessagePack.array(frame.map(\.messagePack)).encoded())
        #expect(try packed.array?.map { try AlpacaDataMessage(messagePack: $0) } == frame)
    }

    @Test func theExchangeStreamsEachStepsRecordedTradesAndQuotesToJSONAndMessagePackClients() async throws {
        let ticks = try SyntheticTrades.recording()
        try await ExchangeHarness.with(try Self.market(ticks)) { x in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let market = x.market
            let first = market.replay.timeline[0].time
            let expected = ticks.trades["AAA"]!.range(from: first, to: first + UnixTime.nanosPerMinute).map { AlpacaDataMessage.trade("AAA", $0) }
                + ticks.quotes["BBB"]!.range(from: first, to: first + UnixTime.nanosPerMinute).map { AlpacaDataMessage.quote("BBB", $0) }
            #expect(expected.count == 6)
            for msgpack in [false, true] {
                let config = WebSocketClientConfiguration(additionalHeaders: msgpack ? [.contentType: "application/msgpack"] : [:])
                let got = Mutex<[AlpacaDataMessage]>([])
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(x.port)/v2/iex", configuration: config, logger: logger) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    func next() async throws -> [AlpacaDataMessage] {
                        switch try await messages.next() {
                        case .text(let t)?:
                            #expect(!msgpack)
                            return try JSONDecoder().decode([AlpacaDataMessage].self, from: Data(t.utf8))
                        case .binary(let b)?:
                            #expect(msgpack)
                            return try MessagePack.decode(Array(b.readableBytesView)).array?.map { try AlpacaDataMessage(messagePack: $0) } ?? []
                        case nil: return []
                        }
                    }
                    #expect(try await next() == [.success("connected")])
                    try await outbound.write(.text(#"{"action":"auth","key":"PKTEST","secret":"test-secret"}"#))
                    #expect(try await next() == [.success("authenticated")])
                    try await outbound.write(.text(#"{"action":"subscribe","trades":["aaa"],"quotes":["BBB"]}"#))
                    let subscription = try await next()
                    #expect(subscription.first?.trades == ["AAA"] && subscription.first?.quotes == ["BBB"] && subscription.first?.bars == [])
                    market.advance(1)
                    let frame = try await next()
                    got.withLock { $0 = frame }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                if msgpack {
                    // The second client connected after the first step: it gets the second's ticks.
                    let second = market.replay.timeline[1].time
                    let more = ticks.trades["AAA"]!.range(from: second, to: second + UnixTime.nanosPerMinute).map { AlpacaDataMessage.trade("AAA", $0) }
                    #expect(got.withLock { $0 }.filter { $0.T == "t" } == more)
                } else {
                    let frame = got.withLock { $0 }
                    #expect(frame.filter { $0.T == "t" } == expected.filter { $0.T == "t" }, "AAA's trades of the step, nothing of BBB's")
                    #expect(frame.filter { $0.T == "q" } == expected.filter { $0.T == "q" }, "BBB's quotes only")
                    #expect(zip(frame, frame.dropFirst()).allSatisfy { AlpacaJSON.instant($0.t!)! <= AlpacaJSON.instant($1.t!)! }, "in time order")
                }
            }
        }
    }

    @Test func minuteBarsBuiltFromStreamedTradesEqualTheExchangesBarsFromTheSameTrades() async throws {
        let ticks = try SyntheticTrades.recording()
        try await ExchangeHarness.with(try Self.market(ticks)) { x in
            try await DataStreamFaultTests.withFeed(x, logs: CapturedLogs(), source: .builtFromTrades(closeDelay: .seconds(2))) { _, got, _ in
                x.market.advance(30)
                let timeline = x.market.replay.timeline
                let last = timeline[x.market.stepsPlayed - 1].time
                // The recording is in the past: each minute closes by the clock once its trades arrived.
                #expect(await eventually { got.withLock { $0.last?.time } == last })
                let steps = got.withLock { $0 }
                let first = try #require(timeline.firstIndex { $0.time == steps[0].time })
                #expect(steps.map(\.time) == timeline[first..<x.market.stepsPlayed].map(\.time), "every minute once, in order")
                // The exchange's bars (the stream's and REST's) are the same trades aggregated in one batch.
                for (step, played) in zip(steps, timeline[first...]) {
                    #expect(step.bars.map(\.open) == played.bars.map(\.open))
                    #expect(step.bars.map(\.high) == played.bars.map(\.high))
                    #expect(step.bars.map(\.low) == played.bars.map(\.low))
                    #expect(step.bars.map(\.close) == played.bars.map(\.close))
                    #expect(step.bars.map(\.volume) == played.bars.map(\.volume))
                }
                let rest = try await AlpacaBarsClient(credentials: ExchangeHarness.credentials, endpoints: AlpacaEndpoints(oneServer: x.base),
                                                      feed: "iex", policy: ExchangeHarness.quick)
                    .bars(symbols: ["AAA"], interval: .minute, from: steps[0].time, to: last + UnixTime.nanosPerMinute)
                #expect(rest["AAA"]?.close == steps.map { $0.bars[0].close }, "REST serves the same bars")
            }
        }
    }

    @Test func historicalTradesAndQuotesPageInTimeOrderUpToTheReplayClock() async throws {
        let ticks = try SyntheticTrades.recording()
        try await ExchangeHarness.with(try Self.market(ticks)) { x in
            x.market.advance(3)
            func get(_ path: String) async throws -> (Int, Data) {
                var request = HTTPClientRequest(url: x.base + path)
                request.headers.add(name: "APCA-API-KEY-ID", value: ExchangeHarness.keys.keyID)
                request.headers.add(name: "APCA-API-SECRET-KEY", value: ExchangeHarness.keys.secretKey)
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 22).readableBytesView))
            }
            var trades: [AlpacaTrade] = [], token: String? = nil, pages = 0
            repeat {
                let (status, body) = try await get("/v2/stocks/AAA/trades?limit=4" + (token.map { "&page_token=\($0)" } ?? ""))
                #expect(status == 200)
                let page = try AlpacaJSON.decoder().decode(AlpacaTradesPage.self, from: body)
                #expect(page.symbol == "AAA" && (page.trades?.count ?? 0) <= 4)
                trades += page.trades ?? []
                token = page.nextPageToken
                pages += 1
            } while token != nil && pages < 100
            let now = x.market.now
            #expect(trades == Array(ticks.trades["AAA"]!.range(from: .min, to: now)), "every trade before the clock, once, in order")
            #expect(trades.count == 15 && pages == 4)
            let (past, _) = try await get("/v2/stocks/AAA/trades?page_token=7fffffffffffffff")
            #expect(past == 422, "a token past the last trade is refused, not a crash")
            let (status, body) = try await get("/v2/stocks/BBB/quotes?start=2019-02-14T14:31:00Z")
            #expect(status == 200)
            let quotes = try AlpacaJSON.decoder().decode(AlpacaQuotesPage.self, from: body).quotes ?? []
            #expect(quotes == Array(ticks.quotes["BBB"]!.range(from: RFC3339.parse("2019-02-14T14:31:00Z")!, to: now)))
            #expect(try await get("/v2/stocks/ZZZ/trades").0 == 422)
        }
    }
}
