/// Hull moving average (TA-Lib 0.8 HMA, `matype` 9): `WMA(2·WMA(x, n/2) − WMA(x, n), ⌊√n⌋)`, with `n/2` an
/// integer division. A WMA of period 1 is its input, so periods 2 and 3 reduce to `2·x − WMA(x, n)` and period 1
/// passes the input through. Lookback `(n − 1) + (⌊√n⌋ − 1)`. Three running-sum WMAs: O(1) amortised per bar.
///
/// As in TA-Lib 0.8, the half-period WMA starts at bar `n − n/2`, so its first value falls with the full WMA's
/// first value (bar n − 1), and the smoothing WMA starts there: each WMA's periodic recomputation of its sums
/// (see `WMA`) then falls on TA-Lib's bars, and the values agree with TA-Lib's bit for bit.
public struct HMA: StreamingIndicator {
    public let timeperiod: Int
    /// WMA(x, n/2); nil when n/2 is 1 (the input itself).
    @usableFromInline var half: WMA?
    /// WMA(x, n); nil when n is 1.
    @usableFromInline var full: WMA?
    /// WMA(·, ⌊√n⌋) of `2·half − full`; nil when ⌊√n⌋ is 1.
    @usableFromInline var smooth: WMA?
    /// Bars left before the half-period WMA starts (`n − n/2`).
    @usableFromInline var halfStartsIn: Int

    /// - Parameter timeperiod: 1...100000 (TA-Lib default 20).
    public init(timeperiod: Int = 20) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "HMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        let h = timeperiod / 2
        let s = HMA.smoothingPeriod(timeperiod)
        half = h > 1 ? WMA(unchecked: h) : nil
        halfStartsIn = timeperiod - h
        full = timeperiod > 1 ? WMA(unchecked: timeperiod) : nil
        smooth = s > 1 ? WMA(unchecked: s) : nil
    }

    /// ⌊√n⌋, exactly (no floating-point rounding at perfect squares).
    @inlinable
    static func smoothingPeriod(_ n: Int) -> Int {
        var s = Int(Double(n).squareRoot())
        while s * s > n { s -= 1 }
        while (s + 1) * (s + 1) <= n { s += 1 }
        return s
    }

    /// TA-Lib's lookback for period `n`.
    @inlinable
    static func lookback(_ n: Int) -> Int { n <= 1 ? 0 : (n - 1) + (smoothingPeriod(n) - 1) }

    public var lookback: Int { HMA.lookback(timeperiod) }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard full != nil else { return x }
        let h: Double?
        if half == nil {
            h = x
        } else if halfStartsIn > 0 {
            halfStartsIn -= 1
            h = nil
        } else {
            h = half!.update(x)
        }
        guard let f = full!.update(x), let h else { return nil }
        let d = 2.0 * h - f
        return smooth == nil ? d : smooth!.update(d)
    }
}
