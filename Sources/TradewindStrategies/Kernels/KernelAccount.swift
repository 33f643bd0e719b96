import TradewindCore
import TradewindEngine

/// The engine's account arithmetic, for kernels that model every cost and account setting
/// (`ExactKernel.coversCostModels`, `ExactKernel.coversAccount`): the configured `CommissionModel` and `SlippageModel`
/// themselves, whole-share rounding, a cash or margin account (`AccountModel`), the volume cap and financing, step for
/// step as `SimulationContext.execute`, `affordableQuantity`, `accountProblem`, `checkMaintenance` and
/// `accrueFinancing` do it for a long-only strategy.
///
/// A kernel follows one fill at a time: `buy`/`buyAll` size and check a buy, `sellSplits` says whether a sale would
/// be split by the volume cap, `marginCall` whether the maintenance check liquidates, `financed` the cash after a new
/// session's margin interest.
public struct KernelAccount: Sendable, Hashable {
    public var commission: CommissionModel
    public var slippage: SlippageModel
    public var wholeShares: Bool
    /// A cash account (no borrowing) or a margin account (buys up to equity ÷ initial margin, liquidated at the close
    /// when equity falls below the maintenance margin of the gross exposure).
    public var model: AccountModel
    /// At most this fraction of a bar's volume fills on that bar (nil: no cap).
    public var volumeCap: Double?
    /// Interest on a negative cash balance (a margin loan), accrued at each new session (Actual/360); a short borrow
    /// fee never applies to the long-only kernels.
    public var financing: FinancingModel

    public init(commission: CommissionModel = .none, slippage: SlippageModel = .none, wholeShares: Bool = false,
                model: AccountModel = .cash, volumeCap: Double? = nil, financing: FinancingModel = .none) {
        self.commission = commission
        self.slippage = slippage
        self.wholeShares = wholeShares
        self.model = model
        self.volumeCap = volumeCap
        self.financing = financing
    }

    /// The cost and account settings of `config`.
    public init(_ config: BacktestConfig) {
        self.init(commission: config.commission, slippage: config.slippage, wholeShares: config.wholeShares,
                  model: config.account, volumeCap: config.volumeParticipation, financing: config.financing)
    }

    /// What the account does with an order at one fill.
    public enum Fill: Sendable, Hashable {
        /// It fills whole: the quantity and its commission.
        case filled(quantity: Double, commission: Double)
        /// It is rejected (nothing after rounding, more than the cash or the buying power).
        case rejected
        /// The volume cap lets only part of it fill on this bar (the rest keeps working): the engine's partial fills,
        /// which the kernels leave to the engine.
        case split
    }

    /// A market-type buy fill's price at `price` (slipped).
    @inline(__always) public func buyPrice(_ price: Double) -> Double { slippage.apply(price, side: .buy) }
    /// A market-type sell fill's price at `price` (slipped).
    @inline(__always) public func sellPrice(_ price: Double) -> Double { slippage.apply(price, side: .sell) }

    /// True when interest accrues (a margin rate above 0).
    public var accruesInterest: Bool { financing.marginInterestRate > 0 }

    /// A buy of `total` units (before whole-share rounding) at the fill price `price` on a bar with `volume`, with
    /// `cash` on hand, the account's `equity` marked at the bar's closes and `others` the gross value of the other
    /// symbols' positions (margin accounts): `execute`'s sizing, volume cap and account check.
    @inline(__always) public func buy(_ total: Double, price: Double, cash: Double, equity: Double, others: Double = 0,
                                      volume: Double = .infinity) -> Fill {
        var q = total
        if wholeShares { q = (q + 1e-9).rounded(.down) }
        guard q > 0 else { return .rejected }
        if let cap = volumeCap {
            var maxQ = cap * volume
            if wholeShares { maxQ = maxQ.rounded(.down) }
            if q > maxQ { return .split }
        }
        let fee = commission.commission(quantity: q, price: price)
        switch model {
        case .cash:
            guard !(q * price + fee > cash + max(abs(cash), 1) * 1e-9) else { return .rejected }
        case .margin(let initial, _):
            let gross = others + abs(q) * price
            let equityAfter = equity - fee
            guard !(gross * initial > equityAfter * (1 + 1e-9)) else { return .rejected }
        }
        return .filled(quantity: q, commission: fee)
    }

