import Foundation
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
        let text = render(series, label: label)
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 {
            throw DataError(.io, file: path, "cannot create temporary file \(tmp): \(String(cString: strerror(errno)))")
        }
        var ok = true
        var err: Int32 = 0
        var utf8 = text
        utf8.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    err = errno
                    return
                }
                off += n
            }
        }
        if ok && fsync(fd) != 0 { ok = false; err = errno }
        close(fd)
        if !ok {
            unlink(tmp)
            throw DataError(.io, file: path, "write failed: \(String(cString: strerror(err)))")
        }
        if rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw DataError(.io, file: path, "cannot rename \(tmp) to \(path): \(String(cString: strerror(e)))")
        }
    }

    /// The CSV text `write` would put in a file.
    public static func render(_ series: BarSeries, label: BarLabel = .start) -> String {
        var header = "timestamp,open,high,low,close,volume"
        if series.vwap != nil { header += ",vwap" }
        if series.tradeCount != nil { header += ",trade_count" }
        if series.dividend != nil { header += ",dividend" }
        if series.splitCoefficient != nil { header += ",split_coefficient" }
        if series.sourceAdjustedClose != nil { header += ",adjusted_close" }
        var out = header + "\n"
        out.reserveCapacity(series.count * 64 + header.count)
        let shift: Int64 = (label == .end && series.interval.isIntraday) ? series.interval.nominalNanos : 0
        for i in 0..<series.count {
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
        return out
    }
}
