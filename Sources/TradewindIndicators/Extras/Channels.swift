/// Donchian channel (TA-Lib 0.8 DONCHIAN): highest high, lowest low and their midpoint over `timeperiod` bars.
public struct DONCHIAN: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var range: HighLowWindow

    /// - Parameter timeperiod: 2...100000 (default 20).
    public init(timeperiod: Int = 20) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "DONCHIAN")
        self.timeperiod = timeperiod
        range = HighLowWindow(window: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Bands? {
        guard let (h, l) = range.push(high: bar.high, low: bar.low) else { return nil }
        return Bands(upperband: h, middleband: (h + l) / 2.0, lowerband: l)
    }
}

/// Keltner channel (TA-Lib 0.8 KC): EMA(`timeperiod`) of the typical price ± `nbdev` · ATR(`atrperiod`). As in
/// TA-Lib, the part with the shorter lookback starts later, so both are seeded on the window ending at the
/// first output bar.
public struct KC: StreamingIndicator {
    public let timeperiod: Int, atrperiod: Int, nbdev: Double
    @usableFromInline var ema: EMA
    @usableFromInline var atr: ATR
    @usableFromInline var atrSkip: Int
    @usableFromInline var seen = 0

    /// - Parameters: timeperiod 2...100000 (default 20); atrperiod 1...100000 (default 10); nbdev (default 2).
    public init(timeperiod: Int = 20, atrperiod: Int = 10, nbdev: Double = 2) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "KC")
        try Check.period(atrperiod, "atrperiod", in: 1...maxIndicatorPeriod, "KC")
        try Check.real(nbdev, "nbdev", in: -realParameterBound...realParameterBound, "KC")
        (self.timeperiod, self.atrperiod, self.nbdev) = (timeperiod, atrperiod, nbdev)
        let total = max(timeperiod - 1, atrperiod)
        ema = EMA(unchecked: timeperiod, skip: total - (timeperiod - 1))
        atr = ATR(unchecked: atrperiod)
        atrSkip = total - atrperiod
    }

    public var lookback: Int { max(timeperiod - 1, atrperiod) }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Bands? {
        let mid = ema.update((bar.high + bar.low + bar.close) / 3.0)
        seen += 1
        let range = seen > atrSkip ? atr.update(bar) : nil
        guard let mid, let range else { return nil }
        let w = nbdev * range
        return Bands(upperband: mid + w, middleband: mid, lowerband: mid - w)
    }
}

/// SuperTrend (TA-Lib 0.8 SUPERTREND): ATR bands around the bar's median price that only tighten while the
/// trend holds; the line is the lower band in an up-trend and the upper band in a down-trend. Outputs:
/// supertrend, trend (+1 up, −1 down). The first value starts an up-trend, as TA-Lib.
public struct SUPERTREND: StreamingIndicator {
    public let timeperiod: Int, multiplier: Double
    @usableFromInline var atr: ATR
    @usableFromInline var upper = 0.0, lower = 0.0
    @usableFromInline var trend = 0.0
    @usableFromInline var prevClose = 0.0

    /// - Parameters: timeperiod 1...100000 (default 10); multiplier (default 3).
    public init(timeperiod: Int = 10, multiplier: Double = 3) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "SUPERTREND")
        try Check.real(multiplier, "multiplier", in: -realParameterBound...realParameterBound, "SUPERTREND")
        (self.timeperiod, self.multiplier) = (timeperiod, multiplier)
        atr = ATR(unchecked: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> LinePair<SuperTrendNames>? {
        defer { prevClose = bar.close }
        guard let a = atr.update(bar) else { return nil }
        let mid = (bar.high + bar.low) / 2.0
        let basicUpper = mid + multiplier * a
        let basicLower = mid - multiplier * a
        if trend == 0 {
            upper = basicUpper
            lower = basicLower
            trend = 1
            return LinePair(lower, trend)
        }
        let newUpper = (basicUpper < upper || prevClose > upper) ? basicUpper : upper
        let newLower = (basicLower > lower || prevClose < lower) ? basicLower : lower
        upper = newUpper
        lower = newLower
        if trend > 0 && bar.close < lower {
            trend = -1
        } else if trend < 0 && bar.close > upper {
            trend = 1
        }
        return LinePair(trend > 0 ? lower : upper, trend)
    }
}

/// Heikin-Ashi candles (TA-Lib 0.8 HA): haclose = (o+h+l+c)/4, haopen = mean of the previous haopen and
/// haclose (first: (open+close)/2), hahigh/halow = extremes of high/low with haopen and haclose.
public struct HeikinAshi: StreamingIndicator {
    public struct Output: IndicatorOutput, Equatable {
        public var haopen: Double, hahigh: Double, halow: Double, haclose: Double
        @inlinable public init(haopen: Double, hahigh: Double, halow: Double, haclose: Double) {
            (self.haopen, self.hahigh, self.halow, self.haclose) = (haopen, hahigh, halow, haclose)
        }
        public static var outputNames: [String] { ["haopen", "hahigh", "halow", "haclose"] }
        public func component(_ i: Int) -> Double { i == 0 ? haopen : i == 1 ? hahigh : i == 2 ? halow : haclose }
    }

    @usableFromInline var prevOpen = 0.0, prevClose = 0.0
    @usableFromInline var started = false
    public init() {}
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ b: OHLCV) -> Output? {
        let close = (b.open + b.high + b.low + b.close) / 4.0
        let open = started ? (prevOpen + prevClose) / 2.0 : (b.open + b.close) / 2.0
        started = true
        prevOpen = open
        prevClose = close
        return Output(haopen: open, hahigh: max(b.high, max(open, close)), halow: min(b.low, min(open, close)),
                      haclose: close)
    }
}

/// Rolling z-score: (x − SMA) / population standard deviation over `timeperiod` bars (TA-Lib's SMA and STDDEV
/// arithmetic); 0 when the deviation is 0.
public struct ZSCORE: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var mean: SMA
    @usableFromInline var deviation: STDDEV

    /// - Parameter timeperiod: 2...100000 (default 20).
    public init(timeperiod: Int = 20) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "ZSCORE")
        self.timeperiod = timeperiod
        mean = SMA(unchecked: timeperiod)
        deviation = STDDEV(unchecked: timeperiod, nbdev: 1)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        let m = mean.update(x)
        let sd = deviation.update(x)
        guard let m, let sd else { return nil }
        return sd != 0 ? (x - m) / sd : 0.0
    }
}
