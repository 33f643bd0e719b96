/// Aroon (TA-Lib AROON): how recently, within the last `timeperiod + 1` bars, the highest high and lowest low
/// occurred, scaled to 0...100. Outputs: aroondown, aroonup. Ties go to the most recent bar, as in TA-Lib.
public struct AROON: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var highest: WindowExtreme
    @usableFromInline var lowest: WindowExtreme
    @usableFromInline var seen = 0
    @usableFromInline let factor: Double

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "AROON")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        highest = WindowExtreme(window: timeperiod + 1, max: true, latestOnRescan: true)
        lowest = WindowExtreme(window: timeperiod + 1, max: false, latestOnRescan: true)
        factor = 100.0 / Double(timeperiod)
    }

    public var lookback: Int { timeperiod }

    /// (bars since highest, bars since lowest) once the window is full.
    @inlinable
    mutating func indices(_ bar: OHLCV) -> (hi: Int, lo: Int, today: Int)? {
        let today = seen
        seen += 1
        let hi = highest.push(bar.high).index
        let lo = lowest.push(bar.low).index
        guard today >= timeperiod else { return nil }
        return (hi, lo, today)
    }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> LinePair<AroonNames>? {
        guard let (hi, lo, today) = indices(bar) else { return nil }
        let p = Double(timeperiod)
        return LinePair(factor * (p - Double(today - lo)), factor * (p - Double(today - hi)))
    }
}

/// Aroon oscillator (TA-Lib AROONOSC): aroonup − aroondown.
public struct AROONOSC: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var aroon: AROON

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "AROONOSC")
        self.timeperiod = timeperiod
        aroon = AROON(unchecked: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let (hi, lo, _) = aroon.indices(bar) else { return nil }
        return aroon.factor * Double(hi - lo)
    }
}

/// Balance of power (TA-Lib BOP): `(close − open) / (high − low)`, 0 on a zero range.
public struct BOP: StreamingIndicator {
    public init() {}
    public var lookback: Int { 0 }
    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let range = bar.high - bar.low
        return isZeroOrNeg(range) ? 0.0 : (bar.close - bar.open) / range
    }
}
