import TradewindEngine

/// A backtest's trade log, equity curve and summary written by hand: the text JSONEncoder makes (sorted keys, the
/// same numbers and string escapes) of `[TradeLogRow]`, of the equity points with their times as the server's
/// `Timestamps` write them, and of `BacktestSummary`, without the encoder's boxing, key sorting and dictionary per
/// element, which was half of `POST /api/backtest`'s CPU time (`perf`, release build, after the data stopped being
/// parsed per request). Numbers and timestamps are formatted on the stack and the text is assembled as bytes
/// (appending to a `String` piece by piece cost more than the numbers); the tests compare all three with
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

    /// `BacktestSummary` as JSONEncoder writes it (sorted keys, a missing value's key left out). A non-finite number,
    /// which the encoder refuses (failing the whole request), is written as null.
    static func summary(_ s: BacktestSummary) -> String {
        var out = Members(bytes: [])
        out.bytes.reserveCapacity(1024)
        out.bytes.emit("{")
        out.number("avg_loss", s.avgLoss)
        out.number("avg_loss_pct", s.avgLossPct)
        out.number("avg_win", s.avgWin)
        out.number("avg_win_pct", s.avgWinPct)
        out.integer("bars", s.bars)
        out.number("cagr", s.cagr)
        out.number("calmar", s.calmar)
        out.text("end", s.end)
        out.number("exposure", s.exposure)
        out.number("final_equity", s.finalEquity)
        out.number("initial_capital", s.initialCapital)
        out.number("max_drawdown", s.maxDrawdown)
        out.integer("open_trades", s.openTrades)
        out.integer("orders", s.orders)
        out.text("parameters", s.parameters)
        out.number("periods_per_year", s.periodsPerYear)
        out.number("profit_factor", s.profitFactor)
        out.integer("rejected_orders", s.rejectedOrders)
        out.number("sharpe", s.sharpe)
        out.number("sortino", s.sortino)
        out.text("start", s.start)
        out.text("strategy", s.strategy)
        out.key("symbols")
        out.bytes.emit("[")
        for (i, symbol) in s.symbols.enumerated() {
            if i > 0 { out.bytes.emit(",") }
            HistoryJSON.string(symbol, into: &out.bytes)
        }
        out.bytes.emit("]")
        out.number("total_commission", s.totalCommission)
        out.number("total_financing", s.totalFinancing)
        out.number("total_return", s.totalReturn)
        out.number("total_slippage", s.totalSlippage)
        out.integer("trades", s.trades)
        out.number("volatility", s.volatility)
        out.number("win_rate", s.winRate)
        out.bytes.emit("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// An object's members, a comma before all but the first.
    private struct Members {
        var bytes: [UInt8]
        var first = true

        mutating func key(_ name: StaticString) {
            bytes.emit(first ? "\"" : ",\"")
            first = false
            bytes.emit(name)
            bytes.emit("\":")
        }

        /// A missing value's member is left out, as JSONEncoder leaves out a nil optional.
        mutating func number(_ name: StaticString, _ value: Double?) {
            guard let value else { return }
            key(name)
            HistoryJSON.number(value, into: &bytes)
        }

        mutating func integer(_ name: StaticString, _ value: Int) {
            key(name)
            bytes.emit(text: value.description)
        }

        mutating func text(_ name: StaticString, _ value: String) {
            key(name)
            HistoryJSON.string(value, into: &bytes)
        }
    }
}
