extension Performance {
    /// Rolling annualised Sharpe over the trailing `window` bars, `mean(x)/std(x)·√periodsPerYear` with
    /// `x = r - rf` (QuantStats `rolling_sharpe`); the first `window - 1` values are NaN. Empty when
    /// `window < 2`.
    public static func rollingSharpe(_ returns: [Double], window: Int = 126, riskFree: Double = 0,
                                     periodsPerYear: Double = Annualization.daily) -> [Double] {
        let rfp = Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear)
        return rolling(returns, window: window) { mean, sd in (mean - rfp) / sd * periodsPerYear.squareRoot() }
    }

    /// Rolling annualised volatility `std(r)·√periodsPerYear` over the trailing `window` bars
    /// (QuantStats `rolling_volatility`); the first `window - 1` values are NaN.
    public static func rollingVolatility(_ returns: [Double], window: Int = 126,
                                         periodsPerYear: Double = Annualization.daily) -> [Double] {
        rolling(returns, window: window) { _, sd in sd * periodsPerYear.squareRoot() }
    }

    /// Each full window's mean and sample std by the two-pass algorithm (exact, O(n·window)).
    static func rolling(_ x: [Double], window w: Int, _ f: (Double, Double) -> Double) -> [Double] {
        guard w >= 2 else { return [] }
        var out = [Double](repeating: .nan, count: x.count)
        guard x.count >= w else { return out }
        x.withUnsafeBufferPointer { b in
            for end in (w - 1)..<b.count {
                let start = end - w + 1
                var s = 0.0
                for j in start...end { s += b[j] }
                let m = s / Double(w)
                var ss = 0.0
                for j in start...end { let d = b[j] - m; ss += d * d }
                out[end] = f(m, (ss / Double(w - 1)).squareRoot())
            }
        }
        return out
    }
}
