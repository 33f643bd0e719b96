/// A backtest's trade log and equity curve written by hand: the text JSONEncoder made of `[TradeLogRow]` and
/// `[EquityPoint]` (sorted keys, the same numbers), without its boxing, key sorting and dictionary per element, which
/// was half of `POST /api/backtest`'s CPU time (`perf`, release build, after the data stopped being parsed per
/// request). Numbers are written as `HistoryJSON` writes them; the tests compare both with JSONEncoder's bytes.
enum BacktestJSON {
    /// `[{"bars_held":…,"entry_price":…,…,"symbol":…},…]`.
    static func trades(_ rows: [TradeLogRow]) -> String {
        var out = "["
        out.reserveCapacity(2 + rows.count * 300)
        for (i, t) in rows.enumerated() {
            out += i > 0 ? ",{\"bars_held\":" : "{\"bars_held\":"
            out += t.barsHeld.description
            HistoryJSON.number(",\"entry_price\":", t.entryPrice, into: &out)
            HistoryJSON.text(",\"entry_time\":", t.entryTime, into: &out)
            HistoryJSON.number(",\"exit_price\":", t.exitPrice, into: &out)
            HistoryJSON.text(",\"exit_time\":", t.exitTime, into: &out)
            HistoryJSON.number(",\"net_pnl\":", t.netPnL, into: &out)
            out += t.open ? ",\"open\":true" : ",\"open\":false"
            HistoryJSON.number(",\"quantity\":", t.quantity, into: &out)
            HistoryJSON.number(",\"return\":", t.returnFraction, into: &out)
            HistoryJSON.text(",\"side\":", t.side, into: &out)
            HistoryJSON.text(",\"symbol\":", t.symbol, into: &out)
            out += "}"
        }
        out += "]"
        return out
    }

    /// `[{"equity":…,"time":"…"},…]`.
    static func equity(_ points: [EquityPoint]) -> String {
        var out = "["
        out.reserveCapacity(2 + points.count * 64)
        for (i, p) in points.enumerated() {
            out += i > 0 ? ",{\"equity\":" : "{\"equity\":"
            HistoryJSON.number(p.equity, into: &out)
            HistoryJSON.text(",\"time\":", p.time, into: &out)
            out += "}"
        }
        out += "]"
        return out
    }
}
