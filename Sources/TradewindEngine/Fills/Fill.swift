import TradewindCore

/// One execution of (part of) an order.
public struct Fill: Sendable, Hashable {
    public let orderID: OrderID
    public let symbol: Int
    public let side: OrderSide
    /// Executed quantity (positive).
    public let quantity: Double
    /// Execution price, slippage included.
    public let price: Double
    public let commission: Double
    /// Cost of slippage in account currency (quantity × |price − unslipped price|).
    public let slippageCost: Double
    public let time: UnixNanos
    public let step: Int
}
