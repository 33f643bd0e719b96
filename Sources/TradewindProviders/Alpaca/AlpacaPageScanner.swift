import Foundation
import TradewindCore

/// Reads Alpaca's bars pages (`{"bars": [...] | {"SYM": [...]}, "symbol": …, "next_page_token": …}`) straight from
/// the bytes, without building `Decodable` values: the speed of `tradewind data fetch` on minute bars depends on it.
/// Keys may come in any order and unknown ones are skipped; any shape it does not read exactly (an escaped string,
/// a number it cannot convert exactly, a value of the wrong type) makes it answer nil, and the client then decodes
/// the page with `JSONDecoder`, whose result (and error messages) stay the reference.
enum AlpacaPageScanner {
    /// One bar as the page holds it.
    struct Row: Equatable {
        var t: UnixNanos
        var o, h, l, c, v: Double
        var n: Double?
        var vw: Double?
    }

    /// A page: its bars by symbol (single-symbol pages under `single`), and the next page's token.
    struct Page {
        var bars: [(symbol: String?, rows: [Row])] = []
        var nextPageToken: String?
    }

    static func scan(_ data: Data, multi: Bool) -> Page? {
        data.withUnsafeBytes { raw -> Page? in
            var s = Scanner(bytes: raw)
            return s.page(multi: multi)
        }
    }

    struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func take(_ c: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func page(multi: Bool) -> Page? {
            var page = Page()
            guard take(UInt8(ascii: "{")) else { return nil }
            if take(UInt8(ascii: "}")) { return end() ? page : nil }
            repeat {
                guard let key = string() else { return nil }
                guard take(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "bars":
                    if literal("null") { break }
                    if multi {
                        guard take(UInt8(ascii: "{")) else { return nil }
                        if !take(UInt8(ascii: "}")) {
                            repeat {
                                guard let symbol = string(), take(UInt8(ascii: ":")), let rows = rows() else { return nil }
                                page.bars.append((symbol, rows))
                            } while take(UInt8(ascii: ","))
                            guard take(UInt8(ascii: "}")) else { return nil }
                        }
                    } else {
                        guard let rows = rows() else { return nil }
                        page.bars.append((nil, rows))
                    }
                case "next_page_token":
                    if literal("null") { page.nextPageToken = nil } else {
                        guard let token = string() else { return nil }
                        page.nextPageToken = token
                    }
                default:
                    guard skipValue() else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), end() else { return nil }
            return page
        }

        mutating func end() -> Bool {
            skipSpace()
            return i == bytes.count
        }

        mutating func rows() -> [Row]? {
            if literal("null") { return [] }
            guard take(UInt8(ascii: "[")) else { return nil }
            var out: [Row] = []
            if take(UInt8(ascii: "]")) { return out }
            out.reserveCapacity(1024)
            repeat {
                guard let r = row() else { return nil }
                out.append(r)
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "]")) else { return nil }
            return out
        }

        mutating func row() -> Row? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var t: UnixNanos?
            var o, h, l, c, v: Double?
            var n, vw: Double?
            repeat {
                skipSpace()
                guard let key = keyBytes(), take(UInt8(ascii: ":")) else { return nil }
                switch key {
                case 0x74: // t
                    skipSpace()
                    guard let range = stringRange() else { return nil }
                    t = RFC3339.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
                    guard t != nil else { return nil }
                case 0x6F: guard let x = number() else { return nil }; o = x
                case 0x68: guard let x = number() else { return nil }; h = x
                case 0x6C: guard let x = number() else { return nil }; l = x
                case 0x63: guard let x = number() else { return nil }; c = x
                case 0x76: guard let x = number() else { return nil }; v = x
                case 0x6E: if !literal("null") { guard let x = number() else { return nil }; n = x }
                case 0x7677: if !literal("null") { guard let x = number() else { return nil }; vw = x }
                default: guard skipValue() else { return nil }
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), let t, let o, let h, let l, let c, let v else { return nil }
            return Row(t: t, o: o, h: h, l: l, c: c, v: v, n: n, vw: vw)
        }

        /// A short key (up to 4 plain ASCII bytes) packed big-endian into an integer (`"vw"` → 0x7677); longer keys
        /// answer 0 (skipped as unknown).
        mutating func keyBytes() -> UInt32? {
            guard let range = stringRange() else { return nil }
            guard range.count <= 4 else { return 0 }
            var k: UInt32 = 0
            for j in range { k = k << 8 | UInt32(bytes[j]) }
            return k
        }

        /// The bytes between the quotes of a string without escapes (nil for an escape or a missing quote).
        mutating func stringRange() -> Range<Int>? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            var j = start
            while j < bytes.count {
                let b = bytes[j]
                if b == UInt8(ascii: "\"") {
                    i = j + 1
                    return start..<j
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                j += 1
            }
            return nil
        }

        mutating func string() -> String? {
            skipSpace()
            guard let range = stringRange() else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        mutating func literal(_ word: StaticString) -> Bool {
            skipSpace()
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { return false }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
            i += n
            return true
        }

        /// A JSON number, exactly: digits and an exponent small enough that one division or multiplication of exact
        /// doubles rounds correctly; otherwise through `Double(String)`.
        mutating func number() -> Double? {
            skipSpace()
            let start = i
            var negative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            var mantissa: UInt64 = 0
            var digits = 0
            var scale = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30) } else { scale += 1 }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                var fraction = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                    if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30); scale -= 1 }
                    digits += 1
                    fraction += 1
                    i += 1
                }
                guard fraction > 0 else { return nil }
            }
            var slow = digits > 19
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                slow = true
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let e = i
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                guard i > e else { return nil }
            }
            if !slow, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
                let m = Double(mantissa)
                let value = scale < 0 ? m / Self.powers[-scale] : m * Self.powers[scale]
                return negative ? -value : value
            }
            return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
        }

        static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

        /// Skips any JSON value (strings with escapes included).
        mutating func skipValue() -> Bool {
            skipSpace()
            guard i < bytes.count else { return false }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                    if bytes[i] == UInt8(ascii: "\"") { i += 1; return true }
                    i += 1
                }
                return false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let isObject = close == UInt8(ascii: "}")
                i += 1
                if take(close) { return true }
                repeat {
                    if isObject {
                        skipSpace()
                        guard stringRange() != nil || skipValue(), take(UInt8(ascii: ":")) else { return false }
                    }
                    guard skipValue() else { return false }
                } while take(UInt8(ascii: ","))
                return take(close)
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number() != nil
            }
        }
    }
}
