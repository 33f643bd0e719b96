import TradewindCore

/// The minimum the trade statistics need to know about one closed trade. The engine maps its fills
/// onto this: one record per round trip (entry to full exit), long or short.
public struct TradeRecord: Sendable, Equatable, Codable {
    /// Time of the entry bar (bar START, as every Tradewind instant).
    public var entryTime: UnixNanos
    /// Time of the exit bar.
    public var exitTime: UnixNanos
    /// Profit or loss in account currency, AFTER commissions and slippage. Its sign decides win/loss.
    public var netPnL: Double
    /// Return of the trade as a fraction of the capital committed at entry (0.05 = +5 %), after costs.
    public var returnPct: Double
    /// Bars the position was held (entry bar to exit bar; ≥ 0).
    public var barsHeld: Int

    public init(entryTime: UnixNanos, exitTime: UnixNanos, netPnL: Double, returnPct: Double, barsHeld: Int) {
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.netPnL = netPnL
        self.returnPct = returnPct
        self.barsHeld = barsHeld
    }

    enum CodingKeys: String, CodingKey {
        case entryTime = "entry_time", exitTime = "exit_time", netPnL = "net_pnl", returnPct = "return_pct"
        case barsHeld = "bars_held"
    }
}
