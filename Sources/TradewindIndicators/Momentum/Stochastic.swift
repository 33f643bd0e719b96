/// Raw stochastic %K over a window: `(close − lowest low) / (highest high − lowest low) · 100`, 0 when the
/// range is empty (TA-Lib's STOCH/STOCHF/STOCHRSI core).
@usableFromInline
struct FastK: Sendable {
    @usableFromInline var highest: SlidingMax
    @usableFromInline var lowest: SlidingMax
    @usableFromInline let period: Int
    @usableFromInline var seen = 0

    @usableFromInline init(period: Int) {
        self.period = period
        highest = SlidingMax(window: period, max: true)
        lowest = SlidingMax(window: period, max: false)
    }

    @inlinable
    mutating func update(high: Double, low: Double, close: Double) -> Double? {
        seen += 1
        let hi = highest.push(high)
        let lo = lowest.push(low)
        guard seen >= period else { return nil }
        let diff = (hi - lo) / 100.0
        return diff != 0.0 ? (close - lo) / diff : 0.0
    }
}

/// Slow stochastic (TA-Lib STOCH): %K smoothed by a `slowk_matype` average, then %D by `slowd_matype`.
public struct STOCH: StreamingIndicator {
    public let fastkPeriod: Int, slowkPeriod: Int, slowkMatype: MAType, slowdPeriod: Int, slowdMatype: MAType
    @usableFromInline var k: FastK
    @usableFromInline var slowK: MovingAverage
    @usableFromInline var slowD: MovingAverage

    /// - Parameters: fastk_period 1...100000 (default 5); slowk_period, slowd_period 1...100000 (default 3);
    ///   matypes default SMA.
    public init(fastkPeriod: Int = 5, slowkPeriod: Int = 3, slowkMatype: MAType = .sma,
                slowdPeriod: Int = 3, slowdMatype: MAType = .sma) throws(IndicatorError) {
        try Check.period(fastkPeriod, "fastk_period", in: 1...maxIndicatorPeriod, "STOCH")
        try Check.period(slowkPeriod, "slowk_period", in: 1...maxIndicatorPeriod, "STOCH")
        try Check.period(slowdPeriod, "slowd_period", in: 1...maxIndicatorPeriod, "STOCH")
        (self.fastkPeriod, self.slowkPeriod, self.slowkMatype) = (fastkPeriod, slowkPeriod, slowkMatype)
        (self.slowdPeriod, self.slowdMatype) = (slowdPeriod, slowdMatype)
        k = FastK(period: fastkPeriod)
        slowK = MovingAverage(unchecked: slowkPeriod, matype: slowkMatype)
        slowD = MovingAverage(unchecked: slowdPeriod, matype: slowdMatype)
    }

    public var lookback: Int { fastkPeriod - 1 + slowK.lookback + slowD.lookback }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> LinePair<SlowNames>? {
        guard let fk = k.update(high: bar.high, low: bar.low, close: bar.close),
              let sk = slowK.update(fk), let sd = slowD.update(sk) else { return nil }
        return LinePair(sk, sd)
    }
}

/// Fast stochastic (TA-Lib STOCHF): raw %K and its `fastd_matype` average %D.
public struct STOCHF: StreamingIndicator {
    public let fastkPeriod: Int, fastdPeriod: Int, fastdMatype: MAType
    @usableFromInline var k: FastK
    @usableFromInline var fastD: MovingAverage

    /// - Parameters: fastk_period 1...100000 (default 5); fastd_period 1...100000 (default 3); fastd_matype (SMA).
    public init(fastkPeriod: Int = 5, fastdPeriod: Int = 3, fastdMatype: MAType = .sma) throws(IndicatorError) {
        try Check.period(fastkPeriod, "fastk_period", in: 1...maxIndicatorPeriod, "STOCHF")
        try Check.period(fastdPeriod, "fastd_period", in: 1...maxIndicatorPeriod, "STOCHF")
        self.init(unchecked: fastkPeriod, fastdPeriod: fastdPeriod, fastdMatype: fastdMatype)
    }

    @usableFromInline init(unchecked fastkPeriod: Int, fastdPeriod: Int, fastdMatype: MAType) {
        (self.fastkPeriod, self.fastdPeriod, self.fastdMatype) = (fastkPeriod, fastdPeriod, fastdMatype)
        k = FastK(period: fastkPeriod)
        fastD = MovingAverage(unchecked: fastdPeriod, matype: fastdMatype)
    }

    public var lookback: Int { fastkPeriod - 1 + fastD.lookback }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> LinePair<FastNames>? {
        guard let fk = k.update(high: bar.high, low: bar.low, close: bar.close), let fd = fastD.update(fk) else {
            return nil
        }
        return LinePair(fk, fd)
    }
}

/// Stochastic RSI (TA-Lib STOCHRSI): STOCHF applied to RSI(timeperiod).
public struct STOCHRSI: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var rsi: RSI
    @usableFromInline var stoch: STOCHF

    /// - Parameters: timeperiod 2...100000 (default 14); fastk_period 1...100000 (default 5);
    ///   fastd_period 1...100000 (default 3); fastd_matype (SMA).
    public init(timeperiod: Int = 14, fastkPeriod: Int = 5, fastdPeriod: Int = 3, fastdMatype: MAType = .sma) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "STOCHRSI")
        try Check.period(fastkPeriod, "fastk_period", in: 1...maxIndicatorPeriod, "STOCHRSI")
        try Check.period(fastdPeriod, "fastd_period", in: 1...maxIndicatorPeriod, "STOCHRSI")
        self.timeperiod = timeperiod
        rsi = RSI(unchecked: timeperiod)
        stoch = STOCHF(unchecked: fastkPeriod, fastdPeriod: fastdPeriod, fastdMatype: fastdMatype)
    }

    public var lookback: Int { rsi.lookback + stoch.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> LinePair<FastNames>? {
        guard let r = rsi.update(x) else { return nil }
        return stoch.update(OHLCV(high: r, low: r, close: r))
    }
}

/// Williams %R (TA-Lib WILLR): `(highest high − close) / (highest high − lowest low) · −100`, 0 on an empty range.
public struct WILLR: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var range: HighLowWindow

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "WILLR")
        self.timeperiod = timeperiod
        range = HighLowWindow(window: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let (hi, lo) = range.push(high: bar.high, low: bar.low) else { return nil }
        let diff = (hi - lo) * (-0.01)
        return diff != 0.0 ? (hi - bar.close) / diff : 0.0
    }
}
