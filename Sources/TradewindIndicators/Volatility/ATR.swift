/// True range (TA-Lib TRANGE), from the second bar on.
public struct TRANGE: StreamingIndicator {
    @usableFromInline var prevClose = 0.0
    @usableFromInline var started = false
    public init() {}
    public var lookback: Int { 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        defer {
            prevClose = bar.close
            started = true
        }
        guard started else { return nil }
        return trueRange(high: bar.high, low: bar.low, prevClose: prevClose)
    }
}

/// Average true range (TA-Lib ATR): the simple average of the first `timeperiod` true ranges, then Wilder
/// smoothing `(atr·(n−1) + tr) / n`. Period 1 is the true range.
///
/// The smoothing runs in steps of two bars from an anchor value A (the seed, then every second value):
/// the first bar is `A·k + b₁` and the second `A·k² + (b₁·k + b₂)`, with `k = (n−1)/n` and `b = tr/n`. That is
/// the same recursion, but the bar-to-bar dependency chain is one multiply and one add per two bars instead of
/// per bar (agrees with the one-step recursion to rounding, ~1e-16 relative).
public struct ATR: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var tr = TRANGE()
    @usableFromInline var count = 0
    @usableFromInline var atr = 0.0
    /// The anchor A of the current two-bar step.
    @usableFromInline var anchor = 0.0
    /// b₁ of the current step once its first bar is done (then `midStep` is true).
    @usableFromInline var pendingB = 0.0
    @usableFromInline var midStep = false

    /// - Parameter timeperiod: 1...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "ATR")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline let keep: Double
    @usableFromInline let keep2: Double
    @usableFromInline let weight: Double

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        keep = Double(timeperiod - 1) / Double(timeperiod)
        keep2 = keep * keep
        weight = 1.0 / Double(timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let t = tr.update(bar) else { return nil }
        if timeperiod == 1 { return t }
        count += 1
        let p = timeperiod
        if count < p {
            atr += t
            return nil
        }
        if count == p {
            atr += t
            atr /= Double(p)
            anchor = atr
            return atr
        }
        let b = t * weight
        if midStep {
            atr = anchor * keep2 + (pendingB * keep + b)
            anchor = atr
        } else {
            atr = anchor * keep + b
            pendingB = b
        }
        midStep.toggle()
        return atr
    }
}

/// Normalised ATR (TA-Lib NATR): `100 · ATR / close`, 0 when the close is 0.
public struct NATR: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var atr: ATR

    /// - Parameter timeperiod: 1...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "NATR")
        self.timeperiod = timeperiod
        atr = ATR(unchecked: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let a = atr.update(bar) else { return nil }
        return isZero(bar.close) ? 0.0 : (a / bar.close) * 100.0
    }
}
