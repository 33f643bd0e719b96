import Foundation

/// Decimal text → `Double`, exactly (correctly rounded) and fast.
///
/// Fast path (Clinger 1990): when the significand has at most 19 digits, fits in 53 bits and the
/// decimal exponent is within ±22, the result is `Double(m) * 10^e` or `Double(m) / 10^-e` with
/// both operands exact, so the single IEEE rounding gives the correctly rounded value. Everything
/// else (long significands, large exponents, `nan`, `inf`) goes to `strtod`, which is correctly
/// rounded on glibc and Darwin.
enum DecimalParsing {
    @usableFromInline static let powersOf10: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses the bytes `p[start..<end]` (already trimmed). Returns nil when they are not a number.
    @inlinable
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        if let (v, stop) = parsePrefix(p, start, end), stop == end { return v }
        return slow(p, start, end)
    }

    /// Fast-path parse of the number that starts at `p[start]` and stops at the first byte that
    /// cannot continue it (or `limit`). Returns the value and the index where it stopped, or nil
    /// when there is no number there or it needs the slow path (the caller then falls back to `parse`).
    @inlinable @inline(__always)
    static func parsePrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ limit: Int) -> (Double, Int)? {
        var i = start
        if i >= limit { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits accumulated (leading zeros excluded)
        var anyDigit = false
        var exp10 = 0
        var overflow = false
        while i < limit {
            let d = p[i] &- 48
            if d > 9 { break }
            anyDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { digits += 1 }
            } else {
                overflow = true
                exp10 += 1
            }
            i += 1
        }
        if i < limit && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < limit {
                let d = p[i] &- 48
                if d > 9 { break }
                anyDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { digits += 1 }
                    exp10 -= 1
                } else if d != 0 {
                    overflow = true
                }
                i += 1
            }
        }
        if !anyDigit { return nil }
        if i < limit && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var eNeg = false
            if i < limit && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { eNeg = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0
            var eDigits = 0
            while i < limit {
                let d = p[i] &- 48
                if d > 9 { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                eDigits += 1
                i += 1
            }
            if eDigits == 0 { return nil }
            exp10 += eNeg ? -e : e
        }
        if !overflow && mantissa <= (1 << 53) && exp10 >= -22 && exp10 <= 22 {
            var v = Double(mantissa)
            if exp10 < 0 { v /= powersOf10[-exp10] } else if exp10 > 0 { v *= powersOf10[exp10] }
            return (negative ? -v : v, i)
        }
        return nil
    }

    /// `strtod` on a NUL-terminated copy; nil unless it consumes every byte.
    @usableFromInline
    static func slow(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let n = end - start
        if n <= 0 || n > 400 { return nil }
        // Only decimal syntax (strtod would also take hex such as 0x10) or the words nan/inf/infinity.
        var plain = true
        for k in start..<end {
            let c = p[k]
            if !((c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46 || c == 101 || c == 69) { plain = false; break }
        }
        if !plain {
            var word = ""
            for k in start..<end where !(p[k] == 43 || p[k] == 45) { word.unicodeScalars.append(Unicode.Scalar(p[k] | 0x20)) }
            guard word == "nan" || word == "inf" || word == "infinity" else { return nil }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[n] = 0
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &endPtr)
            guard let endPtr, endPtr == buf.baseAddress! + n else { return nil }
            return v
        }
    }
}
