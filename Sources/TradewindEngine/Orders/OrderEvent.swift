import TradewindCore

/// One state change of one order: the order log is the list of these, in the order they happened.
public struct OrderEvent: Sendable, Hashable {
    public let time: UnixNanos
    public let step: Int
    public let orderID: OrderID
    public let symbol: String
    public let side: OrderSide
    public let type: String
    public let status: OrderStatus
    /// Fill quantity for fill events, else the order's resolved quantity when known (0 otherwise).
    public let quantity: Double
    /// Fill price for fill events, else 0.
    public let price: Double
    /// Why the order was rejected, cancelled or expired; empty otherwise.
    public let reason: String
    public let tag: String
}
