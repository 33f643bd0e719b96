/// Double exponential moving average (TA-Lib DEMA): `2·EMA − EMA(EMA)`.
public struct DEMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ema1: EMA
    @usableFromInline var ema2: EMA

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "DEMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ema1 = EMA(unchecked: timeperiod)
        ema2 = EMA(unchecked: timeperiod)
    }

    public var lookback: Int { 2 * (timeperiod - 1) }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let e1 = ema1.update(x), let e2 = ema2.update(e1) else { return nil }
        return (2.0 * e1) - e2
    }
}

/// Triple exponential moving average (TA-Lib TEMA): `3·EMA − 3·EMA(EMA) + EMA(EMA(EMA))`.
public struct TEMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ema1: EMA
    @usableFromInline var ema2: EMA
    @usableFromInline var ema3: EMA

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "TEMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        ema1 = EMA(unchecked: timeperiod)
        ema2 = EMA(unchecked: timeperiod)
        ema3 = EMA(unchecked: timeperiod)
    }

    public var lookback: Int { 3 * (timeperiod - 1) }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let e1 = ema1.update(x), let e2 = ema2.update(e1), let e3 = ema3.update(e2) else { return nil }
        return e3 + ((3.0 * e1) - (3.0 * e2))
    }
}
