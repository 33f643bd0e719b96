import Foundation
import Testing
import TradewindAlpaca
import TradewindCore

/// Tradewind's MessagePack against the reference implementation's bytes (the `msgpack` PyPI package, committed
/// fixtures from Scripts/generate-msgpack-fixtures.py): the same bytes for the same values, the same values read back,
/// and errors, never traps, for broken input.
@Suite struct MessagePackTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/alpaca/msgpack/\(name).msgpack")
        return Array(try Data(contentsOf: url))
    }

    static func map(_ pairs: [(String, MessagePack)]) -> MessagePack { .map(pairs.map { MessagePack.Pair(.string($0.0), $0.1) }) }

    /// The kitchen-sink fixture's values, as the generator wrote them.
    static var kitchenSink: MessagePack {
        var a: [MessagePack] = [.null, .bool(true), .bool(false)]
        a += [0, 127, 128, 255, 256, 65535, 65536, (1 << 32) - 1, 1 << 32, Int64.max].map { MessagePack.int($0) }
        a += [-1, -32, -33, -128, -129, -32768, -32769, -(1 << 31), -(1 << 31) - 1, Int64.min].map { MessagePack.int($0) }
        a += [.double(0.5), .double(-1234.5678), .double(1e300)]
        a += ["", String(repeating: "a", count: 31), String(repeating: "b", count: 32), String(repeating: "c", count: 255),
              String(repeating: "d", count: 256), String(repeating: "é", count: 200)].map { MessagePack.string($0) }
        a += [.binary([0, 1, 2]), .binary(Array(repeating: UInt8(ascii: "x"), count: 300))]
        a += [15, 16, 300].map { n in MessagePack.array((0..<n).map { .int(Int64($0)) }) }
        a += [15, 16].map { n in map((0..<n).map { ("\($0)", MessagePack.int(Int64($0))) }) }
        a += [.timestamp(seconds: 0, nanoseconds: 0), .timestamp(seconds: 1_614_099_060, nanoseconds: 123_456_789),
              .timestamp(seconds: -1, nanoseconds: 500), .timestamp(seconds: 1 << 34, nanoseconds: 0)]
        a += [.ext(5, Array("abcd".utf8)), .ext(7, Array("xyz".utf8))]
        return .array(a)
    }

    static var bars: [AlpacaDataMessage] {
        let spy = AlpacaDataMessage.bar("SPY", AlpacaBar(t: "2021-02-23T16:51:00Z", o: 388.985, h: 389.13, l: 388.975, c: 389.12,
                                                          v: 49378, n: 461, vw: 389.062639))
        let aapl = AlpacaDataMessage.bar("AAPL", AlpacaBar(t: "2021-02-23T16:52:00Z", o: 126.62, h: 126.7, l: 126.6, c: 126.65,
                                                            v: 1200, n: 12, vw: 126.64))
        return [spy, aapl]
    }

    @Test func everyFormatFamilyEncodesToTheReferenceBytesAndDecodesBack() throws {
        let bytes = try Self.fixture("kitchen-sink")
        #expect(Self.kitchenSink.encoded() == bytes)
        #expect(try MessagePack.decode(bytes) == Self.kitchenSink)
    }

    @Test func theDataStreamsMessagesAreTheReferenceBytes() throws {
        var subscription = AlpacaDataMessage(T: "subscription")
        subscription.trades = []; subscription.quotes = []; subscription.bars = ["AAPL", "SPY"]
        let cases: [(String, [AlpacaDataMessage])] = [
            ("connected", [.success("connected")]), ("auth-error", [.error(402, "auth failed")]),
            ("subscription", [subscription]), ("bars", Self.bars),
        ]
        for (name, messages) in cases {
            let bytes = try Self.fixture(name)
            #expect(MessagePack.array(messages.map(\.messagePack)).encoded() == bytes, "\(name)")
            let back = try #require(try MessagePack.decode(bytes).array).compactMap(AlpacaDataMessage.init(messagePack:))
            #expect(back == messages, "\(name)")
        }
    }

    @Test func alpacaPysActionsDecode() throws {
        let auth = try #require(AlpacaDataAction(messagePack: try MessagePack.decode(Self.fixture("auth"))))
        #expect(auth == AlpacaDataAction(action: "auth", key: "PKTEST", secret: "test-secret"))
        let subscribe = try #require(AlpacaDataAction(messagePack: try MessagePack.decode(Self.fixture("subscribe"))))
        #expect(subscribe == AlpacaDataAction(action: "subscribe", bars: ["SPY", "AAPL"]))
    }

    @Test func brokenInputIsAnErrorThatSaysWhere() throws {
        let bytes = try Self.fixture("bars")
        for n in 0..<bytes.count {
            #expect(throws: MessagePackError.self, "truncated at \(n)") { try MessagePack.decode(bytes.prefix(n)) }
        }
        let bad: [[UInt8]] = [
            [0xC1],                                      // never used
            bytes + [0x00],                              // a byte after the value
            [0xDD, 0xFF, 0xFF, 0xFF, 0xFF],              // an array claiming 4 billion values
            [0xA2, 0xFF, 0xFE],                          // not UTF-8
            [0xD4, 0xFF, 0x00],                          // a 1-byte timestamp
            [0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], // beyond Int64
            Array(repeating: 0x91, count: 100) + [0x00], // nested 100 deep
        ]
        for b in bad {
            do {
                _ = try MessagePack.decode(b)
                Issue.record("accepted \(b.prefix(12))")
            } catch {
                #expect(error.description.contains("at byte"))
            }
        }
    }
}
