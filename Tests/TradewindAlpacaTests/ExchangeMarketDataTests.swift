import Foundation
import Synchronization
import HummingbirdWSClient
import Logging
import NIOCore
import Testing
@testable import TradewindAlpaca
import TradewindCore
import TradewindExchange
import TradewindProviders

/// Historical bars (paging, the clock's limit) and the two WebSocket streams.
@Suite struct ExchangeMarketDataTests {
    @Test func historicalBarsPageAcrossSeveralPagesAndStopAtTheReplayClock() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            x.market.advance(100)
            // TradewindProviders' bars client (the one `--data` and warm-up use), 30 bars a page.
            let client = AlpacaBarsClient(credentials: ExchangeHarness.credentials, endpoints: AlpacaEndpoints(oneServer: x.base),
                                          pageLimit: 30, policy: ExchangeHarness.quick)
            let first = data["AAA"]!.time[0]
            let bars = try await client.bars(symbols: ["BBB", "AAA"], interval: .minute, from: first,
                                             to: first + UnixTime.nanosPerDay)
            for symbol in ["AAA", "BBB"] {
                let series = data[symbol]!
                let got = try #require(bars[symbol])
                #expect(got.count == 100, "\(symbol): only the bars that started before the clock")
                #expect(got.time == Array(series.time.prefix(100)))
                #expect(got.close == Array(series.close.prefix(100)))
            }
        }
    }

    @Test func concurrentBatchesOfManySymbolsGetEveryBarOnce() async throws {
        let symbols = (0..<24).map { "S\(String(format: "%02d", $0))" }
        let data = ExchangeHarness.recording(symbols: symbols, days: 1)
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            x.market.advance(90)
            let client = AlpacaBarsClient(credentials: ExchangeHarness.credentials, endpoints: AlpacaEndpoints(oneServer: x.base),
                                          pageLimit: 250, concurrentBatches: 3, policy: ExchangeHarness.quick)
            let first = data[symbols[0]]!.time[0]
            let bars = try await client.bars(symbols: symbols, interval: .minute, from: first, to: first + UnixTime.nanosPerDay)
            #expect(bars.count == symbols.count)
            for s in symbols {
                let series = data[s]!
                #expect(bars[s]?.time == Array(series.time.prefix(90)), "\(s)")
                #expect(bars[s]?.open == Array(series.open.prefix(90)), "\(s)")
                #expect(bars[s]?.volume == Array(series.volume.prefix(90)), "\(s)")
            }
        }
    }

    @Test func barsOfAnotherTimeframeOrABadTokenAre422() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            x.market.advance(5)
            for query in ["timeframe=1Day", "timeframe=1Min&page_token=zz", "timeframe=1Min&limit=0", "timeframe=7Parsecs"] {
                do {
                    _ = try await x.client().call(.GET, x.base, "/v2/stocks/AAA/bars?" + query, idempotent: true)
                    Issue.record("accepted \(query)")
                } catch let error as AlpacaError {
                    #expect(error.status == 422, "\(query): \(error)")
                }
            }
        }
    }

    @Test func aBarsTokenPastTheSymbolsAskedForIs422NotACrash() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            x.market.advance(5)
            for query in ["timeframe=1Min&page_token=ff-0", "timeframe=1Min&page_token=7fffffffffffffff-0"] {
                do {
                    _ = try await x.client().call(.GET, x.base, "/v2/stocks/AAA/bars?" + query, idempotent: true)
                    Issue.record("accepted \(query)")
                } catch let error as AlpacaError {
                    #expect(error.status == 422, "\(query): \(error)")
                }
            }
        }
    }

    @Test func theTradeUpdatesStreamDeliversNewAndFillEvents() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let events = EventLog()
            let stream = TradeUpdatesStream(url: AlpacaEndpoints(oneServer: x.base).tradeUpdates,
                                            credentials: ExchangeHarness.credentials) { events.append($0) }
            try await stream.start(timeout: .seconds(60))
            defer { stream.stop() }
            x.market.advance(1)
            let placed = try await x.client().submit(AlpacaOrderRequest(symbol: "AAA", qty: "2", side: "buy", type: "market",
                                                                        timeInForce: "day"))
            x.market.advance(1)
            #expect(await eventually { events.all.count >= 2 })
            let mine = events.all.filter { $0.order.id == placed.id }
            #expect(mine.map(\.event) == ["new", "fill"])
            #expect(mine.last?.qty == "2")
            #expect(mine.last?.positionQty == "2")
            #expect(mine.last?.executionId != nil)
        }
    }

    @Test func theTradeUpdatesStreamRefusesWrongKeys() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let stream = TradeUpdatesStream(url: AlpacaEndpoints(oneServer: x.base).tradeUpdates,
                                            credentials: AlpacaCredentials(keyID: "PKTEST", secretKey: "nope")) { _ in }
            defer { stream.stop() }
            await #expect(throws: AlpacaError.self) { try await stream.start(timeout: .seconds(60)) }
            #expect(stream.current == .refused("access key verification failed"))
        }
    }

    @Test func theDataStreamAuthenticatesSubscribesAndSendsBarsAsTheyComplete() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let frames = FrameLog()
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let market = x.market
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(x.port)/v2/iex", logger: logger) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                func next() async throws -> [AlpacaDataMessage] {
                    guard case .text(let t) = try await messages.next() else { return [] }
                    frames.append(t)
                    return try JSONDecoder().decode([AlpacaDataMessage].self, from: Data(t.utf8))
                }
                #expect(try await next() == [.success("connected")])
                try await outbound.write(.text(#"{"action":"subscribe","bars":["AAA"]}"#))
                #expect(try await next().first?.code == 401)
                try await outbound.write(.text(#"{"action":"auth","key":"PKTEST","secret":"test-secret"}"#))
                #expect(try await next() == [.success("authenticated")])
                try await outbound.write(.text("not json"))
                #expect(try await next().first?.code == 400)
                try await outbound.write(.text(#"{"action":"subscribe","bars":["AAA"]}"#))
                #expect(try await next().first?.bars == ["AAA"])
                market.advance(2)
                let decoded = try await next() + next()
                #expect(decoded.map(\.T) == ["b", "b"])
                #expect(decoded.map(\.S) == ["AAA", "AAA"], "only the subscribed symbol")
                #expect(decoded.map { $0.c ?? 0 } == Array(data["AAA"]!.close.prefix(2)))
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }
}

extension ExchangeMarketDataTests {
    @Test func aMessagePackClientGetsBinaryFramesWithTimestampTimes() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let market = x.market
            // As alpaca-py's StockDataStream connects.
            let config = WebSocketClientConfiguration(additionalHeaders: [.contentType: "application/msgpack"])
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(x.port)/v2/iex", configuration: config, logger: logger) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                func next() async throws -> [MessagePack] {
                    guard case .binary(let b) = try await messages.next() else { return [] }
                    return try MessagePack.decode(Array(b.readableBytesView)).array ?? []
                }
                func send(_ pairs: [(String, MessagePack)]) async throws {
                    let value = MessagePack.map(pairs.map { MessagePack.Pair(.string($0.0), $0.1) })
                    try await outbound.write(.binary(ByteBuffer(bytes: value.encoded())))
                }
                #expect(try await next().map { try AlpacaDataMessage(messagePack: $0) } == [.success("connected")])
                try await send([("action", .string("auth")), ("key", .string("PKTEST")), ("secret", .string("test-secret"))])
                #expect(try await next().map { try AlpacaDataMessage(messagePack: $0) } == [.success("authenticated")])
                try await send([("action", .string("subscribe")), ("bars", .array([.string("BBB")]))])
                #expect(try await next().first?["bars"] == .array([.string("BBB")]))
                market.advance(2)
                let bars = try await next() + next()
                #expect(bars.map { $0["T"] } == [.string("b"), .string("b")])
                let series = data["BBB"]!
                for (k, bar) in bars.enumerated() {
                    let seconds = series.time[k] / UnixTime.nanosPerSecond
                    #expect(bar["t"] == .timestamp(seconds: seconds, nanoseconds: 0), "times are the timestamp extension")
                    #expect(bar["c"] == .double(series.close[k]) && bar["S"] == .string("BBB"))
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }
}

/// What a stream delivered, for assertions.
final class EventLog: Sendable {
    private let events = Mutex<[AlpacaTradeUpdate]>([])
    func append(_ e: AlpacaTradeUpdate) { events.withLock { $0.append(e) } }
    var all: [AlpacaTradeUpdate] { events.withLock { $0 } }
}

final class FrameLog: Sendable {
    private let frames = Mutex<[String]>([])
    func append(_ f: String) { frames.withLock { $0.append(f) } }
}
