/// Fast and slow moving averages of one type, as TA-Lib's APO/PPO compute them: periods swapped when
/// slow < fast, both averages started at the first bar (unlike MACD, whose fast EMA starts later). `matype`
/// `default` (11) is APO's and PPO's own default, EMA.
@usableFromInline
struct OscillatorPair: Sendable {
    @usableFromInline var fast: MovingAverage
    @usableFromInline var slow: MovingAverage

    @usableFromInline init(fastperiod: Int, slowperiod: Int, matype: MAType) {
        let f = min(fastperiod, slowperiod)
        let s = max(fastperiod, slowperiod)
        let type = matype.resolved(functionDefault: .ema)
        fast = MovingAverage(unchecked: f, matype: type)
        slow = MovingAverage(unchecked: s, matype: type)
    }

    @inlinable var lookback: Int { max(fast.lookback, slow.lookback) }

    @inlinable
    mutating func update(_ x: Double) -> (fast: Double, slow: Double)? {
        let f = fast.update(x)
        let s = slow.update(x)
        guard let f, let s else { return nil }
        return (f, s)
    }
}

/// Absolute price oscillator (TA-Lib APO): fast MA − slow MA (`matype` 0...13; `default` means EMA).
public struct APO: StreamingIndicator {
    public let fastperiod: Int, slowperiod: Int, matype: MAType
    @usableFromInline var pair: OscillatorPair

    /// - Parameters: fastperiod 2...100000 (default 12); slowperiod 2...100000 (default 26); matype (default EMA).
    public init(fastperiod: Int = 12, slowperiod: Int = 26, matype: MAType = .ema) throws(IndicatorError) {
        try Check.period(fastperiod, "fastperiod", in: 2...maxIndicatorPeriod, "APO")
        try Check.period(slowperiod, "slowperiod", in: 2...maxIndicatorPeriod, "APO")
        (self.fastperiod, self.slowperiod, self.matype) = (fastperiod, slowperiod, matype)
        pair = OscillatorPair(fastperiod: fastperiod, slowperiod: slowperiod, matype: matype)
    }

    public var lookback: Int { pair.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let (f, s) = pair.update(x) else { return nil }
        return f - s
    }
}

/// Percentage price oscillator (TA-Lib PPO): `100·(fast MA − slow MA) / slow MA`, 0 when the slow MA is zero
/// (`matype` 0...13; `default` means EMA).
public struct PPO: StreamingIndicator {
    public let fastperiod: Int, slowperiod: Int, matype: MAType
    @usableFromInline var pair: OscillatorPair

    /// - Parameters: fastperiod 2...100000 (default 12); slowperiod 2...100000 (default 26); matype (default EMA).
    public init(fastperiod: Int = 12, slowperiod: Int = 26, matype: MAType = .ema) throws(IndicatorError) {
        try Check.period(fastperiod, "fastperiod", in: 2...maxIndicatorPeriod, "PPO")
        try Check.period(slowperiod, "slowperiod", in: 2...maxIndicatorPeriod, "PPO")
        (self.fastperiod, self.slowperiod, self.matype) = (fastperiod, slowperiod, matype)
        pair = OscillatorPair(fastperiod: fastperiod, slowperiod: slowperiod, matype: matype)
    }

    public var lookback: Int { pair.lookback }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let (f, s) = pair.update(x) else { return nil }
        return isZero(s) ? 0.0 : ((f - s) / s) * 100.0
    }
}
