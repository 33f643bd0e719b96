/// Price impact applied against the trader on market-type executions (market, stop, trailing stop,
/// market-on-open/close, and stop-limits that trigger through their limit). Limit fills are never slipped.
public enum SlippageModel: Sendable, Hashable {
    case none
    /// Buys pay `price × (1 + bps/10 000)`, sells receive `price × (1 − bps/10 000)`.
    case basisPoints(Double)
    /// Half of a quoted spread (in price units) is paid on each side: buys pay `price + spread/2`.
    case halfSpread(Double)

    @inlinable public func apply(_ price: Double, side: OrderSide) -> Double {
        switch self {
        case .none: return price
        case .basisPoints(let b): return price * (1 + side.sign * b / 10_000)
        case .halfSpread(let s): return price + side.sign * s / 2
        }
    }
}
