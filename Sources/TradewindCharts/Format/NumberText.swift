import Foundation

/// Deterministic number formatting (independent of locale), used for coordinates, labels and data
/// attributes so that the same input always yields byte-identical output.
public enum NumberText {
    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    /// `v` rounded half away from zero to `decimals` (0...10) places: `fixed(-1.005, 1)` is `"-1.0"`.
    /// Negative zero prints as `0`; non-finite values print as `NaN`, `inf`, `-inf`.
    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        let d = min(max(decimals, 0), 10)
        let p = powers[d]
        let scaled = (abs(v) * p).rounded()
        guard scaled < 9.0e15 else { return String(format: "%.\(d)f", v) }
        let n = Int64(scaled)
        let ip = Int64(p)
        var s = (v < 0 && n != 0) ? "-" : ""
        s += String(n / ip)
        if d > 0 {
            let frac = String(n % ip)
            s += "." + String(repeating: "0", count: d - frac.count) + frac
        }
        return s
    }

    /// Like `fixed` with thousands separators in the integer part: `grouped(12345.6, 1)` is `"12,345.6"`.
    public static func grouped(_ v: Double, _ decimals: Int) -> String {
        let s = fixed(v, decimals)
        guard v.isFinite else { return s }
        var body = Substring(s)
        var sign = ""
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let intPart = Array(parts[0])
        if intPart.count <= 3 { return s }
        var out = ""
        for (i, c) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// An SVG coordinate: one decimal, with a trailing `.0` dropped (`12`, `12.5`, `-3.2`).
    public static func coord(_ v: Double) -> String {
        let s = fixed(v, 1)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// A compact value with `k`, `M`, `B` suffixes for large magnitudes (`1.2M`), else `auto`.
    public static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e9 { return fixed(v / 1e9, a >= 1e11 ? 0 : 1) + "B" }
        if a >= 1e6 { return fixed(v / 1e6, a >= 1e8 ? 0 : 1) + "M" }
        if a >= 1e4 { return fixed(v / 1e3, a >= 1e5 ? 0 : 1) + "k" }
        return auto(v)
    }

    /// The shortest fixed-point text (at most 8 decimals) that reads back as `v`: `0.05`, `12`, `2.5`.
    public static func shortest(_ v: Double) -> String {
        guard v.isFinite else { return fixed(v, 0) }
        for d in 0...8 {
            let s = fixed(v, d)
            if let back = Double(s), abs(back - v) <= abs(v) * 1e-12 { return s }
        }
        return fixed(v, 8)
    }

    /// A value with as many decimals as its magnitude needs (at most 6 significant-looking places).
    public static func auto(_ v: Double) -> String {
        let a = abs(v)
        let d: Int
        if a == 0 || a >= 1000 { d = 0 } else if a >= 100 { d = 1 } else if a >= 1 { d = 2 } else if a >= 0.01 { d = 4 } else { d = 6 }
        return grouped(v, d)
    }

    /// The number of decimals that distinguishes consecutive ticks `step` apart (`0.25` → 2, `5` → 0).
    public static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var d = 0
        var s = step
        while d < 10 && abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) {
            s *= 10
            d += 1
        }
        return d
    }
}
