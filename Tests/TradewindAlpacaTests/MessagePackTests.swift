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
            let back = try #require(try MessagePack.decode(bytes).array).map { try AlpacaDataMessage(messagePack: $0) }
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

    /// Reads `value` as data-stream messages as the exchange's clients do: each element of an array, or the value.
    /// Returns how many were messages; every refusal must be an `AlpacaDataMessageError`.
    static func readMessages(_ value: MessagePack) -> Int {
        var read = 0
        for element in value.array ?? [value] {
            do {
                _ = try AlpacaDataMessage(messagePack: element)
                read += 1
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        return read
    }

    @Test func hostileNumbersInAMessageAreErrorsNamingTheField() throws {
        let hostile: [(String, MessagePack)] = [
            ("n", .double(.nan)), ("n", .double(.infinity)), ("n", .double(-.infinity)), ("n", .double(1e300)),
            ("n", .double(9.223372036854775808e18)), ("n", .double(1.5)), ("i", .double(-1e19)), ("code", .double(.nan)),
            ("code", .string("400")), ("i", .array([])),
            ("t", .timestamp(seconds: Int64.max, nanoseconds: 0)), ("t", .timestamp(seconds: Int64.min, nanoseconds: 0)),
            ("t", .timestamp(seconds: 9_223_372_036, nanoseconds: 999_999_999)),
        ]
        for (field, value) in hostile {
            // Through bytes, as a client reads them.
            let read = try MessagePack.decode(Self.map([("T", .string("t")), ("S", .string("AAA")), (field, value)]).encoded())
            do {
                _ = try AlpacaDataMessage(messagePack: read)
                Issue.record("accepted \(field) = \(value)")
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
        // A 12-byte timestamp whose nanoseconds are 2 × 10^9 (the 8-byte form cannot hold them): written by hand.
        let nanos: [UInt8] = withUnsafeBytes(of: UInt32(2_000_000_000).bigEndian) { Array($0) }
        let lateNanos = try MessagePack.decode([0x82, 0xA1, 0x54, 0xA1, 0x74, 0xA1, 0x74, 0xC7, 0x0C, 0xFF] + nanos + [UInt8](repeating: 0, count: 8))
        #expect(lateNanos["t"] == .timestamp(seconds: 0, nanoseconds: 2_000_000_000))
        #expect(throws: AlpacaDataMessageError(field: "t", "timestamp 0 s + 2000000000 ns is outside the nanosecond range (years 1677–2262, nanoseconds below 10^9)")) {
            try AlpacaDataMessage(messagePack: lateNanos)
        }
        #expect(throws: AlpacaDataMessageError.self) { try AlpacaDataMessage(messagePack: .array([])) }
        #expect(throws: AlpacaDataMessageError.self) { try AlpacaDataMessage(messagePack: Self.map([("T", .int(1))])) }
        // The edges that do fit are read.
        let edges = try AlpacaDataMessage(messagePack: Self.map([("T", .string("t")), ("i", .int(Int64.min)), ("n", .double(-9.223372036854775808e18)),
                                                                  ("t", .timestamp(seconds: 9_223_372_035, nanoseconds: 999_999_999))]))
        #expect(edges.i == Int.min && edges.n == Int.min && edges.t == "2262-04-11T23:47:15.999999999Z")
    }

    @Test func randomAndMutatedBytesNeverTrapTheMessageReader() throws {
        var rng = SplitMix64(seed: 0x5EED_0017)
        var decoded = 0, messages = 0
        // Random bytes, biased toward the map, float, integer and timestamp markers the reader converts.
        let markers: [UInt8] = [0x81, 0x82, 0x83, 0x91, 0xA1, 0xCB, 0xCF, 0xD3, 0xD6, 0xD7, 0xC7, 0xFF, 0x7F, 0xC0]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...48, using: &rng)
            let bytes = (0..<count).map { _ in Bool.random(using: &rng) ? markers.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }
            guard let value = try? MessagePack.decode(bytes) else { continue }
            decoded += 1
            messages += Self.readMessages(value)
        }
        // A good frame of bars with bytes flipped, cut or repeated.
        let bars = try Self.fixture("bars")
        for _ in 0..<3_000 {
            var bytes = bars
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[at] = markers.randomElement(using: &rng)!
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 9)], at: at)
                }
            }
            guard let value = try? MessagePack.decode(bytes) else { continue }
            decoded += 1
            messages += Self.readMessages(value)
        }
        // Messages with every numeric field set to a random hostile number.
        let numbers: [MessagePack] = [.double(.nan), .double(.infinity), .double(-.infinity), .double(1e308), .double(-1e308),
                                      .double(0.5), .int(Int64.max), .int(Int64.min), .double(9.3e18), .double(-9.3e18)]
        for _ in 0..<1_000 {
            let keys = ["code", "n", "i", "o", "h", "l", "c", "v", "vw", "p", "s", "bp", "bs", "ap", "as"]
            var pairs: [(String, MessagePack)] = [("T", .string(["b", "t", "q", "error"].randomElement(using: &rng)!))]
            for key in keys where Bool.random(using: &rng) { pairs.append((key, numbers.randomElement(using: &rng)!)) }
            if Bool.random(using: &rng) {
                pairs.append(("t", .timestamp(seconds: Int64.random(in: Int64.min...Int64.max, using: &rng),
                                              nanoseconds: UInt32.random(in: 0...UInt32.max, using: &rng))))
            }
            let value = try MessagePack.decode(Self.map(pairs).encoded())
            decoded += 1
            messages += Self.readMessages(value)
        }
        // The runs reached the reader, and some of what they made was a message.
        #expect(decoded > 1_000 && messages > 100)
    }
}
