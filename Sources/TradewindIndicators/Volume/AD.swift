/// Chaikin accumulation/distribution line (TA-Lib AD): running sum of `((close−low) − (high−close)) / (high−low)
/// · volume`; bars with no range add nothing.
public struct AD: StreamingIndicator {
    @usableFromInline var ad = 0.0
    public init() {}
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let range = bar.high - bar.low
        if range > 0.0 {
            ad += (((bar.close - bar.low) - (bar.high - bar.close)) / range) * bar.volume
        }
        return ad
    }
}

/// Chaikin A/D oscillator (TA-Lib ADOSC): fast EMA − slow EMA of the A/D line, both seeded with the first A/D
/// value (`ema = k·ad + (1−k)·ema`), as TA-Lib does.
public struct ADOSC: StreamingIndicator {
    public let fastperiod: Int, slowperiod: Int
    @usableFromInline var ad = AD()
    @usableFromInline let fastK: Double, slowK: Double
    @usableFromInline var fastEMA = 0.0, slowEMA = 0.0
    @usableFromInline var seen = 0
    @usableFromInline let slowest: Int

    /// - Parameters: fastperiod 2...100000 (default 3); slowperiod 2...100000 (default 10).
    public init(fastperiod: Int = 3, slowperiod: Int = 10) throws(IndicatorError) {
        try Check.period(fastperiod, "fastperiod", in: 2...maxIndicatorPeriod, "ADOSC")
        try Check.period(slowperiod, "slowperiod", in: 2...maxIndicatorPeriod, "ADOSC")
        (self.fastperiod, self.slowperiod) = (fastperiod, slowperiod)
        fastK = 2.0 / Double(fastperiod + 1)
        slowK = 2.0 / Double(slowperiod + 1)
        slowest = max(fastperiod, slowperiod)
    }

    public var lookback: Int { slowest - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let value = ad.update(bar)!
        seen += 1
        if seen == 1 {
            fastEMA = value
            slowEMA = value
        } else {
            fastEMA = (fastK * value) + ((1.0 - fastK) * fastEMA)
            slowEMA = (slowK * value) + ((1.0 - slowK) * slowEMA)
        }
        return seen >= slowest ? fastEMA - slowEMA : nil
    }
}

/// On-balance volume (TA-Lib OBV): starts at the first bar's volume; adds the volume on up closes, subtracts
/// it on down closes.
public struct OBV: StreamingIndicator {
    @usableFromInline var obv = 0.0
    @usableFromInline var prevClose = 0.0
    @usableFromInline var started = false
    public init() {}
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        if !started {
            started = true
            obv = bar.volume
        } else {
            // Branch-free: ±volume, or nothing on an unchanged close.
            let direction: Double = bar.close > prevClose ? 1 : (bar.close < prevClose ? -1 : 0)
            obv += direction * bar.volume
        }
        prevClose = bar.close
        return obv
    }
}
