import Foundation
import NIOCore
import Testing
import TradewindAlpaca
import TradewindCore
@testable import TradewindExchange

/// How a replay step reaches the data stream's clients: messages of a kind nobody subscribed to are not built, and
/// each frame is encoded once per format however many clients get it.
@Suite struct DataStreamPublishingTests {
    /// The next frame already queued for a client.
    static func next(_ frames: AsyncStream<StreamFrame>) async -> StreamFrame? {
        var iterator = frames.makeAsyncIterator()
        return await iterator.next()
    }

    /// A frame's messages, decoded from whichever encoding it has.
    static func messages(_ frame: StreamFrame?) throws -> [AlpacaDataMessage] {
        switch try #require(frame) {
        case .text(let text): return try JSONDecoder().decode([AlpacaDataMessage].self, from: Data(text.utf8))
        case .binary(let bytes):
            return try #require(try MessagePack.decode(Array(bytes.readableBytesView)).array).map { try AlpacaDataMessage(messagePack: $0) }
        }
    }

    @Test func noTradeOrQuoteMessageIsBuiltOrEncodedWhileNoClientSubscribedToThem() async throws {
        let market = try TradeStreamTests.market(try SyntheticTrades.recording())
        let bars = market.barUpdates.connect(symbols: ["*"])
        defer { market.barUpdates.disconnect(bars.id) }
        #expect(market.advance(3) == 3)
        #expect(market.tickMessagesBuilt == 0)
        // One bars frame a step, nothing else.
        #expect(market.barUpdates.framesEncoded == 3)
        #expect(try Self.messages(await Self.next(bars.frames)).allSatisfy { $0.T == "b" })
        // Once a client wants trades, the step's are built.
        _ = market.barUpdates.subscribeTicks(bars.id) { trades, _ in trades.insert("AAA") }
        market.advance(1)
        #expect(market.tickMessagesBuilt > 0)
        #expect(market.barUpdates.framesEncoded == 5)
    }

    @Test func nothingIsBuiltForAStepWithoutSubscribers() throws {
        let market = try TradeStreamTests.market(try SyntheticTrades.recording())
        let idle = market.barUpdates.connect()
        defer { market.barUpdates.disconnect(idle.id) }
        #expect(market.advance(2) == 2)
        #expect(market.tickMessagesBuilt == 0)
        #expect(market.barUpdates.framesEncoded == 0)
    }

    @Test func clientsOfOneSelectionShareOneEncodingPerFormatAndBothFormatsCarryTheSameMessages() async throws {
        let market = try TradeStreamTests.market(try SyntheticTrades.recording())
        var clients: [(id: Int, frames: AsyncStream<StreamFrame>, messagePack: Bool)] = []
        for k in 0..<6 {
            let c = market.barUpdates.connect(symbols: ["*"], messagePack: k % 2 == 1)
            _ = market.barUpdates.subscribeTicks(c.id) { trades, quotes in
                trades.insert("*")
                quotes.insert("*")
            }
            clients.append((c.id, c.frames, k % 2 == 1))
        }
        defer { for c in clients { market.barUpdates.disconnect(c.id) } }
        market.advance(1)
        // Trades and quotes, then bars: each once as JSON and once as MessagePack, for six clients.
        #expect(market.barUpdates.framesEncoded == 4)
        var ticks: [[AlpacaDataMessage]] = [], bars: [[AlpacaDataMessage]] = []
        var iterators = clients.map { $0.frames.makeAsyncIterator() }
        for k in clients.indices {
            let first = await iterators[k].next(), second = await iterators[k].next()
            if case .binary? = first { #expect(clients[k].messagePack) } else { #expect(!clients[k].messagePack) }
            ticks.append(try Self.messages(first))
            bars.append(try Self.messages(second))
        }
        let first = market.replay.timeline[0].time
        let expected = ExchangeMarket.tickMessages(market.ticks!, symbols: market.replay.symbols, from: first,
                                                   to: first + UnixTime.nanosPerMinute)
        #expect(!expected.isEmpty && expected.contains { $0.T == "t" } && expected.contains { $0.T == "q" })
        #expect(ticks.allSatisfy { $0 == expected })
        #expect(bars.allSatisfy { $0 == ExchangeMarket.barMessages(market.replay.timeline[0], symbols: market.replay.symbols) })
        #expect(bars[0].map(\.S) == ["AAA", "BBB"] && bars[0].allSatisfy { $0.t == AlpacaJSON.time(first) })
    }

    @Test func clientsOfDifferentSymbolsGetTheirOwnFrames() async throws {
        let market = try TradeStreamTests.market(try SyntheticTrades.recording())
        let a = market.barUpdates.connect(symbols: ["AAA"])
        let b = market.barUpdates.connect(symbols: ["BBB"], messagePack: true)
        let both = market.barUpdates.connect(symbols: ["AAA", "BBB"])
        defer { for id in [a.id, b.id, both.id] { market.barUpdates.disconnect(id) } }
        market.advance(1)
        #expect(market.barUpdates.framesEncoded == 3)
        #expect(try Self.messages(await Self.next(a.frames)).map(\.S) == ["AAA"])
        #expect(try Self.messages(await Self.next(b.frames)).map(\.S) == ["BBB"])
        #expect(try Self.messages(await Self.next(both.frames)).map(\.S) == ["AAA", "BBB"])
    }

    @Test func anInjectedFrameReachesMessagePackClientsAsTheSameMessages() async throws {
        let market = try TradeStreamTests.market(try SyntheticTrades.recording())
        let json = market.barUpdates.connect(symbols: ["*"])
        let packed = market.barUpdates.connect(symbols: ["*"], messagePack: true)
        defer { for id in [json.id, packed.id] { market.barUpdates.disconnect(id) } }
        let frame = #"[{"T":"error","code":407,"msg":"slow client"}]"#
        #expect(market.sendDataStreamFrame(frame) == 2)
        #expect(await Self.next(json.frames) == .text(frame))
        #expect(try Self.messages(await Self.next(packed.frames)) == [.error(407, "slow client")])
        // Text that is not an array of messages goes to JSON clients as it is, and to no MessagePack client.
        #expect(market.sendDataStreamFrame("{not json") == 2)
        #expect(market.sendDataStreamFrame(#"[{"T":"success","msg":"after"}]"#) == 2)
        #expect(await Self.next(json.frames) == .text("{not json"))
        #expect(try Self.messages(await Self.next(packed.frames)) == [.success("after")])
    }
}
