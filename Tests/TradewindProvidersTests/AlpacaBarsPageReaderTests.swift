import Foundation
import Testing
import TradewindCore
@testable import TradewindProviders

/// The byte-level bars page reader against the `Codable` decoding of the documented shapes: the same columns for
/// random pages (any key order, whitespace, numbers of every form, optional and unknown fields), and a `malformed`
/// error, never a trap, for broken pages.
@Suite struct AlpacaBarsPageReaderTests {
    /// What the `Codable` path makes of a page: each symbol's bars as columns.
    static func codable(_ body: Data, single: String?) throws -> (columns: [String: BarColumns], token: String?) {
        var columns: [String: BarColumns] = [:]
        struct NotAnInstant: Error {}
        func add(_ bars: [AlpacaBarsClient.Bar], _ symbol: String) throws {
            for b in bars {
                guard let t = RFC3339.parse(b.t) else { throw NotAnInstant() }
                columns[symbol, default: BarColumns()].append(time: t, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v,
                                                             vwap: b.vw, tradeCount: b.n)
            }
        }
        if let single {
            let page = try JSONDecoder().decode(AlpacaBarsClient.SinglePage.self, from: body)
            if let bars = page.bars { columns[single] = BarColumns(); try add(bars, single) }
            return (columns, page.next_page_token)
        }
        let page = try JSONDecoder().decode(AlpacaBarsClient.MultiPage.self, from: body)
        for (s, bars) in page.bars ?? [:] { columns[s] = BarColumns(); try add(bars, s) }
        return (columns, page.next_page_token)
    }

    static func read(_ body: Data, single: String?) throws -> (columns: [String: BarColumns], token: String?) {
        var columns: [String: BarColumns] = [:]
        let token = try AlpacaBarsPageReader.read(body, single: single, into: &columns, symbol: single)
        return (columns, token)
    }

