import Foundation
import Testing
import TradewindCore

@Suite struct JSONStringTests {
    @Test(arguments: ["", "plain", "quote \" and backslash \\", "new\nline\ttab\rreturn", "\u{01}\u{1F} controls",
                      "ünïcødé → ✓ 📈", "slash / stays"])
    func aQuotedStringParsesBackToItself(_ s: String) throws {
        let text = "[" + JSONString.quoted(s) + "]"
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == [s])
    }

    @Test(arguments: ["plain", "quote \" inside", "tab\there", "ünïcødé ✓"])
    func writingIntoTextAppendsTheQuotedLiteral(_ s: String) {
        var out = "[1,"
        JSONString.write(s, into: &out)
        #expect(out == "[1," + JSONString.quoted(s))
        #expect(JSONString.needsNoEscape(s) == (JSONString.quoted(s) == "\"" + s + "\""))
    }

    @Test func asJSONEncoderTheLiteralIsTheEncodersTextByteForByte() throws {
        var rng = SplitMix64(seed: 8259)
        // Every control character, both slashes, quotes, and text beyond ASCII, mixed at random.
        let pieces = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
            + ["/", "\\", "\"", "a", "SPY", " ", "é", "→", "📈", "\u{7F}", "\u{2028}", "signals/spy.csv"]
        for k in 0..<2_000 {
            let s = k == 0 ? "" : (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let encoded = String(decoding: try JSONEncoder().encode([s]), as: UTF8.self)
            #expect("[" + JSONString.quoted(s, asJSONEncoder: true) + "]" == encoded, "\(Array(s.unicodeScalars))")
            #expect(JSONString.needsNoEscape(s, asJSONEncoder: true) == (encoded == "[\"" + s + "\"]"))
        }
    }

    @Test func theByteWriterPassesTheQuotedLiteralsBytesInEitherMode() {
        var rng = SplitMix64(seed: 20_261_207)
        let pieces = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
            + ["/", "\\", "\"", "a", "SPY", " ", "é", "→", "📈", "\u{7F}", "signals/spy.csv"]
        for k in 0..<1_000 {
            let s = k == 0 ? "" : (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            for asEncoder in [false, true] {
                var bytes: [UInt8] = Array("[1,".utf8)
                JSONString.write(s, asJSONEncoder: asEncoder) { bytes.append(contentsOf: $0) }
                #expect(bytes == Array(("[1," + JSONString.quoted(s, asJSONEncoder: asEncoder)).utf8), "\(Array(s.unicodeScalars))")
            }
        }
    }
}
