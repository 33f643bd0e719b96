import TradewindCore

/// Which corporate actions an adjusted view of a series removes.
public enum AdjustmentMode: String, Sendable, CaseIterable, Codable {
    /// Prices and volumes as traded (the stored series).
    case raw
    /// Backward split adjustment: every bar before a split's ex-date is expressed in today's shares.
    case split
    /// Backward split and dividend adjustment (CRSP / Yahoo "Adj Close" method): total-return prices.
    case splitAndDividend = "split-dividend"
}

extension BarSeries {
    /// A view of the series with corporate actions removed, computed backward from the last bar
    /// (the last bar is never changed).
    ///
    /// For each ex-date `i` (bar `i` has `splitCoefficient[i] = s ≠ 1` and/or `dividend[i] = D > 0`),
    /// every bar **before** `i` is scaled:
    /// - split factor `1/s` on open, high, low, close and vwap, and `s` on volume (shares multiply,
    ///   so traded value is unchanged);
    /// - dividend factor (`.splitAndDividend` only) `1 − D / P` on prices, where `P` is the raw close
    ///   of bar `i−1` divided by `s` (the previous close in post-split shares, so a dividend on a split
    ///   ex-date is per new share); volume is not changed by dividends. A dividend on the first bar
    ///   (no previous close), or one of at least the previous close (factor ≤ 0), is ignored.
    /// The factors multiply cumulatively: the price of bar `t` is `raw × Π_{i > t} factor_i`.
    ///
    /// The view's `splitCoefficient` is nil (splits are removed). Under `.split` its `dividend`
    /// column holds the dividends in adjusted shares (`D × Π_{i > t} 1/s_i`); under
    /// `.splitAndDividend` it is nil (dividends are in the prices). `tradeCount` and
    /// `sourceAdjustedClose` are unchanged. A series without corporate-action columns is returned as is.
    public func adjusted(_ mode: AdjustmentMode) -> BarSeries {
        if mode == .raw || (dividend == nil && splitCoefficient == nil) { return self }
        let n = count
        var priceFactor = [Double](repeating: 1, count: n)
        var volumeFactor = [Double](repeating: 1, count: n)
        var splitOnly = [Double](repeating: 1, count: n)
        var cumPrice = 1.0, cumVolume = 1.0, cumSplit = 1.0
        var i = n - 1
        while i >= 0 {
            priceFactor[i] = cumPrice
            volumeFactor[i] = cumVolume
            splitOnly[i] = cumSplit
            // Actions on bar i apply to bars before i.
            let s = splitCoefficient?[i] ?? 1
            if s != 1 && s > 0 && s.isFinite {
                cumPrice /= s
                cumSplit /= s
                cumVolume *= s
            }
            if mode == .splitAndDividend, let d = dividend?[i], d > 0, i > 0 {
                let previous = close[i - 1] / (s > 0 && s.isFinite ? s : 1)
                let f = 1 - d / previous
                if f > 0 { cumPrice *= f }
            }
            i -= 1
        }
        var out = self
        for k in 0..<n {
            let f = priceFactor[k]
            out.open[k] *= f
            out.high[k] *= f
            out.low[k] *= f
            out.close[k] *= f
            out.volume[k] *= volumeFactor[k]
        }
        if var v = out.vwap {
            for k in 0..<n { v[k] *= priceFactor[k] }
            out.vwap = v
        }
        out.splitCoefficient = nil
        if mode == .split, var d = out.dividend {
            for k in 0..<n { d[k] *= splitOnly[k] }
            out.dividend = d
        } else {
            out.dividend = nil
        }
        return out
    }
}
