import TradewindCore

extension BacktestSummary {
    /// The summary as JSONEncoder writes it with sorted keys, byte for byte (the same numbers and string escapes, a
    /// missing value's key left out), written by hand: `tradewind backtest --json` prints it and the server stores
    /// it. A non-finite number, which the encoder refuses (failing the whole command or request), is written as null.
    ///
    /// By hand because the encoder's first use in a process (its boxing, key sorting and the runtime's first type
    /// checks) cost a `backtest --json` process about a millisecond, and the server's summary half of its writing.
    public var json: String {
        var out = SummaryMembers()
        out.bytes.reserveCapacity(1024)
        out.bytes.append(UInt8(ascii: "{"))
        out.number("avg_loss", avgLoss)
        out.number("avg_loss_pct", avgLossPct)
        out.number("avg_win", avgWin)
        out.number("avg_win_pct", avgWinPct)
        out.integer("bars", bars)
        out.number("cagr", cagr)
        out.number("calmar", calmar)
        out.text("end", end)
        out.number("exposure", exposure)
        out.number("final_equity", finalEquity)
        out.number("initial_capital", initialCapital)
        out.number("max_drawdown", maxDrawdown)
        out.integer("open_trades", openTrades)
        out.integer("orders", orders)
        out.text("parameters", parameters)
        out.number("periods_per_year", periodsPerYear)
        out.number("profit_factor", profitFactor)
        out.integer("rejected_orders", rejectedOrders)
        out.number("sharpe", sharpe)
        out.number("sortino", sortino)
        out.text("start", start)
        out.text("strategy", strategy)
        out.key("symbols")
        out.bytes.append(UInt8(ascii: "["))
        for (i, symbol) in symbols.enumerated() {
            if i > 0 { out.bytes.append(UInt8(ascii: ",")) }
            out.string(symbol)
        }
        out.bytes.append(UInt8(ascii: "]"))
        out.number("total_commission", totalCommission)
        out.number("total_financing", totalFinancing)
        out.number("total_return", totalReturn)
        out.number("total_slippage", totalSlippage)
        out.integer("trades", trades)
        out.number("volatility", volatility)
        out.number("win_rate", winRate)
        out.bytes.append(UInt8(ascii: "}"))
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

/// An object's members as UTF-8 bytes, a comma before all but the first.
private struct SummaryMembers {
    var bytes: [UInt8] = []
    var first = true

    mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A missing value's member is left out, as JSONEncoder leaves out a nil optional; a non-finite one is null.
    mutating func number(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        key(name)
        JSONNumber.write(value, into: &bytes)
    }

    mutating func integer(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func text(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func string(_ s: String) {
        JSONString.write(s, asJSONEncoder: true) { bytes.append(contentsOf: $0) }
    }
}