    /// Bit-equal columns (NaN, the filler of a missing `vw` or `n`, equals itself).
    static func same(_ a: [String: BarColumns], _ b: [String: BarColumns]) -> Bool {
        func eq(_ x: [Double]?, _ y: [Double]?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
        guard Set(a.keys) == Set(b.keys) else { return false }
        return a.allSatisfy { s, x in
            let y = b[s]!
            return x.time == y.time && eq(x.open, y.open) && eq(x.high, y.high) && eq(x.low, y.low) && eq(x.close, y.close)
                && eq(x.volume, y.volume) && eq(x.vwap, y.vwap) && eq(x.tradeCount, y.tradeCount)
        }
    }

    /// A random number as JSON text: cents, long decimals, integers, exponents, negatives, tiny and huge values.
    static func number(_ g: inout Xoshiro256StarStar) -> String {
        switch g.next() % 8 {
        case 0: return String(Double(Int(g.next() % 100_000_00)) / 100)
        case 1: return "\(Double.random(in: -1e6...1e6, using: &g))"
        case 2: return "\(Int(g.next() % 10_000_000_000))"
        case 3: return "\(Double.random(in: 0...1, using: &g) * pow(10, Double(Int(g.next() % 60) - 30)))"
        case 4: return "\(Int(g.next() % 1000))e\(Int(g.next() % 9) - 4)"
        case 5: return "0.\(String(repeating: "0", count: Int(g.next() % 6)))\(g.next() % 100_000)"
        case 6: return "12345678901234567890.123456789"
        default: return "-\(Double(Int(g.next() % 1_000_000)) / 10_000)"
        }
    }

    /// A random page in the documented shape, written by hand so key order, spacing and optional fields vary.
    static func page(_ g: inout Xoshiro256StarStar, single: Bool) -> String {
        func space() -> String { ["", " ", "\n  ", "\t"][Int(g.next() % 4)] }
        func bar() -> String {
            var fields = ["t": "\"2024-0\(1 + g.next() % 9)-1\(g.next() % 10)T1\(g.next() % 10):\(10 + g.next() % 50):00Z\"",
                          "o": number(&g), "h": number(&g), "l": number(&g), "c": number(&g), "v": number(&g)]
            switch g.next() % 3 {
            case 0: fields["n"] = "\(g.next() % 10_000)"; fields["vw"] = number(&g)
            case 1: fields["n"] = "null"; fields["vw"] = "null"
            default: break
            }
            if g.next() % 4 == 0 { fields["x"] = #"{"nested":[1,"two",{"three":null}],"flag":true}"# }
            let keys = fields.keys.shuffled(using: &g)
            return "{" + keys.map { "\(space())\"\($0)\"\(space()):\(space())\(fields[$0]!)" }.joined(separator: ",") + space() + "}"
        }
        func bars() -> String {
            "[" + (0..<Int(g.next() % 6)).map { _ in bar() }.joined(separator: "," + space()) + "]"
        }
        let token = g.next() % 2 == 0 ? "null" : "\"QUFQTHxNfDIwMjQtMDEtMDFUMTQ6MzA6MDBa\(g.next() % 100)\""
        var members = ["\"next_page_token\":\(space())\(token)"]
        if g.next() % 10 == 0 {
            members.append("\"bars\":null")
        } else if single {
            members += ["\"bars\":\(space())\(bars())", "\"symbol\":\"AAPL\""]
        } else {
            let symbols = ["AAPL", "BRK.B", "SPY", "QQQ", "TSLA"].shuffled(using: &g).prefix(Int(g.next() % 4))
            members.append("\"bars\":{" + symbols.map { "\(space())\"\($0)\":\(space())\(bars())" }.joined(separator: ",") + "}")
        }
        return space() + "{" + members.shuffled(using: &g).joined(separator: "," + space()) + "}" + space()
    }

    @Test func randomPagesReadAsTheCodableDecoderReadsThem() throws {
        var g = Xoshiro256StarStar(seed: 17)
        for k in 0..<400 {
            let single = k % 3 == 0
            let text = Self.page(&g, single: single)
            let body = Data(text.utf8)
            let expected = try Self.codable(body, single: single ? "AAPL" : nil)
            let got = try Self.read(body, single: single ? "AAPL" : nil)
            #expect(Self.same(got.columns, expected.columns), "page \(k): \(text)")
            #expect(got.token == expected.token, "page \(k)")
        }
    }

    @Test func theRecordedAlpacaFixturesReadAsTheCodableDecoderReadsThem() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/providers/alpaca")
        let files = ["aapl-daily-page1.json": "AAPL", "aapl-daily-page2.json": "AAPL", "tsla-daily-desc.json": "TSLA",
                     "multi-daily.json": nil, "empty.json": "AAPL"] as [String: String?]
        for (file, single) in files {
            let body = try Data(contentsOf: dir.appendingPathComponent(file))
            let expected = try Self.codable(body, single: single)
            let got = try Self.read(body, single: single)
            #expect(Self.same(got.columns, expected.columns), "\(file)")
            #expect(got.token == expected.token, "\(file)")
            #expect(got.columns.values.reduce(0) { $0 + $1.count } == expected.columns.values.reduce(0) { $0 + $1.count })
        }
    }

    /// Number texts for the exactness check: short decimals as Alpaca writes prices and volumes, and the edges of
    /// the fast path (2^53, 10^±22, 19 and 20 digits, leading fraction zeros, exponents, subnormals, the largest
    /// finite values).
    static func numberText(_ g: inout Xoshiro256StarStar) -> String {
        let sign = g.next() % 5 == 0 ? "-" : ""
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(g.next() % 10)) }) }
        func integer(_ n: Int) -> String { n == 0 ? "0" : String(1 + g.next() % 9) + digits(n - 1) }
        switch g.next() % 9 {
        case 0, 1: return sign + integer(Int(g.next() % 6)) + "." + digits(1 + Int(g.next() % 4))
        case 2: return sign + integer(Int(g.next() % 21))
        case 3: return sign + integer(Int(g.next() % 12)) + "." + digits(1 + Int(g.next() % 14))
        case 4: return sign + integer(1 + Int(g.next() % 17)) + "e" + ["", "+", "-"][Int(g.next() % 3)] + String(g.next() % 30)
        case 5: return sign + "0." + String(repeating: "0", count: Int(g.next() % 24)) + integer(1 + Int(g.next() % 18))
        case 6: return sign + String(9_007_199_254_740_990 + g.next() % 8) + ["", ".0", "e0", "e1", "e-1", "e22", "e-22", "e23", "e-23"][Int(g.next() % 9)]
        case 7: return "\(Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF))"
        default:
            return ["0", "-0", "0.0", "-0.0", "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "2.2250738585072014e-308",
                    "1.7976931348623157e308", "9007199254740993", "18446744073709551615", "18446744073709551616",
                    "9999999999999999999", "10000000000000000000", "0.1", "0.3", "123456789012345678901234567890",
                    "1E5", "1e+5", "2.5E-3", "0e0", "0.000000000000000000001"][Int(g.next() % 24)]
        }
    }

    @Test func numbersReadAsDoubleOfStringReadsThemBitForBit() throws {
        var g = Xoshiro256StarStar(seed: 29)
        for _ in 0..<40 {
            let texts = (0..<500).map { _ in Self.numberText(&g) }
            let bars = texts.map { #"{"t":"2024-01-02T14:30:00Z","o":\#($0),"h":1,"l":1,"c":1,"v":\#($0),"vw":\#($0)}"# }
            let body = Data((#"{"bars":["# + bars.joined(separator: ",") + #"],"next_page_token":null}"#).utf8)
            let got = try Self.read(body, single: "AAPL").columns["AAPL"]!
            for (k, text) in texts.enumerated() {
                let expected = try #require(Double(text), "\(text)")
                #expect(got.open[k].bitPattern == expected.bitPattern, "\(text): \(got.open[k]) vs \(expected)")
                #expect(got.volume[k].bitPattern == expected.bitPattern && got.vwap?[k].bitPattern == expected.bitPattern, "\(text)")
            }
        }
    }

    @Test func barTimesReadAsRFC3339ParseReadsThemAcrossDatesAndShapes() throws {
        var g = Xoshiro256StarStar(seed: 31)
        var texts: [String] = []
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for _ in 0..<3_000 {
            // Runs of bars on a few dates, as pages hold them, with other shapes and out-of-range times between.
            let date = "202\(g.next() % 5)-\(two(1 + g.next() % 12))-\(two(1 + g.next() % 28))"
            let time = "\(two(g.next() % 26)):\(two(g.next() % 62)):\(two(g.next() % 62))"
            let separator = ["T", "T", "T", "t", " "][Int(g.next() % 5)]
            let zone = ["Z", "Z", "Z", "z", "+00:00", "-05:00", ".5Z", ".123456789Z"][Int(g.next() % 8)]
            texts.append(date + separator + time + zone)
        }
        var parsed: [(text: String, t: UnixNanos)] = []
        for text in texts { if let t = RFC3339.parse(text) { parsed.append((text, t)) } }
        let bars = parsed.map { #"{"t":"\#($0.text)","o":1,"h":1,"l":1,"c":1,"v":1}"# }
        let body = Data((#"{"bars":["# + bars.joined(separator: ",") + #"],"next_page_token":null}"#).utf8)
        let got = try Self.read(body, single: "AAPL").columns["AAPL"]!
        #expect(got.time == parsed.map(\.t))
        // A time RFC 3339 refuses is refused on a date seen just before too.
        for bad in ["2024-01-02T24:00:00Z", "2024-01-02T14:60:00Z", "2024-01-02T14:30:61Z", "2024-01-02T14:3a:00Z", "2024-01-02X14:30:00Z"] {
            let page = #"{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1},{"t":"\#(bad)","o":1,"h":1,"l":1,"c":1,"v":1}]}"#
            #expect(throws: ProviderError.self, "\(bad)") { try Self.read(Data(page.utf8), single: "AAPL") }
        }
    }

    @Test func brokenPagesAreMalformedErrorsThatSayWhere() {
        let good = #"{"bars":{"AAPL":[{"t":"2024-01-02T14:30:00Z","o":1.5,"h":2,"l":1,"c":1.75,"v":100,"n":3,"vw":1.6}]},"next_page_token":null}"#
        var broken: [String] = []
        // Every truncation, and every single-byte corruption at a structural position.
        for n in 0..<good.utf8.count { broken.append(String(decoding: good.utf8.prefix(n), as: UTF8.self)) }
        for (i, b) in good.utf8.enumerated() where "{}[]:,\"".utf8.contains(b) {
            var bytes = Array(good.utf8)
            bytes[i] = UInt8(ascii: "x")
            broken.append(String(decoding: bytes, as: UTF8.self))
        }
        for text in broken {
            let decodable = (try? Self.codable(Data(text.utf8), single: nil)) != nil
            do {
                _ = try Self.read(Data(text.utf8), single: nil)
                #expect(decodable, "accepted a page JSONDecoder refuses: \(text)")
            } catch let error as ProviderError {
                #expect(!decodable, "refused a page JSONDecoder accepts: \(text): \(error)")
                #expect(error.kind == .malformed && error.description.contains("at byte"), "\(error)")
            } catch {
                Issue.record("not a ProviderError: \(error)")
            }
        }
        let refused = [
            good.replacingOccurrences(of: #""o":1.5,"#, with: ""),            // a required field missing
            good.replacingOccurrences(of: "1.5", with: "01.5"),                // a leading zero
            good.replacingOccurrences(of: "1.5", with: "1."),                  // no digits after the point
            good.replacingOccurrences(of: "1.5", with: "1e999"),               // out of range
            good.replacingOccurrences(of: "2024-01-02T14:30:00Z", with: "yesterday"),
            good + "{}",                                                       // bytes after the page
            String(repeating: "[", count: 10_000),                             // deep nesting
            #"{"x":"# + String(repeating: "[", count: 10_000) + "}",
        ]
        for text in refused {
            do {
                _ = try Self.read(Data(text.utf8), single: nil)
                Issue.record("accepted \(text.prefix(200))")
            } catch let error as ProviderError {
                #expect(error.kind == .malformed && error.description.contains("at byte"), "\(error)")
            } catch {
                Issue.record("not a ProviderError: \(error)")
            }
        }
    }
}
