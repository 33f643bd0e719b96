import TradewindEngine

/// A backtest's trade log and equity curve written by hand: the text JSONEncoder makes (sorted keys, the same numbers
/// and string escapes) of `[TradeLogRow]` and of the equity points with their times as the server's `Timestamps`
/// write them (the summary's writer is the engine's `BacktestSummary.json`), without the encoder's boxing, key sorting
/// and dictionary per element, which was half of `POST /api/backtest`'s CPU time (`perf`, release build, after the
/// data stopped being parsed per request). Numbers and timestamps are formatted on the stack and the text is
/// assembled as bytes (appending to a `String` piece by piece cost more than the numbers); the tests compare both with
/// JSONEncoder's bytes.
enum BacktestJSON {
    /// `[{"bars_held":…,"entry_price":…,…,"symbol":…},…]`.
    static func trades(_ rows: [TradeLogRow]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 + rows.count * 300)
        out.emit("[")
        for (i, t) in rows.enumerated() {
            if i > 0 { out.emit(",") }
            out.emit("{\"bars_held\":")
            out.emit(text: t.barsHeld.description)
            HistoryJSON.number(",\"entry_price\":", t.entryPrice, into: &out)
            HistoryJSON.text(",\"entry_time\":", t.entryTime, into: &out)
            HistoryJSON.number(",\"exit_price\":", t.exitPrice, into: &out)
            HistoryJSON.text(",\"exit_time\":", t.exitTime, into: &out)
            HistoryJSON.number(",\"net_pnl\":", t.netPnL, into: &out)
            if t.open { out.emit(",\"open\":true") } else { out.emit(",\"open\":false") }
            HistoryJSON.number(",\"quantity\":", t.quantity, into: &out)
            HistoryJSON.number(",\"return\":", t.returnFraction, into: &out)
            HistoryJSON.text(",\"side\":", t.side, into: &out)
            HistoryJSON.text(",\"symbol\":", t.symbol, into: &out)
            out.emit("}")
        }
        out.emit("]")
        return String(decoding: out, as: UTF8.self)
    }

    /// `[{"equity":…,"time":"…"},…]`, each time as `times` writes it.
    static func equity(_ points: [EquityPoint], times: Timestamps) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 + points.count * 64)
        out.emit("[")
        for (i, p) in points.enumerated() {
            if i > 0 { out.emit(",") }
            out.emit("{\"equity\":")
            HistoryJSON.number(p.equity, into: &out)
            out.emit(",\"time\":")
            out.emit(quoted: p.time, times)
            out.emit("}")
        }
        out.emit("]")
        return String(decoding: out, as: UTF8.self)
    }
}
