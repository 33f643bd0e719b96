/// Wilder's smoothed moving average (TA-Lib 0.8 RMA, `matype` 13; also called SMMA): seeded with the simple
/// average of the first n values, then `prev + (x − prev)/n` (the same value as `(prev·(n−1) + x)/n`, in the
/// rounding order TA-Lib 0.8 uses). Lookback n − 1; period 1 passes the input through. O(1) per bar.
public struct RMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline let k: Double
    @usableFromInline var seeded = 0
    @usableFromInline var sum = 0.0
    @usableFromInline var rma = 0.0

    /// - Parameter timeperiod: 1...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "RMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        k = 1.0 / Double(timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if timeperiod == 1 { return x }
        if seeded < timeperiod {
            sum += x
            seeded += 1
            guard seeded == timeperiod else { return nil }
            rma = sum / Double(timeperiod)
            return rma
        }
        rma = (x - rma) * k + rma
        return rma
    }
}
