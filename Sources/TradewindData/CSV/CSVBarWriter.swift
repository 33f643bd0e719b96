import TradewindCore

/// Writes a `BarSeries` as a plain CSV file that `CSVBarReader` reads back bit-identically.
///
/// Format: a header `timestamp,open,high,low,close,volume` followed by the optional columns the
/// series has, in this order: `vwap`, `trade_count`, `dividend`, `split_coefficient`,
/// `adjusted_close`. Timestamps are ISO 8601 in UTC (`2019-02-15T14:30:00Z`); numbers are Swift's
/// shortest round-trip decimal form, so every `Double` survives a write/read cycle exactly.
/// Lines end with `\n`, including the last one.
///
/// The file is written atomically: to a temporary file in the same directory, then renamed over
/// `path`, so a reader never sees a half-written file.
public enum CSVBarWriter {
    /// Writes `series` to `path`.
    /// - Parameter label: `.start` (default) writes each bar's start instant; `.end` writes start + interval
    ///   (for intraday series; daily and longer bars are always written with their start instant).
    public static func write(_ series: BarSeries, to path: String, label: BarLabel = .start) throws(DataError) {
        try AtomicFile.write(to: path) { (sink) throws(DataError) in
            // Rendered and written in blocks of rows, so memory stays small for long series.
            let block = 16_384
            var row = 0
            var chunk = header(series)
            repeat {
                let upper = min(series.count, row + block)
                appendRows(series, row..<upper, label: label, to: &chunk)
                row = upper
                let bytes = Array(chunk.utf8)
                let r: Result<Void, DataError> = bytes.withUnsafeBytes { b in Result { () throws(DataError) in try sink(b) } }
                try r.get()
                chunk = ""
            } while row < series.count
        }
    }

    static func header(_ series: BarSeries) -> String {
        var header = "timestamp,open,high,low,close,volume"
        if series.vwap != nil { header += ",vwap" }
        if series.tradeCount != nil { header += ",trade_count" }
        if series.dividend != nil { header += ",dividend" }
        if series.splitCoefficient != nil { header += ",split_coefficient" }
        if series.sourceAdjustedClose != nil { header += ",adjusted_close" }
        return header + "\n"
    }

    /// The CSV text `write` would put in a file.
    public static func render(_ series: BarSeries, label: BarLabel = .start) -> String {
        var out = header(series)
        appendRows(series, 0..<series.count, label: label, to: &out)
        return out
    }

    static func appendRows(_ series: BarSeries, _ rows: Range<Int>, label: BarLabel, to out: inout String) {
        out.reserveCapacity(out.utf8.count + rows.count * 64)
        let shift: Int64 = (label == .end && series.interval.isIntraday) ? series.interval.nominalNanos : 0
        for i in rows {
            out += ISO8601.utc(series.time[i] + shift)
            out += ","; out += series.open[i].description
            out += ","; out += series.high[i].description
            out += ","; out += series.low[i].description
            out += ","; out += series.close[i].description
            out += ","; out += series.volume[i].description
            if let c = series.vwap { out += ","; out += c[i].description }
            if let c = series.tradeCount { out += ","; out += c[i].description }
            if let c = series.dividend { out += ","; out += c[i].description }
            if let c = series.splitCoefficient { out += ","; out += c[i].description }
            if let c = series.sourceAdjustedClose { out += ","; out += c[i].description }
            out += "\n"
        }
    }
}
