/// Escaping of text for XML (and therefore SVG and HTML) text content and attribute values.
public enum XMLEscape {
    /// Replaces `& < > " '` with entities, writes newline and carriage return as character
    /// references (so multi-line tooltips survive XML attribute normalisation), and drops the other
    /// control characters XML 1.0 forbids (everything below U+0020 except tab), so any string, even
    /// one taken from a file name or a symbol, yields well-formed markup.
    public static func escape(_ text: String) -> String {
        var needs = false
        for u in text.utf8 where u == 38 || u == 60 || u == 62 || u == 34 || u == 39 || (u < 32 && u != 9) {
            needs = true
            break
        }
        if !needs { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 32 && scalar.value != 9 && scalar.value != 10 && scalar.value != 13 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
