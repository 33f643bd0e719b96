import TradewindCore

/// A closed (or, at the end of the run, still open) round trip of a position in one symbol.
///
/// A trade is recorded each time a position is reduced: its quantity is the quantity closed, its entry price
/// the position's average entry price, and its entry commission the pro-rata share of the commissions paid
/// to build the position (vectorbt's "exit trades"). A position still open when the run ends is reported
/// as an open trade marked to the last close, with no exit commission.
public struct Trade: Sendable, Hashable {
    public let symbol: String
    /// `.buy` for a long trade, `.sell` for a short one.
    public let side: OrderSide
    public let entryTime: UnixNanos
    public let exitTime: UnixNanos
    public let entryStep: Int
    public let exitStep: Int
    public let entryPrice: Double
    public let exitPrice: Double
    public let quantity: Double
    /// (exit − entry) × quantity, signed for the direction.
    public let grossPnL: Double
    /// Gross P&L minus entry and exit commissions and borrow fees, plus dividends received while open.
    public let netPnL: Double
    /// Net P&L divided by the entry value (entry price × quantity).
    public let returnFraction: Double
    public let entryCommission: Double
    public let exitCommission: Double
    /// Number of bars (time steps) between entry and exit.
    public let barsHeld: Int
    /// Maximum adverse excursion: the worst unrealised price move against the trade while open, per unit, ≥ 0.
    public let mae: Double
    /// Maximum favourable excursion per unit, ≥ 0.
    public let mfe: Double
    public let isOpen: Bool
}
