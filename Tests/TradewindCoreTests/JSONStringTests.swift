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
}