    /// A buy with all the buying power (`OrderSize.allAvailable`) while flat in this symbol: the cash on hand in a
    /// cash account, equity ÷ initial margin less the other positions' gross value in a margin account.
    @inline(__always) public func buyAll(price: Double, cash: Double, equity: Double, others: Double = 0,
                                         volume: Double = .infinity) -> Fill {
        switch model {
        case .cash:
            return buy(commission.maxQuantity(budget: cash, price: price), price: price, cash: cash, equity: equity,
                       others: others, volume: volume)
        case .margin(let initial, _):
            // `affordableQuantity` with nothing to close and no position on the same side.
            let closing = 0.0, sameSide = 0.0
            var q = commission.maxQuantity(budget: equity / initial - others - sameSide, price: price)
            for _ in 0..<8 {
                let c = commission.commission(quantity: closing + q, price: price)
                let fit = max(((equity - c) / initial - others - sameSide) / price, 0)
                if fit >= q { break }
                q = fit
            }
            return buy(closing + q * (1 - 1e-12), price: price, cash: cash, equity: equity, others: others, volume: volume)
        }
    }

    /// The cash-account forms of `buy` and `buyAll` (equity = cash, no volume cap): the quantity and commission, or nil
    /// when rejected. For kernels that cover the cost settings only.
    @inline(__always) public func buy(_ total: Double, price: Double, cash: Double) -> (quantity: Double, commission: Double)? {
        if case .filled(let q, let fee) = buy(total, price: price, cash: cash, equity: cash) { return (q, fee) }
        return nil
    }

    /// A buy with all the cash (`OrderSize.allAvailable`) in a cash account.
    @inline(__always) public func buyAll(price: Double, cash: Double) -> (quantity: Double, commission: Double)? {
        buy(commission.maxQuantity(budget: cash, price: price), price: price, cash: cash)
    }

    /// Why a kernel gave a batch back to the engine after `.split`.
    public static let splitFillReason = "the volume cap (--volume-cap) splits a fill over several bars: the engine's partial fills run on the engine"

    /// True when selling `q` on a bar with `volume` would be split by the volume cap.
    @inline(__always) public func sellSplits(_ q: Double, volume: Double) -> Bool {
        guard let cap = volumeCap else { return false }
        var maxQ = cap * volume
        if wholeShares { maxQ = maxQ.rounded(.down) }
        return q > maxQ
    }

    /// The commission of selling `q` at `price`.
    @inline(__always) public func sellCommission(_ q: Double, price: Double) -> Double {
        commission.commission(quantity: q, price: price)
    }

    /// True when a margin account's maintenance check liquidates every position: `equity` (marked at the closes)
    /// below the maintenance margin of the `gross` exposure.
    @inline(__always) public func marginCall(equity: Double, gross: Double) -> Bool {
        guard case .margin(_, let maintenance) = model, gross > 0 else { return false }
        return equity < maintenance * gross
    }

    /// The cash after a new session `days` calendar days after the previous one: a negative balance pays the margin
    /// rate (Actual/360), as `accrueFinancing` books it.
    @inline(__always) public func financed(cash: Double, days: Double) -> Double {
        guard days > 0 else { return cash }
        let rate = financing.marginInterestRate / 360 * days
        if rate > 0 && cash < 0 {
            let interest = -cash * rate
            return cash - interest
        }
        return cash
    }

    /// Per bar of daily `series`: the calendar days since the bar before (0 for the first), the bars' session dates
    /// in `zone` as the engine's market columns number them; nil when no interest accrues.
    public func sessionGaps(_ series: BarSeries, zone: ZoneRules) -> [Double]? {
        guard accruesInterest else { return nil }
        var gaps = [Double](repeating: 0, count: series.count)
        var previous: Int64 = 0
        for i in 0..<series.count {
            let day = UnixTime.floorDiv(zone.localNanos(fromUTC: series.time[i]), UnixTime.nanosPerDay)
            if i > 0 { gaps[i] = Double(day - previous) }
            previous = day
        }
        return gaps
    }
}
