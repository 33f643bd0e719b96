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
