/// Commodity channel index (TA-Lib CCI): `(TP − mean TP) / (0.015 · mean |TP − mean TP|)` over `timeperiod`
/// bars of typical price TP = (high + low + close)/3; 0 when either term is 0. The mean deviation needs the
/// whole window each bar, so an update is O(timeperiod), as in TA-Lib.
public struct CCI: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "CCI")
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let last = (bar.high + bar.low + bar.close) / 3
        ring.push(last)
        guard ring.isFull else { return nil }
        let n = Double(timeperiod)
        var average = 0.0
        ring.storage.withUnsafeBufferPointer { b in
            for v in b { average += v }
        }
        average /= n
        var deviation = 0.0
        ring.storage.withUnsafeBufferPointer { b in
            for v in b { deviation += abs(v - average) }
        }
        let t = last - average
        guard t != 0.0 && deviation != 0.0 else { return 0.0 }
        return t / (0.015 * (deviation / n))
    }
}
