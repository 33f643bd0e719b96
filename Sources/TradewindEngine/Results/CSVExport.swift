import TradewindCore

/// CSV exports of a run (ISO 8601 UTC times, full-precision numbers, header row).
extension BacktestResult {
    /// One row per trade: symbol, side, entry/exit time and price, quantity, P&L, commission, bars held, MAE, MFE.
    public func tradesCSV() -> String {
        var s = "symbol,side,entry_time,exit_time,entry_price,exit_price,quantity,gross_pnl,net_pnl,return,entry_commission,exit_commission,bars_held,mae,mfe,open\n"
        for t in trades {
            s += "\(csv(t.symbol)),\(t.side == .buy ? "long" : "short"),\(ISO8601.utc(t.entryTime)),\(ISO8601.utc(t.exitTime)),"
            s += "\(t.entryPrice),\(t.exitPrice),\(t.quantity),\(t.grossPnL),\(t.netPnL),\(t.returnFraction),"
            s += "\(t.entryCommission),\(t.exitCommission),\(t.barsHeld),\(t.mae),\(t.mfe),\(t.isOpen)\n"
        }
        return s
    }

    /// One row per step: time, cash, positions value, equity, gross and net exposure.
    public func equityCSV() -> String {
        var s = "time,cash,positions_value,equity,gross_exposure,net_exposure\n"
        let e = equity
        for i in 0..<e.time.count {
            s += "\(ISO8601.utc(e.time[i])),\(e.cash[i]),\(e.positionsValue[i]),\(e.equity[i]),\(e.grossExposure[i]),\(e.netExposure[i])\n"
        }
        return s
    }

    /// The order log: one row per state change.
    public func ordersCSV() -> String {
        var s = "time,step,order_id,symbol,side,type,status,quantity,price,reason,tag\n"
        for e in orderLog {
            s += "\(ISO8601.utc(e.time)),\(e.step),\(e.orderID),\(csv(e.symbol)),\(e.side.rawValue),\(e.type),\(e.status.rawValue),"
            s += "\(e.quantity),\(e.price),\(csv(e.reason)),\(csv(e.tag))\n"
        }
        return s
    }
}

private func csv(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

extension String {
    fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
