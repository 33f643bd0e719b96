import TradewindEngine

/// The engine's cost arithmetic of a cash account, for kernels that model every cost setting
/// (`ExactKernel.coversCostModels`): the configured `CommissionModel` and `SlippageModel` themselves, and whole-share
/// rounding, step for step as `SimulationContext.execute` sizes and books a fill.
public struct KernelAccount: Sendable, Hashable {
    public var commission: CommissionModel
    public var slippage: SlippageModel
    public var wholeShares: Bool

    public init(commission: CommissionModel = .none, slippage: SlippageModel = .none, wholeShares: Bool = false) {
        self.commission = commission
        self.slippage = slippage
        self.wholeShares = wholeShares
    }

    /// The cost settings of `config`.
    public init(_ config: BacktestConfig) {
        self.init(commission: config.commission, slippage: config.slippage, wholeShares: config.wholeShares)
    }

    /// A market-type buy fill's price at `price` (slipped).
    @inline(__always) public func buyPrice(_ price: Double) -> Double { slippage.apply(price, side: .buy) }
    /// A market-type sell fill's price at `price` (slipped).
    @inline(__always) public func sellPrice(_ price: Double) -> Double { slippage.apply(price, side: .sell) }

    /// A buy of `total` units (before whole-share rounding) at the fill price `price` with `cash` on hand: the
    /// quantity and commission, or nil when the order is rejected (nothing after rounding, or more than the cash).
    @inline(__always) public func buy(_ total: Double, price: Double, cash: Double) -> (quantity: Double, commission: Double)? {
        var q = total
        if wholeShares { q = (q + 1e-9).rounded(.down) }
        guard q > 0 else { return nil }
        let fee = commission.commission(quantity: q, price: price)
        guard !(q * price + fee > cash + max(abs(cash), 1) * 1e-9) else { return nil }
        return (q, fee)
    }

    /// A buy with all the cash (`OrderSize.allAvailable`).
    @inline(__always) public func buyAll(price: Double, cash: Double) -> (quantity: Double, commission: Double)? {
        buy(commission.maxQuantity(budget: cash, price: price), price: price, cash: cash)
    }

    /// The commission of selling `q` at `price`.
    @inline(__always) public func sellCommission(_ q: Double, price: Double) -> Double {
        commission.commission(quantity: q, price: price)
    }
}
