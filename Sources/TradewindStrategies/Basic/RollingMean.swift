/// A streaming simple moving average that reproduces vectorbt's `MA` (its numba rolling mean) bit for bit:
/// a running cumulative sum, and at bar i the mean `(cumsum[i] − cumsum[i − window]) / window`
/// (NaN until `window` values have been seen). Fixed memory: a ring of the last `window` cumulative sums.
public struct RollingMean: Sendable {
    public let window: Int
    private var ring: [Double]
    private var cumsum = 0.0
    private var seen = 0
    private var slot = 0

    public init(window: Int) {
        precondition(window > 0, "window must be positive")
        self.window = window
        ring = [Double](repeating: 0, count: window)
    }

    /// Adds the next value and returns the mean of the last `window` values (NaN during warm-up).
    @inlinable
    public mutating func update(_ value: Double) -> Double { _update(value) }

    @usableFromInline
    mutating func _update(_ value: Double) -> Double {
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
    private var wasBelow = false
    private var crossedAgo = -1

    public init() {}

    @inlinable
    public mutating func update(_ a: Double, _ b: Double) -> Bool { _update(a, b) }

    @usableFromInline
    mutating func _update(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN {
            crossedAgo = -1
            wasBelow = false
            return false
        }
        if a > b {
            guard wasBelow else { return false }
            crossedAgo += 1
            return crossedAgo == 0
        }
        crossedAgo = -1
        if a < b { wasBelow = true }
        return false
    }
}
