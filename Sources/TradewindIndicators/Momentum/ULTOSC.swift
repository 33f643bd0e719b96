/// Ultimate oscillator (TA-Lib ULTOSC): weighted (4:2:1) average of buying pressure / true range over three
/// periods, shortest weighted most (TA-Lib sorts the three periods).
public struct ULTOSC: StreamingIndicator {
    public let timeperiod1: Int, timeperiod2: Int, timeperiod3: Int
    @usableFromInline let periods: (Int, Int, Int)
    @usableFromInline var bp: Ring
    @usableFromInline var tr: Ring
    @usableFromInline var sums = SIMD8<Double>()  // bp1, tr1, bp2, tr2, bp3, tr3
    @usableFromInline var prevClose = 0.0
    @usableFromInline var seen = 0

    /// - Parameters: timeperiod1/2/3 1...100000 (defaults 7, 14, 28).
    public init(timeperiod1: Int = 7, timeperiod2: Int = 14, timeperiod3: Int = 28) throws(IndicatorError) {
        try Check.period(timeperiod1, "timeperiod1", in: 1...maxIndicatorPeriod, "ULTOSC")
        try Check.period(timeperiod2, "timeperiod2", in: 1...maxIndicatorPeriod, "ULTOSC")
        try Check.period(timeperiod3, "timeperiod3", in: 1...maxIndicatorPeriod, "ULTOSC")
        (self.timeperiod1, self.timeperiod2, self.timeperiod3) = (timeperiod1, timeperiod2, timeperiod3)
        let s = [timeperiod1, timeperiod2, timeperiod3].sorted()
        periods = (s[0], s[1], s[2])
        bp = Ring(capacity: s[2] + 1)
        tr = Ring(capacity: s[2] + 1)
    }

    public var lookback: Int { periods.2 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let n = seen
        seen += 1
        defer { prevClose = bar.close }
        guard n > 0 else { return nil }
        let trueLow = min(bar.low, prevClose)
        let b = bar.close - trueLow
        let t = trueRange(high: bar.high, low: bar.low, prevClose: prevClose)
        bp.push(b)
        tr.push(t)
        sums[0] += b; sums[1] += t
        sums[2] += b; sums[3] += t
        sums[4] += b; sums[5] += t
        // Drop values that left each window (window k holds the last `periods.k` bars).
        let (p1, p2, p3) = periods
        if n > p1 { sums[0] -= bp.back(p1); sums[1] -= tr.back(p1) }
        if n > p2 { sums[2] -= bp.back(p2); sums[3] -= tr.back(p2) }
        if n > p3 { sums[4] -= bp.back(p3); sums[5] -= tr.back(p3) }
        guard n >= p3 else { return nil }
        var output = 0.0
        if !isZero(sums[1]) { output += 4.0 * (sums[0] / sums[1]) }
        if !isZero(sums[3]) { output += 2.0 * (sums[2] / sums[3]) }
        if !isZero(sums[5]) { output += sums[4] / sums[5] }
        return 100.0 * (output / 7.0)
    }
}
