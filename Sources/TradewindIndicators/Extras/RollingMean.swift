/// vectorbt's moving average (`vbt.MA`, its numba rolling mean), streaming and bit for bit: a running cumulative
/// sum, and at bar i the mean `(cumsum[i] − cumsum[i − window]) / window` (NaN until `window` values have been
/// seen). Fixed memory: a ring of the last `window` cumulative sums.
///
/// It differs from TA-Lib's `SMA` in rounding only (a cumulative sum instead of a sliding sum); strategies whose
/// signals are checked against vectorbt (`sma-cross`) use it so that crossings at near-ties agree exactly.
public struct RollingMean: Sendable {
    public let window: Int
    @usableFromInline var ring: [Double]
    @usableFromInline var cumsum = 0.0
    @usableFromInline var seen = 0
    @usableFromInline var slot = 0

    /// - Parameter window: 1...100000.
    public init(window: Int) throws(IndicatorError) {
        try Check.period(window, "window", in: 1...maxIndicatorPeriod, "RollingMean")
        self.window = window
        ring = [Double](repeating: 0, count: window)
    }

    /// The mean of each bar's last `window` values, aligned to `values` (NaN during warm-up and for an invalid
    /// window).
    public static func column(_ values: [Double], window: Int) -> [Double] {
        guard var mean = try? RollingMean(window: window) else { return [Double](repeating: .nan, count: values.count) }
        return values.map { mean.update($0) }
    }

    /// Adds the next value and returns the mean of the last `window` values (NaN during warm-up).
    @inlinable
    public mutating func update(_ value: Double) -> Double {
        let dropped = ring[slot]
        cumsum += value
        ring[slot] = cumsum
        slot += 1
        if slot == window { slot = 0 }
        if seen < window {
            seen += 1
            return seen == window ? cumsum / Double(window) : .nan
        }
        return (cumsum - dropped) / Double(window)
    }
}

/// vectorbt's crossing detector (`crossed_above` with `wait = 0`): fires on the first bar on which `a > b`
/// after a bar on which `a < b`; NaN in either input resets it, and equality resets the "already fired" count
/// without forgetting that `a` was below.
public struct CrossAbove: Sendable {
    @usableFromInline var wasBelow = false
    @usableFromInline var crossedAgo = -1

    /// Where `a` stands relative to `b` on a bar.
    public enum Relation: Sendable {
        /// Either value is NaN.
        case unordered
        case above
        case below
        case equal

        /// The relation of `a` to `b`.
        @inlinable @inline(__always)
        public init(_ a: Double, _ b: Double) {
            if a.isNaN || b.isNaN { self = .unordered } else { self = a > b ? .above : (a < b ? .below : .equal) }
        }

        /// The relation of `b` to `a`.
        @inlinable @inline(__always)
        public var mirrored: Relation {
            switch self {
            case .above: .below
            case .below: .above
            default: self
            }
        }
    }

    public init() {}

    @inlinable @inline(__always)
    public mutating func update(_ a: Double, _ b: Double) -> Bool { update(Relation(a, b)) }

    /// The detector's step for a bar on which `a` stands in `relation` to `b`; true when `a` crosses above.
    @inlinable @inline(__always)
    public mutating func update(_ relation: Relation) -> Bool {
        switch relation {
        case .unordered:
            crossedAgo = -1
            wasBelow = false
            return false
        case .above:
            guard wasBelow else { return false }
            crossedAgo += 1
            return crossedAgo == 0
        case .below:
            crossedAgo = -1
            wasBelow = true
            return false
        case .equal:
            crossedAgo = -1
            return false
        }
    }
}
