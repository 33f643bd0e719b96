import Foundation

/// Whether a value axis is linear or logarithmic (base 10).
public enum ScaleKind: String, Sendable, Equatable {
    case linear, log
}

/// Maps a value domain onto a pixel range, linearly or logarithmically. A log scale needs a
/// strictly positive domain; `AxisScale.make` falls back to linear when the data has values ≤ 0.
public struct AxisScale: Sendable, Equatable {
    public let kind: ScaleKind
    public let domain: ClosedRange<Double>
    /// Pixel positions of `domain.lowerBound` and `domain.upperBound` (may be descending, as for y).
    public let range: (Double, Double)

    public init(kind: ScaleKind, domain: ClosedRange<Double>, range: (Double, Double)) {
        precondition(kind == .linear || domain.lowerBound > 0, "a log scale needs a positive domain")
        self.kind = kind
        self.domain = domain
        self.range = range
    }

    public static func == (a: AxisScale, b: AxisScale) -> Bool {
        a.kind == b.kind && a.domain == b.domain && a.range == b.range
    }

    private func t(_ v: Double) -> Double { kind == .log ? log10(v) : v }

    /// The pixel position of `v` (values outside the domain extrapolate; non-positive values on a
    /// log scale map to the low end).
    public func position(_ v: Double) -> Double {
        let lo = t(domain.lowerBound), hi = t(domain.upperBound)
        let x = (kind == .log && v <= 0) ? lo : t(v)
        let f = hi == lo ? 0.5 : (x - lo) / (hi - lo)
        return range.0 + f * (range.1 - range.0)
    }

    /// The value at pixel position `p` (inverse of `position`).
    public func value(at p: Double) -> Double {
        let lo = t(domain.lowerBound), hi = t(domain.upperBound)
        let f = range.1 == range.0 ? 0 : (p - range.0) / (range.1 - range.0)
        let x = lo + f * (hi - lo)
        return kind == .log ? pow(10, x) : x
    }

    /// Tick values inside the domain: 1-2-5 steps for linear scales, powers of ten (with 2 and 5
    /// multiples when the span is short) for log scales.
    public func ticks(target: Int) -> [Double] {
        switch kind {
        case .linear: return NiceTicks.linear(domain.lowerBound, domain.upperBound, target: target)
        case .log: return NiceTicks.log(domain.lowerBound, domain.upperBound, target: target)
        }
    }
}
