/// Which field of a row holds which bar column, found from the header (names in any case, with the
/// usual aliases) or, for files without a header, by position.
///
/// Header names are compared after lower-casing and removing spaces, `.`, `_`, `-` and quotes:
/// - time: `timestamp`, `datetime`, `date`, `time`, `dt`, `date_time`; a `date` column together with a
///   `time` column is read as a separate date field plus time-of-day field;
/// - `open`/`o`, `high`/`h`, `low`/`l`, `close`/`c`/`last`, `volume`/`v`/`vol`;
/// - `vwap`/`vw`; `trade_count`/`trades`/`n`/`num_trades`;
/// - dividend: `dividend_amount`, `Ex-Dividend`, `dividends`, `dividend`;
/// - split: `split_coefficient`, `Split Ratio`, `stock splits`, `split`, `split_factor` (0 is read as 1: no split);
/// - source adjusted close: `Adj Close`, `adjusted_close`, `Adj. Close`, `adjclose`.
/// Other columns (`Adj. Open`, `symbol`, …) are ignored. An empty or `Unnamed: 0` / `index` first
/// column (pandas `to_csv` index) is ignored, or used as the time column when no other is named.
///
/// Without a header the fields are `date[,time],open,high,low,close[,volume]`: a second field containing
/// `:` is a time of day; fields after volume are ignored.
public struct CSVColumns: Sendable, Equatable {
    public var time = -1
    /// Separate time-of-day field (with `time` then holding only the date), or -1.
    public var timeOfDay = -1
    public var open = -1, high = -1, low = -1, close = -1, volume = -1
    public var vwap = -1, tradeCount = -1, dividend = -1, split = -1, adjustedClose = -1
    /// Column names as written in the header (or positional names when there is none).
    public var names: [String] = []

    /// Fields a row must have to hold every mapped column.
    var required: Int {
        [time, timeOfDay, open, high, low, close, volume, vwap, tradeCount, dividend, split, adjustedClose].max()! + 1
    }

    func name(_ i: Int) -> String { i < names.count && !names[i].isEmpty ? names[i] : "field \(i + 1)" }

    static func normalise(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() where !" ._-\"'\u{FEFF}\t".contains(ch) { out.append(ch) }
        return out
    }

    /// Maps header names. Throws `missingColumn` when time, open, high, low or close is absent.
    static func fromHeader(_ raw: [String], file: String) throws(DataError) -> CSVColumns {
        var c = CSVColumns()
        c.names = raw
        let norm = raw.map(normalise)
        func first(_ aliases: [String]) -> Int {
            for a in aliases { if let i = norm.firstIndex(of: a) { return i } }
            return -1
        }
        let ts = first(["timestamp", "datetime", "datetimeutc", "timestamputc", "datetime(utc)", "dt"])
        let date = first(["date", "day", "tradingdate", "tradedate"])
        let time = first(["time", "timeofday", "bartime"])
        if ts >= 0 { c.time = ts }
        else if date >= 0 && time >= 0 { c.time = date; c.timeOfDay = time }
        else if date >= 0 { c.time = date }
        else if time >= 0 { c.time = time }
        else if let f = norm.first, f.isEmpty || f.hasPrefix("unnamed") || f == "index" { c.time = 0 }
        c.open = first(["open", "o", "openprice"])
        c.high = first(["high", "h", "highprice"])
        c.low = first(["low", "l", "lowprice"])
        c.close = first(["close", "c", "last", "closeprice"])
        c.volume = first(["volume", "v", "vol"])
        c.vwap = first(["vwap", "vw"])
        c.tradeCount = first(["tradecount", "trades", "n", "numtrades", "numberoftrades", "count"])
        c.dividend = first(["dividendamount", "exdividend", "dividends", "dividend", "div"])
        c.split = first(["splitcoefficient", "splitratio", "stocksplits", "split", "splits", "splitfactor"])
        c.adjustedClose = first(["adjclose", "adjustedclose"])
        var missing: [String] = []
        if c.time < 0 { missing.append("a time column (timestamp, datetime or date)") }
        if c.open < 0 { missing.append("open") }
        if c.high < 0 { missing.append("high") }
        if c.low < 0 { missing.append("low") }
        if c.close < 0 { missing.append("close") }
        if !missing.isEmpty {
            throw DataError(.missingColumn, file: file, line: 1, value: raw.joined(separator: ","),
                            "header lacks \(missing.joined(separator: ", ")); expected columns like timestamp,open,high,low,close[,volume]")
        }
        return c
    }

    /// Positional mapping for a file without a header, given its first row's fields.
    static func positional(fieldCount: Int, secondFieldIsTime: Bool, file: String) throws(DataError) -> CSVColumns {
        var c = CSVColumns()
        c.time = 0
        var k = 1
        if secondFieldIsTime { c.timeOfDay = 1; k = 2 }
        guard fieldCount >= k + 4 else {
            throw DataError(.tooFewFields, file: file, line: 1,
                            "a file without a header needs date[,time],open,high,low,close[,volume]; the first row has \(fieldCount) fields")
        }
        c.open = k; c.high = k + 1; c.low = k + 2; c.close = k + 3
        if fieldCount > k + 4 { c.volume = k + 4 }
        var names = ["date"]
        if secondFieldIsTime { names.append("time") }
        names += ["open", "high", "low", "close"]
        if c.volume >= 0 { names.append("volume") }
        c.names = names
        return c
    }
}
