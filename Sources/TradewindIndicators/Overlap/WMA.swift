/// Weighted moving average (TA-Lib WMA): weights 1…timeperiod, newest heaviest, kept with TA-Lib's running
/// weighted sum and plain sum. As TA-Lib 0.8 does, every `8·timeperiod`-th value recomputes both sums from the
/// window (O(timeperiod) once per 8·timeperiod bars: O(1) amortised), which bounds the running sums' rounding
/// drift, reproduces TA-Lib 0.8's values bit for bit, and lets a NaN that has left the window stop poisoning
/// the output at the next recomputation, where TA-Lib's does.
public struct WMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring
    @usableFromInline var periodSum = 0.0
    @usableFromInline var periodSub = 0.0
    @usableFromInline var trailingValue = 0.0
    @usableFromInline var seen = 0
    @usableFromInline let divider: Double
    /// Values left until the next recomputation of the sums from the window.
    @usableFromInline var valuesUntilRefresh: Int

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "WMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
        divider = Double(timeperiod * (timeperiod + 1) / 2)
        valuesUntilRefresh = WMA.refreshInterval(timeperiod)
    }

    /// TA-Lib 0.8 recomputes the sums on every `8·timeperiod`-th value.
    @inlinable static func refreshInterval(_ timeperiod: Int) -> Int { 8 * timeperiod }

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
        valuesUntilRefresh -= 1
        if valuesUntilRefresh == 0 {
            valuesUntilRefresh = WMA.refreshInterval(timeperiod)
            recomputeSums()
        } else {
            periodSub += x
            periodSub -= trailingValue
            periodSum += x * Double(timeperiod)
        }
        trailingValue = ring.oldest
        let out = periodSum / divider
        periodSum -= periodSub
        return out
    }

    /// The plain and weighted sums of the window (full, ending with the latest value), oldest first.
    @inlinable
    mutating func recomputeSums() {
        periodSub = 0
        periodSum = 0
        var age = timeperiod - 1
        var weight = 1.0
        while age >= 0 {
            let v = ring.back(age)
            periodSub += v
            periodSum += v * weight
            weight += 1
            age -= 1
        }
    }
}
