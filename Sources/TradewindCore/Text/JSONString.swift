/// JSON string literals, for the places that write JSON by hand (fast, ordered output without an encoder).
public enum JSONString {
    /// `s` as a JSON string literal: quotes, backslashes and control characters escaped (RFC 8259), everything else
    /// as is (UTF-8 output needs no other escapes). `asJSONEncoder` writes Foundation's `JSONEncoder` text (default
    /// options) byte for byte: `/` as `\/`, backspace and form feed as `\b` and `\f`, for writers that promise the
    /// encoder's bytes.
    public static func quoted(_ s: String, asJSONEncoder: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 2)
        write(s, into: &out, asJSONEncoder: asJSONEncoder)
        return out
    }

    /// Appends `s` as a JSON string literal to `out` (the escapes of `quoted`). A string with nothing to escape —
    /// the usual case: symbols, names, times — is appended as is, without a scalar-by-scalar copy.
    public static func write(_ s: String, into out: inout String, asJSONEncoder: Bool = false) {
        out += "\""
        if needsNoEscape(s, asJSONEncoder: asJSONEncoder) {
            out += s
        } else {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "/" where asJSONEncoder: out += "\\/"
                case "\u{08}" where asJSONEncoder: out += "\\b"
                case "\u{0C}" where asJSONEncoder: out += "\\f"
                default:
                    if u.value < 0x20 {
                        let hex = String(u.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
        }
        out += "\""
    }

    /// Passes `s` as a JSON string literal (the escapes of `quoted`), as UTF-8 bytes, to `append`: the byte writers'
    /// one way to write a string (the engine's summary, the server's history pages). A string with nothing to escape —
    /// the usual case — is passed as its own bytes between two quotes, without building the literal.
    @inlinable
    public static func write(_ s: String, asJSONEncoder: Bool = false,
                             appendingBytes append: (UnsafeRawBufferPointer) -> Void) {
        if needsNoEscape(s, asJSONEncoder: asJSONEncoder) {
            var text = s
            withUnsafeBytes(of: UInt8(ascii: "\"")) { quote in
                append(quote)
                text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
                append(quote)
            }
        } else {
            var literal = quoted(s, asJSONEncoder: asJSONEncoder)
            literal.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Whether `s` holds no quote, backslash or control character, nor a `/` with `asJSONEncoder` (then its JSON
    /// literal is `s` between quotes).
    public static func needsNoEscape(_ s: String, asJSONEncoder: Bool = false) -> Bool {
        // Over the contiguous bytes (a native string's own storage, a small string's copy on the stack): a third of
        // the cost of iterating the UTF-8 view, on every string of a history page.
        var text = s
        let slash: UInt8 = asJSONEncoder ? 0x2F : 0x22
        return text.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C || b == slash { return false }
            return true
        }
    }
}
