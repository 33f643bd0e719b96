import TradewindCore

/// When a conditional market-on-open order (`OrderType.openIf`) fills: on one bar only, at its open, when that
/// bar starts at the given instant (if one is given) and its open lies within the bounds. Unset bounds are
/// infinite, so `OpenCondition(above: level)` means "open > level".
public struct OpenCondition: Sendable, Hashable {
    /// The open must be strictly above this.
    public var above: Double
    /// The open must be at or above this.
    public var atLeast: Double
    /// The open must be strictly below this.
    public var below: Double
    /// The open must be at or below this.
    public var atMost: Double
    /// The bar must start exactly at this instant; bars starting before it are skipped (the order waits), the
    /// first bar at or after it decides. `nil`: the order's first active bar decides.
    public var barStart: UnixNanos?

    public init(above: Double = -.infinity, atLeast: Double = -.infinity, below: Double = .infinity,
                atMost: Double = .infinity, barStart: UnixNanos? = nil) {
        self.above = above
        self.atLeast = atLeast
        self.below = below
        self.atMost = atMost
        self.barStart = barStart
    }

    /// True when a bar opening at `open` satisfies the price bounds.
    @inlinable public func admits(open: Double) -> Bool {
        open > above && open >= atLeast && open < below && open <= atMost
    }

    /// Whether a bar starting at `start` is still before the deciding bar (the order keeps waiting).
    @inlinable public func waits(barStartingAt start: UnixNanos) -> Bool {
        guard let t = barStart else { return false }
        return start < t
    }

    /// The bounds in words, for the order log (`open > 101.5, starting 2019-02-12T15:00:00Z`).
    public var description: String {
        var parts: [String] = []
        if above > -.infinity { parts.append("open > \(above)") }
        if atLeast > -.infinity { parts.append("open ≥ \(atLeast)") }
        if below < .infinity { parts.append("open < \(below)") }
        if atMost < .infinity { parts.append("open ≤ \(atMost)") }
        if let t = barStart { parts.append("bar starting \(ISO8601.utc(t))") }
        return parts.isEmpty ? "any open" : parts.joined(separator: ", ")
    }
}
