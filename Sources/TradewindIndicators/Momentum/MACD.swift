/// Moving average convergence/divergence (TA-Lib MACD): fast EMA − slow EMA, its `signalperiod` EMA, and
/// their difference. As in TA-Lib, the periods are swapped when slow < fast, and the fast EMA is seeded at the
/// slow EMA's first bar (the average of the `fastperiod` values ending there).
public struct MACD: StreamingIndicator {
    public let fastperiod: Int
    public let slowperiod: Int
    public let signalperiod: Int
    @usableFromInline var fast: EMA
    @usableFromInline var slow: EMA
    @usableFromInline var signal: EMA

    /// - Parameters: fastperiod 2...100000 (default 12); slowperiod 2...100000 (default 26);
    ///   signalperiod 1...100000 (default 9).
    public init(fastperiod: Int = 12, slowperiod: Int = 26, signalperiod: Int = 9) throws(IndicatorError) {
        try Check.period(fastperiod, "fastperiod", in: 2...maxIndicatorPeriod, "MACD")
        try Check.period(slowperiod, "slowperiod", in: 2...maxIndicatorPeriod, "MACD")
        try Check.period(signalperiod, "signalperiod", in: 1...maxIndicatorPeriod, "MACD")
        let f = min(fastperiod, slowperiod)
        let s = max(fastperiod, slowperiod)
        self.init(fast: EMA(unchecked: f, skip: s - f), slow: EMA(unchecked: s), signal: EMA(unchecked: signalperiod),
                  periods: (fastperiod, slowperiod, signalperiod))
    }

    @usableFromInline init(fast: EMA, slow: EMA, signal: EMA, periods: (Int, Int, Int)) {
        self.fast = fast
        self.slow = slow
        self.signal = signal
        (fastperiod, slowperiod, signalperiod) = periods
    }

    public var lookback: Int { slow.lookback + signal.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> MACDOutput? {
        let f = fast.update(x)
        guard let s = slow.update(x), let f else { return nil }
        let m = f - s
        guard let sig = signal.update(m) else { return nil }
        return MACDOutput(macd: m, macdsignal: sig, macdhist: m - sig)
    }
}

/// MACD with TA-Lib's fixed 12/26 factors 0.15 and 0.075 (TA-Lib MACDFIX).
public struct MACDFIX: StreamingIndicator {
    public let signalperiod: Int
    @usableFromInline var core: MACD

    /// - Parameter signalperiod: 1...100000 (default 9).
    public init(signalperiod: Int = 9) throws(IndicatorError) {
        try Check.period(signalperiod, "signalperiod", in: 1...maxIndicatorPeriod, "MACDFIX")
        self.signalperiod = signalperiod
        core = MACD(fast: EMA(unchecked: 12, k: 0.15, skip: 14), slow: EMA(unchecked: 26, k: 0.075),
                    signal: EMA(unchecked: signalperiod), periods: (12, 26, signalperiod))
    }

    public var lookback: Int { core.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> MACDOutput? { core.update(x) }
}

/// MACD with a moving-average type per line (TA-Lib MACDEXT). Periods (with their types) are swapped when
/// slow < fast; the faster average starts where the slower one's first value falls, as in TA-Lib.
public struct MACDEXT: StreamingIndicator {
    public let fastperiod: Int, fastmatype: MAType
    public let slowperiod: Int, slowmatype: MAType
    public let signalperiod: Int, signalmatype: MAType
    @usableFromInline var fast: MovingAverage
    @usableFromInline var slow: MovingAverage
    @usableFromInline var signal: MovingAverage

    /// - Parameters: fastperiod, slowperiod 2...100000 (defaults 12, 26); signalperiod 1...100000 (default 9);
    ///   matypes default SMA.
    public init(fastperiod: Int = 12, fastmatype: MAType = .sma, slowperiod: Int = 26, slowmatype: MAType = .sma,
                signalperiod: Int = 9, signalmatype: MAType = .sma) throws(IndicatorError) {
        try Check.period(fastperiod, "fastperiod", in: 2...maxIndicatorPeriod, "MACDEXT")
        try Check.period(slowperiod, "slowperiod", in: 2...maxIndicatorPeriod, "MACDEXT")
        try Check.period(signalperiod, "signalperiod", in: 1...maxIndicatorPeriod, "MACDEXT")
        self.fastperiod = fastperiod
        self.fastmatype = fastmatype
        self.slowperiod = slowperiod
        self.slowmatype = slowmatype
        self.signalperiod = signalperiod
        self.signalmatype = signalmatype
        var (fp, ft, sp, st) = (fastperiod, fastmatype, slowperiod, slowmatype)
        if sp < fp { (fp, ft, sp, st) = (sp, st, fp, ft) }
        let lbFast = MovingAverage.lookback(timeperiod: fp, matype: ft)
        let lbSlow = MovingAverage.lookback(timeperiod: sp, matype: st)
        let largest = max(lbFast, lbSlow)
        fast = MovingAverage(unchecked: fp, matype: ft, skip: largest - lbFast)
        slow = MovingAverage(unchecked: sp, matype: st, skip: largest - lbSlow)
        signal = MovingAverage(unchecked: signalperiod, matype: signalmatype)
    }

    public var lookback: Int { max(fast.lookback, slow.lookback) + signal.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> MACDOutput? {
        let f = fast.update(x)
        let s = slow.update(x)
        guard let f, let s else { return nil }
        let m = f - s
        guard let sig = signal.update(m) else { return nil }
        return MACDOutput(macd: m, macdsignal: sig, macdhist: m - sig)
    }
}
