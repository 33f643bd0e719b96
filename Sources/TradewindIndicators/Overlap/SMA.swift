/// Simple moving average (TA-Lib SMA): the mean of the last `timeperiod` values, kept as a running sum of the
/// window. Each bar adds `(new − oldest)`: the difference is off the bar-to-bar dependency chain, so the
/// chain is a single addition (TA-Lib adds the new value and subtracts the oldest: two; the two agree to
/// rounding, ~1e-16 relative).
public struct SMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring
    @usableFromInline var sum = 0.0

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "SMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inline(__always) @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if ring.isFull {
            let old = ring.oldest
            ring.push(x)
            sum += x - old
        } else {
            sum += x
            ring.push(x)
            guard ring.isFull else { return nil }
        }
        return sum / Double(timeperiod)
    }
}
