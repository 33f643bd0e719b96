import Foundation
import TradewindCore

/// Reads a Market Data v2 bars page (`{"bars":[…]|{"SYM":[…],…},"next_page_token":…}`) in one pass over its bytes,
/// straight into per-symbol columns: no `Codable`, no intermediate bar values, no strings except symbols and the
/// token. It accepts what `JSONDecoder` accepts for the documented shapes (any key order and whitespace, unknown keys
/// skipped, `null` for an absent `bars`, `n`, `vw` or token; keys are matched as written, unescaped, as Alpaca
/// writes them) and refuses the rest with a `malformed` error naming
/// the byte where the answer stopped making sense. Property-tested against the `Codable` decoding.
struct AlpacaBarsPageReader {
    /// Where a page failed to parse, and why.
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    /// Reads `body` and adds its bars to `columns` (keyed by the page's symbols, or by `single` for the
    /// single-symbol shape, whose `bars` is an array). Returns the next page token (nil when absent, null or empty).
    static func read(_ body: Data, single: String?, into columns: inout [String: BarColumns],
                     symbol: String?) throws(ProviderError) -> String? {
        try page(body, single: single, into: &columns, symbol: symbol).nextPageToken
    }

    /// What a page said besides its bars.
    struct Page {
        /// The next page token (nil when absent, null or empty).
        var nextPageToken: String?
        /// The last symbol whose bars the page holds (nil for the single-symbol shape or a page without bars): in a
        /// multi-symbol download the only one whose bars may continue on the next page, since Alpaca's pages run
        /// through the symbols in order.
        var lastSymbol: String?
    }

    /// Like `read`, also saying which symbol the page ended on.
    static func page(_ body: Data, single: String?, into columns: inout [String: BarColumns],
                     symbol: String?) throws(ProviderError) -> Page {
        let result: Result<Page, Failure> = body.withUnsafeBytes { raw in
            var reader = AlpacaBarsPageReader(bytes: raw.bindMemory(to: UInt8.self))
            do throws(Failure) {
                let token = try reader.page(single: single, into: &columns)
                return .success(Page(nextPageToken: token, lastSymbol: reader.lastSymbol))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(var page):
            if page.nextPageToken?.isEmpty == true { page.nextPageToken = nil }
            return page
        case .failure(let f):
            throw ProviderError(.malformed, .alpaca, symbol: symbol,
                                "the bars answer is not the documented JSON: \(f.reason) at byte \(f.offset)")
        }
    }

    private let u: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// The last key of the multi-symbol `bars` object read so far.
    private var lastSymbol: String?

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        u = bytes
    }

    // MARK: The page's shape

    private mutating func page(single: String?, into columns: inout [String: BarColumns]) throws(Failure) -> String? {
        var token: String?
        try expect(UInt8(ascii: "{"))
        try members { r, key throws(Failure) in
            if r.equal(key, "bars") {
                if try r.null() { return }
                if let single {
                    try r.bars(into: &columns[single, default: BarColumns()])
                } else {
                    try r.expect(UInt8(ascii: "{"))
                    try r.members { r, symbol throws(Failure) in
                        let name = try r.text(symbol)
                        r.lastSymbol = name
                        if try r.null() { return }
                        try r.bars(into: &columns[name, default: BarColumns()])
                    }
                }
            } else if r.equal(key, "next_page_token") {
                if try r.null() { token = nil; return }
                let range = try r.string()
                token = try r.text(range)
            } else {
                try r.skipValue(depth: 0)
            }
        }
        skipSpace()
        guard i == u.count else { throw fail("unexpected bytes after the page") }
        return token
    }

    /// An array of bars (`[{"t":…,"o":…,…},…]`).
    private mutating func bars(into c: inout BarColumns) throws(Failure) {
        try expect(UInt8(ascii: "["))
        try items(until: UInt8(ascii: "]")) { r throws(Failure) in try r.bar(into: &c) }
    }

