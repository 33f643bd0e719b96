/// Wilder-smoothed average gain and loss (the core of RSI and CMO, as TA-Lib computes them): simple averages
/// of the first `timeperiod` changes, then `avg = (avg·(n−1) + change) / n`.
@usableFromInline
struct WilderGainLoss: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var seen = 0
    @usableFromInline var prevValue = 0.0
    @usableFromInline var gain = 0.0
    @usableFromInline var loss = 0.0

    @usableFromInline let keep: Double
    @usableFromInline let weight: Double

    @usableFromInline init(period: Int) {
        self.period = period
        keep = Double(period - 1) / Double(period)
        weight = 1.0 / Double(period)
    }

    /// Feeds a value; returns (average gain, average loss) from bar `period` on.
    @inlinable
    mutating func update(_ x: Double) -> (gain: Double, loss: Double)? {
        let n = seen
        seen += 1
        if n == 0 {
            prevValue = x
            return nil
        }
        let diff = x - prevValue
        prevValue = x
        let p = Double(period)
        if n <= period {
            if diff < 0.0 { loss -= diff } else { gain += diff }
            guard n == period else { return nil }
            loss /= p
            gain /= p
            return (gain, loss)
        }
        // (avg·(n−1) + change)/n as avg·((n−1)/n) + change/n: no division on the bar-to-bar dependency chain.
        // Branch-free split (exact: (d ± |d|)/2 is d or 0): up/down moves are unpredictable on real prices.
        let magnitude = abs(diff)
        let up = (diff + magnitude) * 0.5
        let down = (magnitude - diff) * 0.5
        loss = loss * keep + down * weight
        gain = gain * keep + up * weight
        return (gain, loss)
    }
}

/// Relative strength index (TA-Lib RSI): `100·avgGain / (avgGain + avgLoss)` with Wilder smoothing; 0 when
/// both averages are zero.
public struct RSI: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var core: WilderGainLoss

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "RSI")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        core = WilderGainLoss(period: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let (g, l) = core.update(x) else { return nil }
        let s = g + l
        return isZero(s) ? 0.0 : 100.0 * (g / s)
    }
}

/// Chande momentum oscillator (TA-Lib CMO): `100·(avgGain − avgLoss) / (avgGain + avgLoss)`, Wilder-smoothed
/// like RSI.
public struct CMO: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var core: WilderGainLoss

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "CMO")
        self.timeperiod = timeperiod
        core = WilderGainLoss(period: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let (g, l) = core.update(x) else { return nil }
        let s = g + l
        return isZero(s) ? 0.0 : 100.0 * ((g - l) / s)
    }
}
