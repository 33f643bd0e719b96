/// Kaufman adaptive moving average (TA-Lib KAMA): an EMA whose factor follows the efficiency ratio
/// |change over the period| / Σ|bar-to-bar changes|, between the 2- and 30-bar EMA factors. Seeded, as in
/// TA-Lib, with the value at bar `timeperiod − 1`; TA-Lib's test `sumROC1 <= periodROC` (not its absolute
/// value) is kept.
public struct KAMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring  // last timeperiod+1 inputs
    @usableFromInline var seen = 0
    @usableFromInline var sumROC1 = 0.0
    @usableFromInline var prevKAMA = 0.0
    @usableFromInline var trailingValue = 0.0
    @usableFromInline let constMax = 2.0 / (30.0 + 1.0)
    @usableFromInline let constDiff = 2.0 / (2.0 + 1.0) - 2.0 / (30.0 + 1.0)

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "KAMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod + 1)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        let p = timeperiod
        seen += 1
        if seen > 1 && seen <= p + 1 {
            // accumulate |x[t-1] - x[t]| for t = 1...p
            sumROC1 += abs(ring.back(0) - x)
        }
        ring.push(x)
        guard seen > p else { return nil }
        let trailing = ring.oldest  // x[today - p]
        if seen == p + 1 {
            prevKAMA = ring.back(1)
            trailingValue = trailing
        } else {
            sumROC1 -= abs(trailingValue - trailing)
            sumROC1 += abs(x - ring.back(1))
            trailingValue = trailing
        }
        let periodROC = x - trailing
        var sc: Double
        if sumROC1 <= periodROC || isZero(sumROC1) {
            sc = 1.0
        } else {
            sc = abs(periodROC / sumROC1)
        }
        sc = (sc * constDiff) + constMax
        sc *= sc
        prevKAMA = ((x - prevKAMA) * sc) + prevKAMA
        return prevKAMA
    }
}