    private mutating func bar(into c: inout BarColumns) throws(Failure) {
        let start = i
        var t: UnixNanos?
        var o = Double.nan, h = Double.nan, l = Double.nan, cl = Double.nan, v = Double.nan
        var seen = 0
        var n: Double?, vw: Double?
        try expect(UInt8(ascii: "{"))
        try members { r, key throws(Failure) in
            // One-letter keys by their letter, `vw` as 0, any other key skipped.
            let name: UInt8 = key.count == 1 ? r.u[key.lowerBound] : (r.equal(key, "vw") ? 0 : 0xFF)
            switch name {
            case UInt8(ascii: "t"): t = try r.time(); seen |= 1
            case UInt8(ascii: "o"): o = try r.number(); seen |= 2
            case UInt8(ascii: "h"): h = try r.number(); seen |= 4
            case UInt8(ascii: "l"): l = try r.number(); seen |= 8
            case UInt8(ascii: "c"): cl = try r.number(); seen |= 16
            case UInt8(ascii: "v"): v = try r.number(); seen |= 32
            case UInt8(ascii: "n"): n = try r.null() ? nil : try r.number()
            case 0: vw = try r.null() ? nil : try r.number()
            default: try r.skipValue(depth: 0)
            }
        }
        guard seen == 63, let t else {
            let names = ["t", "o", "h", "l", "c", "v"]
            let missing = names.indices.first { seen & (1 << $0) == 0 }.map { names[$0] } ?? "t"
            i = start
            throw fail("a bar is missing field '\(missing)'")
        }
        c.append(time: t, open: o, high: h, low: l, close: cl, volume: v, vwap: vw, tradeCount: n)
    }

    // MARK: JSON pieces

    /// The members of an object whose `{` was read: `body` reads each value after its key (the key's byte range,
    /// without quotes and undecoded).
    private mutating func members(_ body: (inout AlpacaBarsPageReader, Range<Int>) throws(Failure) -> Void) throws(Failure) {
        try items(until: UInt8(ascii: "}")) { r throws(Failure) in
            let key = try r.string()
            try r.expect(UInt8(ascii: ":"))
            r.skipSpace()
            try body(&r, key)
        }
    }

    /// The comma-separated items of an array or object whose opening bracket was read, through `close`: `item`
    /// reads each one.
    private mutating func items(until close: UInt8, _ item: (inout AlpacaBarsPageReader) throws(Failure) -> Void) throws(Failure) {
        let name = Character(Unicode.Scalar(close))
        skipSpace()
        if peek() == close { i += 1; return }
        while true {
            skipSpace()
            try item(&self)
            skipSpace()
            guard i < u.count else { throw fail("truncated before '\(name)'") }
            let b = u[i]
            i += 1
            if b == close { return }
            guard b == UInt8(ascii: ",") else { i -= 1; throw fail("expected ',' or '\(name)'") }
        }
    }

    /// A string's raw byte range (between the quotes, escapes left in place); the cursor moves past it.
    private mutating func string() throws(Failure) -> Range<Int> {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        let start = i
        while i < u.count {
            let b = u[i]
            if b == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
            if b == UInt8(ascii: "\\") { i += 2; continue }
            guard b >= 0x20 else { throw fail("a control character inside a string") }
            i += 1
        }
        throw fail("the string is truncated")
    }

    /// A string's value: its bytes, with escapes decoded when there are any.
    private func text(_ r: Range<Int>) throws(Failure) -> String {
        let bytes = UnsafeBufferPointer(rebasing: u[r])
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        // Rare (symbols and tokens are plain ASCII): let the JSON decoder unescape it.
        var quoted = [UInt8(ascii: "\"")]
        quoted.append(contentsOf: bytes)
        quoted.append(UInt8(ascii: "\""))
        guard let s = try? JSONDecoder().decode(String.self, from: Data(quoted)) else {
            throw Failure(offset: r.lowerBound, reason: "an invalid escape in a string")
        }
        return s
    }

    private func equal(_ r: Range<Int>, _ key: StaticString) -> Bool {
        guard r.count == key.utf8CodeUnitCount else { return false }
        return key.withUTF8Buffer { k in
            for j in 0..<k.count where u[r.lowerBound + j] != k[j] { return false }
            return true
        }
    }

