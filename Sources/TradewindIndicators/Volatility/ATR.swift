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
/// The smoothing runs in steps of four bars from an anchor value A (the seed, then every fourth value). With
/// `k = (n−1)/n`, `b = tr/n` and the partial sums P₁ = b₁, Pⱼ = Pⱼ₋₁·k + bⱼ, the j-th bar of a step is
/// `A·kʲ + Pⱼ` (k², k³, k⁴ precomputed), and the fourth becomes the next anchor. That is the same recursion
/// (it agrees with the one-step form to rounding, ~1e-16 relative), but the bar-to-bar dependency chain is
/// one multiply and one add per four bars, and the partial sums of a step do not depend on any earlier bar:
/// the batch kernel computes the partial sums of the second half of a long column on another core while it
/// smooths the first half, then only adds `A·kʲ`.
public struct ATR: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var tr = TRANGE()
    @usableFromInline var count = 0
    @usableFromInline var atr = 0.0
    /// The anchor A of the current four-bar step.
    @usableFromInline var anchor = 0.0
    /// The partial sum Pⱼ of the bars of the current step done so far.
    @usableFromInline var partial = 0.0
    /// How many bars of the current step are done (0...3).
    @usableFromInline var phase = 0

    /// - Parameter timeperiod: 1...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "ATR")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline let keep: Double
    @usableFromInline let keep2: Double
    @usableFromInline let keep3: Double
    @usableFromInline let keep4: Double
    @usableFromInline let weight: Double

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        keep = Double(timeperiod - 1) / Double(timeperiod)
        keep2 = keep * keep
        keep3 = keep2 * keep
        keep4 = keep2 * keep2
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
        switch phase {
        case 0:
            partial = b
            atr = anchor * keep + partial
        case 1:
            partial = partial * keep + b
            atr = anchor * keep2 + partial
        case 2:
            partial = partial * keep + b
            atr = anchor * keep3 + partial
        default:
            partial = partial * keep + b
            atr = anchor * keep4 + partial
            anchor = atr
        }
        phase = (phase + 1) & 3
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
