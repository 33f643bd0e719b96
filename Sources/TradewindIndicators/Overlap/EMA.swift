/// Exponential moving average (TA-Lib EMA): seeded with the simple average of the first `timeperiod` values,
/// then `ema += (x - ema) * k` with `k = 2 / (timeperiod + 1)` .
public struct EMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline let k: Double
    @usableFromInline let oneMinusK: Double
    @usableFromInline let skipped: Int
    @usableFromInline var toSkip: Int
    @usableFromInline var seeded = 0
    @usableFromInline var sum = 0.0
    @usableFromInline var ema = 0.0

    /// - Parameter timeperiod: 1...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "EMA")
        self.init(unchecked: timeperiod)
    }

    /// An EMA that ignores its first `skip` inputs (TA-Lib seeds an inner EMA at a later bar when an outer
    /// function starts it there, e.g. MACD's fast line) and may use a fixed smoothing factor (MACDFIX).
    @usableFromInline init(unchecked timeperiod: Int, k: Double? = nil, skip: Int = 0) {
        self.timeperiod = timeperiod
        self.k = k ?? 2.0 / Double(timeperiod + 1)
        oneMinusK = 1.0 - self.k
        skipped = skip
        toSkip = skip
    }

    public var lookback: Int { timeperiod - 1 + skipped }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if toSkip > 0 {
            toSkip -= 1
            return nil
        }
        if seeded < timeperiod {
            sum += x
            seeded += 1
            guard seeded == timeperiod else { return nil }
            ema = sum / Double(timeperiod)
            return ema
        }
        return advance(x)
    }

    /// One bar after the seed (what `update` does from then on; the batch kernels call it directly).
    @inline(__always) @inlinable
    mutating func advance(_ x: Double) -> Double {
        // x·k + ema·(1−k): the product x·k is off the bar-to-bar dependency chain (TA-Lib 0.8 agrees to ~1e-16).
        // (A two-bar step would halve the chain but breaks "constant in, constant out" by an ulp: TRIX of a
        // flat series must be exactly 0.)
        ema = x * k + ema * oneMinusK
        return ema
    }

    /// True once the seed is done (every later bar is one `advance`).
    @inlinable var isSeeded: Bool { toSkip == 0 && seeded == timeperiod }
}
