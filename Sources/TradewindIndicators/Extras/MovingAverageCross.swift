/// Crossings of a fast and a slow vectorbt moving average (`RollingMean`) of one series, with vectorbt's
/// `crossed_above`/`crossed_below` rules (`CrossAbove`, NaN warm-up included): bit for bit what two `RollingMean`s and
/// two `CrossAbove` detectors give (`MovingAverageCrossTests` proves it), at about half their cost.
///
/// Both averages are differences of one running sum, kept in one ring of the last `slow` cumulative sums; once
/// both windows are full the two means are compared without dividing when that provably decides as the divisions
/// do (`relation(fastSum:fast:slowSum:slow:)`), and by the divisions otherwise.
public struct MovingAverageCross: Sendable {
    public let fast: Int
    public let slow: Int
    @usableFromInline var ring: [Double]
    @usableFromInline var cumsum = 0.0
    @usableFromInline var seen = 0
    /// Ring slot of bar i (i mod slow) and of bar i − fast.
    @usableFromInline var slot = 0
    @usableFromInline var fastSlot: Int
    @usableFromInline var above = CrossAbove()
    @usableFromInline var below = CrossAbove()
    /// The windows as doubles (converted once, not per bar).
    @usableFromInline let fastLength: Double
    @usableFromInline let slowLength: Double

    /// - Parameters: fast 1...99999, slow fast+1...100000.
    public init(fast: Int, slow: Int) throws(IndicatorError) {
        try Check.period(fast, "fast", in: 1...(maxIndicatorPeriod - 1), "MovingAverageCross")
        try Check.period(slow, "slow", in: (fast + 1)...maxIndicatorPeriod, "MovingAverageCross")
        self.fast = fast
        self.slow = slow
        ring = [Double](repeating: 0, count: slow)
        fastSlot = slow - fast
        fastLength = Double(fast)
        slowLength = Double(slow)
    }

    /// Feeds the next value; returns whether the fast average crossed above the slow one on this bar, and whether
    /// it crossed below.
    @inlinable @inline(__always)
    public mutating func update(_ value: Double) -> (up: Bool, down: Bool) {
        cumsum += value
        let droppedSlow = ring[slot]      // cumsum of bar i − slow
        let droppedFast = ring[fastSlot]  // cumsum of bar i − fast (read before bar i is stored)
        ring[slot] = cumsum
        slot += 1
        if slot == slow { slot = 0 }
        fastSlot += 1
        if fastSlot == slow { fastSlot = 0 }
        let i = seen
        seen += 1
        let relation: CrossAbove.Relation
        if i + 1 > slow {
            // Both windows full (slow > fast): the two window sums, compared without dividing when that is safe.
            relation = Self.relation(fastSum: cumsum - droppedFast, fast: fastLength, slowSum: cumsum - droppedSlow, slow: slowLength)
        } else {
            let f = i + 1 < fast ? Double.nan : (i + 1 == fast ? cumsum : cumsum - droppedFast) / fastLength
            let w = i + 1 < slow ? Double.nan : cumsum / slowLength
            relation = CrossAbove.Relation(f, w)
        }
        return (above.update(relation), below.update(relation.mirrored))
    }

    /// The relation of the fast mean `fastSum / fast` to the slow one `slowSum / slow`, exactly as the two rounded
    /// quotients compare, usually without dividing.
    ///
    /// The rounded products `fastSum·slow` and `slowSum·fast` are each within a relative 2⁻⁵³ of the true ones, and so
    /// are the rounded quotients of the true quotients. When the products are normal, positive numbers more than a
    /// relative 10⁻¹² apart, the true means are more than about 10⁻¹² apart, far beyond what the two roundings can
    /// close, so the rounded means compare the same way (strictly). Anything closer (or not normal, or not positive)
    /// is decided by the two divisions themselves.
    @inlinable @inline(__always)
    public static func relation(fastSum: Double, fast: Double, slowSum: Double, slow: Double) -> CrossAbove.Relation {
        let x = fastSum * slow, y = slowSum * fast
        if x > 0 && y > 0 && x.isNormal && y.isNormal {
            if x > y * (1 + 1e-12) { return .above }
            if y > x * (1 + 1e-12) { return .below }
        }
        return CrossAbove.Relation(fastSum / fast, slowSum / slow)
    }
}
