import Foundation

/// "Nice" tick positions: multiples of 1, 2 or 5 × 10ⁿ, so labels read as round numbers.
public enum NiceTicks {
    /// The 1-2-5 step that puts about `target` intervals across `span` (never fewer than one).
    public static func step(span: Double, target: Int) -> Double {
        guard span.isFinite, span > 0 else { return 1 }
        let raw = span / Double(max(target, 1))
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return nice * mag
    }

    /// The domain widened outwards to multiples of the nice step, with that step.
    public static func niceDomain(_ lo: Double, _ hi: Double, target: Int) -> (lo: Double, hi: Double, step: Double) {
        var a = lo, b = hi
        if !(a.isFinite && b.isFinite) { return (0, 1, 0.2) }
        if a > b { swap(&a, &b) }
        if a == b {
            let pad = a == 0 ? 1 : abs(a) * 0.05
            a -= pad
            b += pad
        }
        // Widening can lengthen the span enough to call for the next step; repeat until the step
        // of the widened domain is the one it was widened with, so ticks land on both ends.
        var s = step(span: b - a, target: target)
        var lo = floor(a / s + 1e-9) * s, hi = ceil(b / s - 1e-9) * s
        for _ in 0..<4 {
            let s2 = step(span: hi - lo, target: target)
            if s2 == s { break }
            s = s2
            lo = floor(a / s + 1e-9) * s
            hi = ceil(b / s - 1e-9) * s
        }
        return (lo, hi, s)
    }

    /// Multiples of the nice step that lie within `[lo, hi]` (tolerating rounding at the ends).
    public static func linear(_ lo: Double, _ hi: Double, target: Int) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let s = step(span: hi - lo, target: target)
        let first = ceil(lo / s - 1e-9)
        let last = floor(hi / s + 1e-9)
        guard last >= first, last - first < 10_000 else { return [] }
        // Round each multiple to the step's decimals so that 3 × 0.2 is 0.6, not 0.6000000000000001.
        let scale = pow(10, Double(NumberText.decimals(forStep: s)))
        return stride(from: first, through: last, by: 1).map { k in
            let v = (k * s * scale).rounded() / scale
            return v == 0 ? 0 : v
        }
    }

    /// Log-scale ticks in `[lo, hi]` (both > 0): powers of ten, adding 2× and 5× multiples while
    /// there are fewer than three, and falling back to linear ticks when the span is under a decade.
    public static func log(_ lo: Double, _ hi: Double, target: Int) -> [Double] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let e0 = Int(floor(log10(lo))), e1 = Int(ceil(log10(hi)))
        func collect(_ mults: [Double]) -> [Double] {
            var out: [Double] = []
            for e in e0...e1 {
                for m in mults {
                    let v = m * pow(10, Double(e))
                    if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { out.append(v) }
                }
            }
            return out
        }
        var ticks = collect([1])
        if ticks.count < 3 { ticks = collect([1, 2, 5]) }
        if ticks.count < 3 { return linear(lo, hi, target: target) }
        if ticks.count > target * 2 {
            let every = Int((Double(ticks.count) / Double(max(target, 1))).rounded(.up))
            ticks = ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        }
        return ticks
    }
}
