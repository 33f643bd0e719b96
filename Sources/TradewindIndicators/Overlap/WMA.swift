/// Weighted moving average (TA-Lib WMA): weights 1…timeperiod, newest heaviest, kept with TA-Lib's running
/// weighted sum and plain sum.
public struct WMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring
    @usableFromInline var periodSum = 0.0
    @usableFromInline var periodSub = 0.0
    @usableFromInline var trailingValue = 0.0
    @usableFromInline var seen = 0
    @usableFromInline let divider: Double

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "WMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
        divider = Double(timeperiod * (timeperiod + 1) / 2)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        seen += 1
        ring.push(x)
        if seen < timeperiod {
            periodSub += x
            periodSum += x * Double(seen)
            return nil
        }
        periodSub += x
        periodSub -= trailingValue
        periodSum += x * Double(timeperiod)
        trailingValue = ring.oldest
        let out = periodSum / divider
        periodSum -= periodSub
        return out
    }
}
