import TradewindCore

/// The checks every bar passes before Tradewind uses it, whatever its origin: a CSV file (checked row by row
/// while parsing, with the same rules) or a series built elsewhere, such as a market-data provider's answer.
///
/// A series is valid when its instants are strictly ascending, every price is finite and above 0, open and close
/// lie within [low, high], volume is finite and 0 or more, dividends are 0 or more and split coefficients above 0.
public enum BarValidation {
    /// Throws the first problem of `series`, naming `source` (a file, or a provider and request) and the bar's instant.
    public static func validate(_ series: BarSeries, source: String) throws(DataError) {
        let n = series.count
        for i in 0..<n {
            // The bar's instant as text only for a message (formatting it for every bar was most of the cost).
            var at: String { ISO8601.utc(series.time[i]) }
            if i > 0 && series.time[i] <= series.time[i - 1] {
                throw DataError(series.time[i] == series.time[i - 1] ? .duplicateTimestamp : .unsorted, file: source,
                                column: "time", value: at, "bars must be in strictly ascending time order")
            }
            let o = series.open[i], h = series.high[i], l = series.low[i], c = series.close[i]
            if !(o.isFinite && o > 0 && h.isFinite && h > 0 && l.isFinite && l > 0 && c.isFinite && c > 0) {
                for (name, v) in [("open", o), ("high", h), ("low", l), ("close", c)] where !(v.isFinite && v > 0) {
                    throw DataError(.invalidPrice, file: source, column: name, value: "\(v)", "price must be greater than 0 (bar at \(at))")
                }
            }
            if h < l {
                throw DataError(.invalidPrice, file: source, column: "high", value: "\(h)", "high \(h) is below low \(l) (bar at \(at))")
            }
            if o < l || o > h {
                throw DataError(.invalidPrice, file: source, column: "open", value: "\(o)",
                                "open \(o) is outside the bar's range [low \(l), high \(h)] (bar at \(at))")
            }
            if c < l || c > h {
                throw DataError(.invalidPrice, file: source, column: "close", value: "\(c)",
                                "close \(c) is outside the bar's range [low \(l), high \(h)] (bar at \(at))")
            }
            let v = series.volume[i]
            if !(v.isFinite && v >= 0) {
                throw DataError(.invalidValue, file: source, column: "volume", value: "\(v)", "volume must be 0 or more (bar at \(at))")
            }
            if let d = series.dividend?[i], !(d.isFinite && d >= 0) {
                throw DataError(.invalidValue, file: source, column: "dividend", value: "\(d)", "dividend must be 0 or more (bar at \(at))")
            }
            if let s = series.splitCoefficient?[i], !(s.isFinite && s > 0) {
                throw DataError(.invalidValue, file: source, column: "split", value: "\(s)",
                                "split coefficient must be greater than 0 (new shares per old share; bar at \(at))")
            }
        }
    }
}
