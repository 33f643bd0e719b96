/// Simple moving average (TA-Lib SMA): the mean of the last `timeperiod` values, kept as TA-Lib's running sum
/// (add the new value, divide, then drop the oldest) so the numbers agree to the last bit.
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
        sum += x
        ring.push(x)
        guard ring.isFull else { return nil }
        let out = sum / Double(timeperiod)
        sum -= ring.oldest
        return out
    }
}
