/// A decimal literal held exactly as `mantissa / 10^scale`, so that parameter values built from
/// it (`start + k·step`) are computed in integers and only converted to `Double` at the end.
///
/// The rule for stepped ranges: with `p` the largest number of decimals among start, stop and
/// step, every value is `Double(S + k·D) / Double(10^p)` where `S = start·10^p` and `D = step·10^p`
/// are exact integers. Both operands are exact doubles (they stay below 2^53) and IEEE division
/// rounds correctly, so each value is the double nearest to the true decimal: `0:1:0.1` yields
/// 0.3, never 0.30000000000000004, and no error accumulates along the range.
public struct ExactDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The digits as an integer (sign included).
    public let mantissa: Int64
    /// The number of decimals: the value is `mantissa / 10^scale`.
    public let scale: Int

    /// The largest scale accepted (10^15 keeps every product exact in a double).
    public static let maxScale = 15
    /// Magnitudes at or above this are rejected: `mantissa` must stay exact in a double.
    static let exactLimit: Int64 = 1 << 53

    public init(mantissa: Int64, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses a decimal literal: optional sign, digits, optional fraction, optional exponent
    /// (`20`, `-0.25`, `1.5e-3`). Returns nil for anything else or when the value cannot be held
    /// exactly (more than 15 decimals or a magnitude beyond 2^53 units of the last decimal).
    public init?(_ text: some StringProtocol) {
        var chars = Array(text.utf8)
        guard !chars.isEmpty else { return nil }
        var negative = false
        if chars[0] == UInt8(ascii: "-") || chars[0] == UInt8(ascii: "+") {
            negative = chars[0] == UInt8(ascii: "-")
            chars.removeFirst()
        }
        var exponent = 0
        if let e = chars.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            // `x > -100 && x < 100`, not `abs(x) < 100`: abs(Int.min) traps (`1e-9223372036854775808`).
            guard let x = Int(String(decoding: chars[(e + 1)...], as: UTF8.self)), x > -100, x < 100 else { return nil }
            exponent = x
            chars = Array(chars[..<e])
        }
        var digits: [UInt8] = []
        var decimals = 0
        var seenPoint = false
        for c in chars {
            if c == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
                if seenPoint { decimals += 1 }
            } else {
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        // Drop trailing zeros of the fraction so `2.50` has scale 1.
        while decimals > 0 && digits.last == 0 {
            digits.removeLast()
            decimals -= 1
        }
        var scale = decimals - exponent
        while scale < 0 {
            digits.append(0)
            scale += 1
        }
        guard scale <= ExactDecimal.maxScale else { return nil }
        var m: Int64 = 0
        for d in digits {
            let (a, o1) = m.multipliedReportingOverflow(by: 10)
            let (b, o2) = a.addingReportingOverflow(Int64(d))
            guard !o1, !o2, b < ExactDecimal.exactLimit else { return nil }
            m = b
        }
        // The same value has one form: `25e-1`, `2.50` and `2.5` all give (25, 1), and zero has scale 0.
        while scale > 0 && m % 10 == 0 {
            m /= 10
            scale -= 1
        }
        self.init(mantissa: negative ? -m : m, scale: scale)
    }

    /// The shortest decimal that round-trips `value` (Swift's `description` of a double).
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(String(value))
    }

    /// An integer.
    public init(_ value: Int) {
        self.init(mantissa: Int64(value), scale: 0)
    }

    /// The same value at a larger scale (nil when it would lose exactness).
    public func rescaled(to newScale: Int) -> Int64? {
        precondition(newScale >= scale)
        var m = mantissa
        for _ in 0..<(newScale - scale) {
            let (a, o) = m.multipliedReportingOverflow(by: 10)
            guard !o, a.magnitude < UInt64(ExactDecimal.exactLimit) else { return nil }
            m = a
        }
        return m
    }

    /// The nearest double.
    public var doubleValue: Double { Double(mantissa) / ExactDecimal.powerOfTen(scale) }

    public var isInteger: Bool { scale == 0 }

    public var description: String {
        if scale == 0 { return String(mantissa) }
        let neg = mantissa < 0
        var s = String(mantissa.magnitude)
        while s.count <= scale { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -scale))
        return (neg ? "-" : "") + s
    }

    /// `10^n` as an exact double (n ≤ 22).
    @inlinable
    public static func powerOfTen(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 10 }
        return r
    }
}