    /// A bar's `t`: an RFC 3339 instant.
    private mutating func time() throws(Failure) -> UnixNanos {
        let start = i
        let r = try string()
        let bytes = UnsafeBufferPointer(rebasing: u[r])
        if let t = RFC3339.parse(utf8: bytes) { return t }
        if bytes.contains(UInt8(ascii: "\\")), let t = RFC3339.parse(try text(r)) { return t }
        throw Failure(offset: start, reason: "bar time '\(String(decoding: bytes, as: UTF8.self))' is not an RFC 3339 instant")
    }

    /// 10^0 … 10^22, each exact in a Double.
    private static let powersOfTen: [Double] = {
        var p = [1.0]
        for _ in 1...22 { p.append(p[p.count - 1] * 10) }
        return p
    }()

    /// A JSON number. Up to 2^53 significant and a decimal exponent within ±22, the value is one exact division or
    /// multiplication (correctly rounded); longer numbers go through the standard library's parser.
    private mutating func number() throws(Failure) -> Double {
        let start = i
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var exact = true
        var scale = 0
        guard let first = peek(), first >= 48, first <= 57 else { throw fail("expected a number") }
        if first == 48 {
            i += 1
            if let b = peek(), b >= 48, b <= 57 { throw fail("a number with a leading zero") }
        } else {
            while let b = peek(), b >= 48, b <= 57 {
                if mantissa < 100_000_000_000_000_000 { mantissa = mantissa * 10 + UInt64(b - 48) } else { exact = false }
                i += 1
            }
        }
        if peek() == UInt8(ascii: ".") {
            i += 1
            var fraction = 0
            while let b = peek(), b >= 48, b <= 57 {
                if mantissa < 100_000_000_000_000_000 { mantissa = mantissa * 10 + UInt64(b - 48); scale -= 1 } else { exact = false }
                fraction += 1
                i += 1
            }
            guard fraction > 0 else { throw fail("a number with no digits after '.'") }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            i += 1
            var negativeExponent = false
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { negativeExponent = s == UInt8(ascii: "-"); i += 1 }
            var exponent = 0
            var expDigits = 0
            while let b = peek(), b >= 48, b <= 57 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(b - 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { throw fail("a number with no digits in its exponent") }
            scale += negativeExponent ? -exponent : exponent
        }
        let value: Double
        if exact, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
            let m = Double(mantissa)
            value = scale < 0 ? m / Self.powersOfTen[-scale] : m * Self.powersOfTen[scale]
            return negative ? -value : value
        }
        guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: u[start..<i]), as: UTF8.self)), parsed.isFinite else {
            i = start
            throw fail("a number out of range")
        }
        return parsed
    }

    /// True (and past it) when the next value is `null`.
    private mutating func null() throws(Failure) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        guard i + 4 <= u.count, u[i + 1] == UInt8(ascii: "u"), u[i + 2] == UInt8(ascii: "l"), u[i + 3] == UInt8(ascii: "l") else {
            throw fail("expected null")
        }
        i += 4
        return true
    }

    /// Skips any JSON value (unknown fields), at most 64 levels deep.
    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth < 64 else { throw fail("values nested too deep") }
        skipSpace()
        guard let b = peek() else { throw fail("a value is missing") }
        switch b {
        case UInt8(ascii: "{"):
            i += 1
            try members { r, _ throws(Failure) in try r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            i += 1
            try items(until: UInt8(ascii: "]")) { r throws(Failure) in try r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): _ = try null()
        default: _ = try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= u.count, equal(i..<(i + n), word) else { throw fail("expected \(word)") }
        i += n
    }

    @inline(__always) private func peek() -> UInt8? { i < u.count ? u[i] : nil }

    @inline(__always) private mutating func skipSpace() {
        while i < u.count {
            let b = u[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    private mutating func expect(_ b: UInt8) throws(Failure) {
        skipSpace()
        guard peek() == b else { throw fail("expected '\(Character(Unicode.Scalar(b)))'") }
        i += 1
    }

    private func fail(_ reason: String) -> Failure {
        Failure(offset: i, reason: i >= u.count ? reason + " (the answer ends early)" : reason)
    }
}
