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
    /// The date bytes (`YYYY-MM-DD`) of the last bar time fully parsed, and that date's first second (UTC).
    private var dayStart: (bytes: (UInt64, UInt16), second: Int64)?

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

    /// A bar's `t`: an RFC 3339 instant. A page's bars share a few dates, so for the common shape
    /// (`YYYY-MM-DDTHH:MM:SSZ`) the date's first second is kept from the last full parse, and a bar on the same date
    /// reads only its time of day (with the same checks `RFC3339.parse` makes).
    private mutating func time() throws(Failure) -> UnixNanos {
        let start = i
        let r = try string()
        let bytes = UnsafeBufferPointer(rebasing: u[r])
        if bytes.count == 20, let base = UnsafeRawPointer(bytes.baseAddress) {
            let date = (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
            if let day = dayStart, date == day.bytes, let second = Self.secondOfDay(bytes) {
                return (day.second + second) * UnixTime.nanosPerSecond
            }
            if let t = RFC3339.parse(utf8: bytes) {
                if let second = Self.secondOfDay(bytes) { dayStart = (date, t / UnixTime.nanosPerSecond - second) }
                return t
            }
        }
        if let t = RFC3339.parse(utf8: bytes) { return t }
        if bytes.contains(UInt8(ascii: "\\")), let t = RFC3339.parse(try text(r)) { return t }
        throw Failure(offset: start, reason: "bar time '\(String(decoding: bytes, as: UTF8.self))' is not an RFC 3339 instant")
    }

    /// The second of the day of a 20-byte `YYYY-MM-DDTHH:MM:SSZ` instant (the date's bytes not read), or nil when
    /// its time of day is not that shape or out of range (`RFC3339.parse`'s checks).
    @inline(__always) private static func secondOfDay(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] | 0x20 == UInt8(ascii: "z") else { return nil }
        let h1 = b[11] &- 48, h2 = b[12] &- 48, m1 = b[14] &- 48, m2 = b[15] &- 48, s1 = b[17] &- 48, s2 = b[18] &- 48
        guard h1 <= 9, h2 <= 9, m1 <= 9, m2 <= 9, s1 <= 9, s2 <= 9 else { return nil }
        let h = Int64(h1) * 10 + Int64(h2), m = Int64(m1) * 10 + Int64(m2), s = Int64(s1) * 10 + Int64(s2)
        guard h < 24, m < 60, s < 61 else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// 10^k for 0 ≤ k ≤ 22, each exact in a Double (a constant table, no lazily initialised global).
    @inline(__always) private static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// A JSON number, exactly as `Double(String)` reads it. The digits are gathered into an integer mantissa and a
    /// decimal exponent in one pass; when the mantissa is at most 2^53 and the exponent within ±22 (every price,
    /// volume and count Alpaca writes), both are exact Doubles and the value is one correctly rounded division or
    /// multiplication (Clinger's fast path). Anything longer goes through the standard library's parser.
    private mutating func number() throws(Failure) -> Double {
        let start = i
        let end = u.count
        var p = i
        let negative = p < end && u[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        guard p < end, u[p] &- 48 <= 9 else { i = p; throw fail("expected a number") }
        var mantissa: UInt64 = 0
        // Digits gathered into `mantissa`; past 19 it could overflow, and the standard parser takes over.
        var digits = 0
        var scale = 0
        if u[p] == 48 {
            p += 1
            if p < end, u[p] &- 48 <= 9 { i = p; throw fail("a number with a leading zero") }
        } else {
            let first = p
            p = gather(from: p, into: &mantissa)
            digits = p - first
        }
        if p < end, u[p] == UInt8(ascii: ".") {
            p += 1
            let first = p
            p = gather(from: p, into: &mantissa)
            guard p > first else { i = p; throw fail("a number with no digits after '.'") }
            digits += p - first
            scale = first - p
        }
        if p < end, u[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            var negativeExponent = false
            if p < end, u[p] == UInt8(ascii: "+") || u[p] == UInt8(ascii: "-") { negativeExponent = u[p] == UInt8(ascii: "-"); p += 1 }
            var exponent = 0
            let first = p
            while p < end {
                let d = u[p] &- 48
                guard d <= 9 else { break }
                if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
                p += 1
            }
            guard p > first else { i = p; throw fail("a number with no digits in its exponent") }
            scale += negativeExponent ? -exponent : exponent
        }
        i = p
        if digits <= 19, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
            let m = Double(mantissa)
            let value = scale < 0 ? m / Self.powerOfTen(-scale) : m * Self.powerOfTen(scale)
            return negative ? -value : value
        }
        guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: u[start..<p]), as: UTF8.self)), parsed.isFinite else {
            i = start
            throw fail("a number out of range")
        }
        return parsed
    }

    /// The decimal digits from `p` on appended to `mantissa` (which wraps past 19 digits: the caller counts them);
    /// returns where they stop.
    @inline(__always) private func gather(from p: Int, into mantissa: inout UInt64) -> Int {
        var p = p
        while p < u.count {
            let d = u[p] &- 48
            guard d <= 9 else { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
        return p
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
