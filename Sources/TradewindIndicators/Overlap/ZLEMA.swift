/// Zero-lag exponential moving average (TA-Lib 0.8 ZLEMA, `matype` 12): the EMA (`k = 2/(n+1)`, seeded with
/// the simple average of its first n inputs) of the de-lagged series `2·x[i] − x[i − lag]`, `lag = (n − 1)/2`
/// (integer division). Lookback `lag + n − 1`; period 1 passes the input through. O(1) per bar.
public struct ZLEMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline let lag: Int
    @usableFromInline let k: Double
    /// The last `lag + 1` inputs.
    @usableFromInline var recent: Ring
    @usableFromInline var seeded = 0
    @usableFromInline var sum = 0.0
    @usableFromInline var ema = 0.0

    /// - Parameter timeperiod: 1...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "ZLEMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        lag = (timeperiod - 1) / 2
        k = 2.0 / Double(timeperiod + 1)
        recent = Ring(capacity: lag + 1)
    }

    /// TA-Lib's lookback for period `n`.
    @inlinable
    static func lookback(_ n: Int) -> Int { n <= 1 ? 0 : (n - 1) / 2 + n - 1 }

    public var lookback: Int { ZLEMA.lookback(timeperiod) }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if timeperiod == 1 { return x }
        recent.push(x)
        guard recent.isFull else { return nil }
        let d = 2.0 * x - recent.oldest
        if seeded < timeperiod {
            sum += d
            seeded += 1
            guard seeded == timeperiod else { return nil }
            ema = sum / Double(timeperiod)
            return ema
        }
        // prev + (d − prev)·k: TA-Lib 0.8's order of operations (agrees with it bit for bit on most bars).
        ema = (d - ema) * k + ema
        return ema
    }
}
