import TradewindAnalytics
import TradewindCore
import TradewindIndicators

/// The exact fast evaluator of `rsi2` with its hedge (the traded symbol and the hedge run together, e.g. TQQQ with
/// SQQQ), over many parameter sets on one pair of daily series with the same bar times.
///
/// Each parameter set is one pass over the bars replaying `RSI2`'s orders as the engine executes them
/// (`SimulationContext`): the traded symbol's orders are matched before the hedge's on a bar (they were submitted
/// first), market orders fill at the next open (or at the signal's close with close fills, in submission order),
/// `equityFraction` orders are sized at the fill on the equity marked at the bar's closes (cash plus the positions
/// in symbol order), a buy the cash cannot pay is rejected, and the protective stop works from the bar after the
/// entry. The equity has one point per bar, `cash + (value of symbol 0 + value of symbol 1)`, as the engine writes it.
public enum RSI2HedgeKernel {
    /// The hedge's settings (`hedge_size`, `hedge_entry`, `hedge_exit`).
    public struct Hedge: Sendable, Hashable {
        /// Hedge value as a fraction of equity (0 = never hedge).
        public var size: Double
        /// Buy the hedge when the traded symbol's RSI ≥ this.
        public var entry: Double
        /// Sell the hedge when the traded symbol's RSI ≤ this.
        public var exit: Double

        public init(size: Double = 0.3, entry: Double = 90, exit: Double = 60) {
            self.size = size
            self.entry = entry
            self.exit = exit
        }
    }

    /// One parameter set: `rsi2`'s rules on the traded symbol and its hedge.
    public struct Parameters: Sendable, Hashable {
        public var rsi2: RSI2Kernel.Parameters
        public var hedge: Hedge

        public init(rsi2: RSI2Kernel.Parameters = RSI2Kernel.Parameters(), hedge: Hedge = Hedge()) {
            self.rsi2 = rsi2
            self.hedge = hedge
        }
    }

    /// One parameter set's result: the figures, and (when recorded) the closed trades in the engine's order, each
    /// with the index of its symbol in the run (`tradedIndex` or the other).
    public struct Run: Sendable {
        public var metrics: KernelMetrics
        public var trades: [KernelTrade]
        public var tradeSymbols: [Int]
    }

    /// Why the two series cannot be evaluated together (nil when they can): daily bars with the same times.
    public static func unsupportedReason(traded: BarSeries, hedge: BarSeries) -> String? {
        if traded.interval != .daily || hedge.interval != .daily { return "the hedged kernel takes daily bars" }
        if traded.time != hedge.time {
            return "\(traded.symbol) and \(hedge.symbol) do not have bars at the same times (the hedged kernel needs aligned bars)"
        }
        return nil
    }

    /// Every parameter set on `traded` and `hedge` (the run's two symbols; `tradedIndex` is the traded one's place
    /// in the run's symbol order, 0 or 1), with the engine's cost arithmetic of `account`.
    public static func evaluate(traded: BarSeries, hedge: BarSeries, tradedIndex: Int, parameters: [Parameters],
                                initialCash: Double = 100_000, account: KernelAccount = KernelAccount(), fillAtClose: Bool = false,
                                zone: ZoneRules = .newYork, recordTrades: Bool = false,
                                threads: ThreadBudget = .all) throws(KernelError) -> [Run] {
        try IntradayKernel.validate(initialCash: initialCash, costs: .none)
        if let why = unsupportedReason(traded: traded, hedge: hedge) { throw .unsupportedData(why) }
        guard tradedIndex == 0 || tradedIndex == 1 else {
            throw .invalidParameter(name: "traded index", value: "\(tradedIndex)", expected: "0 or 1 (two symbols in the run)")
        }
        try IntradaySessionData.checkPrices(traded)
        try IntradaySessionData.checkPrices(hedge)
        for p in parameters {
            try RSI2Kernel.validate(p.rsi2)
            let h = p.hedge
            if !(h.size >= 0 && h.size <= 0.3) { throw .invalidParameter(name: "hedge_size", value: "\(h.size)", expected: "0...0.3") }
            if !(h.exit >= 0 && h.entry <= 100 && h.exit < h.entry) {
                throw .invalidParameter(name: "hedge_exit/hedge_entry", value: "\(h.exit)/\(h.entry)", expected: "0 ≤ hedge_exit < hedge_entry ≤ 100")
            }
        }
        let (rsi, passes) = try RSI2Kernel.columns(traded, parameters.map(\.rsi2))
        let gaps = account.sessionGaps(traded, zone: zone)
        let runs = threads.map(parameters.count) { k in
            let p = parameters[k]
            return run(traded: traded, hedge: hedge, tradedFirst: tradedIndex == 0, rsi: rsi[p.rsi2.rsiPeriod]!, p: p,
                       initialCash: initialCash, account: account, fillAtClose: fillAtClose, passes: passes[p.rsi2.filters],
                       gaps: gaps, record: recordTrades)
        }
        if runs.contains(where: { $0 == nil }) { throw .unsupportedData(KernelAccount.splitFillReason) }
        return runs.map { $0! }
    }

    /// One leg's position: quantity, entry fill and its commission, entry bar.
    struct Leg {
        var q = 0.0, entryPrice = 0.0, entryFee = 0.0, entryBar = -1
    }

    /// One parameter set, bar by bar.
    /// In a margin account each buy is checked against the buying power (the other leg's value counted in the gross
    /// exposure) and the maintenance check after the bar's fills liquidates both legs at the close, in symbol order;
    /// a new session first books the margin interest of a negative balance (`gaps`). nil when the volume cap would
    /// split a fill.
    static func run(traded: BarSeries, hedge: BarSeries, tradedFirst: Bool, rsi: [Double], p: Parameters, initialCash: Double,
                    account: KernelAccount, fillAtClose: Bool, passes: [Bool]?, gaps: [Double]?, record: Bool) -> Run? {
        let rules = p.rsi2, h = p.hedge
        var cash = initialCash
        var t = Leg(), g = Leg()
        var stop = Double.nan, stopFrom = Int.max
        var buyT = false, sellT = false, buyH = false, sellH = false
        var before = initialCash
        var trades = 0, wins = 0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = [], symbols: [Int] = []
        var split = false
        let n = traded.count
        let tradedIndex = tradedFirst ? 0 : 1
        traded.open.withUnsafeBufferPointer { openT in
        traded.low.withUnsafeBufferPointer { lowT in
        traded.close.withUnsafeBufferPointer { closeT in
        hedge.open.withUnsafeBufferPointer { openH in
        hedge.close.withUnsafeBufferPointer { closeH in
        traded.volume.withUnsafeBufferPointer { volumeT in
        hedge.volume.withUnsafeBufferPointer { volumeH in
            var i = 0
            /// Equity at bar `i`'s closes: cash plus the positions' values in symbol order (`markedEquity`).
            func equity() -> Double {
                let vt = t.q != 0 ? t.q * closeT[i] : 0, vh = g.q != 0 ? g.q * closeH[i] : 0
                return cash + (tradedFirst ? vt + vh : vh + vt)
            }
            /// Gross exposure at bar `i`'s closes, in symbol order (`grossValue`).
            func gross() -> Double {
                let vt = t.q != 0 ? abs(t.q * closeT[i]) : 0, vh = g.q != 0 ? abs(g.q * closeH[i]) : 0
                return tradedFirst ? vt + vh : vh + vt
            }
            /// A buy worth `fraction` of the equity at `price` with the other leg's value `others` at the closes: the new
            /// leg, or nil when the account refuses it (or the volume cap would split it).
            func buy(fraction: Double, price: Double, others: Double, volume: Double) -> Leg? {
                let equityNow = equity()
                let total = fraction * equityNow / price
                switch account.buy(total, price: price, cash: cash, equity: equityNow, others: others, volume: volume) {
                case .rejected: return nil
                case .split: split = true; return nil
                case .filled(let qty, let fee):
                    cash -= qty * price + fee
                    return Leg(q: qty, entryPrice: price, entryFee: fee, entryBar: i)
                }
            }
            func buyHedge(_ price: Double) {
                if let leg = buy(fraction: h.size, price: price, others: t.q != 0 ? abs(t.q * closeT[i]) : 0, volume: volumeH[i]) { g = leg }
            }
            func sell(_ leg: inout Leg, symbol: Int, price: Double, why: KernelExitReason) {
                let q = leg.q
                if why != .marginCall && account.sellSplits(q, volume: symbol == tradedIndex ? volumeT[i] : volumeH[i]) {
                    split = true
                    return
                }
                let fee = account.sellCommission(q, price: price)
                cash -= (-q) * price + fee
                trades += 1
                let net = (price - leg.entryPrice) * q - leg.entryFee - fee
                if net > 0 { wins += 1 }
                ledger.close(netPnL: net)
                if record {
                    list.append(KernelTrade(entryBar: leg.entryBar, exitBar: i, entryPrice: leg.entryPrice, exitPrice: price,
                                            quantity: q, reason: why))
                    symbols.append(symbol)
                }
                leg = Leg()
            }
            func buyTraded(_ price: Double) {
                guard let leg = buy(fraction: rules.positionSize, price: price, others: g.q != 0 ? abs(g.q * closeH[i]) : 0,
                                    volume: volumeT[i]) else { return }
                t = leg
                if rules.stopLoss > 0 { stop = price * (1 - rules.stopLoss / 100); stopFrom = i + 1 }
            }
            func sellTraded(_ price: Double, _ why: KernelExitReason) {
                sell(&t, symbol: tradedIndex, price: price, why: why)
                stop = .nan
                stopFrom = .max
            }
            while i < n {
                if let gaps, i > 0 { cash = account.financed(cash: cash, days: gaps[i]) }
                // Fills at this bar's open: the traded symbol's orders, then the hedge's.
                if buyT {
                    buyT = false
                    buyTraded(account.buyPrice(openT[i]))
                } else if t.q > 0 {
                    if sellT {
                        sellT = false
                        sellTraded(account.sellPrice(openT[i]), .signal)
                    } else if i >= stopFrom {
                        if openT[i] <= stop {
                            sellTraded(account.sellPrice(openT[i]), .stop)
                        } else if lowT[i] <= stop {
                            sellTraded(account.sellPrice(stop), .stop)
                        }
                    }
                }
                if buyH {
                    buyH = false
                    buyHedge(account.buyPrice(openH[i]))
                } else if sellH {
                    sellH = false
                    if g.q > 0 { sell(&g, symbol: 1 - tradedIndex, price: account.sellPrice(openH[i]), why: .signal) }
                }
                // A margin account's maintenance check after the bar's fills: both legs sold at this close, in symbol order.
                if (t.q != 0 || g.q != 0) && account.marginCall(equity: equity(), gross: gross()) {
                    for symbol in 0..<2 {
                        if symbol == tradedIndex {
                            if t.q != 0 { sellTraded(account.sellPrice(closeT[i]), .marginCall) }
                        } else if g.q != 0 {
                            sell(&g, symbol: symbol, price: account.sellPrice(closeH[i]), why: .marginCall)
                        }
                    }
                }
                if split { break }
                // The strategy's decisions on this bar's close (`RSI2.onBar`).
                let r = rsi[i]
                if !r.isNaN {
                    var placeBuyT = false, placeSellT = false, placeBuyH = false, placeSellH = false
                    if t.q > 0 {
                        if r >= rules.exit { placeSellT = true; stop = .nan; stopFrom = .max }
                    } else if r <= rules.entry && passes?[i] ?? true {
                        placeBuyT = true
                    }
                    if g.q == 0 && r >= h.entry && h.size > 0 {
                        placeBuyH = true
                    } else if g.q > 0 && r <= h.exit {
                        placeSellH = true
                    }
                    if fillAtClose {
                        // Close fills in submission order: the traded symbol's order, then the hedge's.
                        if placeSellT { sellTraded(account.sellPrice(closeT[i]), .signal) }
                        if placeBuyT { buyTraded(account.buyPrice(closeT[i])) }
                        if placeBuyH { buyHedge(account.buyPrice(closeH[i])) }
                        if placeSellH { sell(&g, symbol: 1 - tradedIndex, price: account.sellPrice(closeH[i]), why: .signal) }
                    } else {
                        sellT = placeSellT
                        buyT = placeBuyT
                        buyH = placeBuyH
                        sellH = placeSellH
                    }
                }
                if split { break }
                let e = equity()
                ledger.mark(e, before: before)
                if t.q != 0 || g.q != 0 { ledger.heldBars += 1 }
                before = e
                i += 1
            }
        }}}}}}}
        if split { return nil }
        let m = KernelMetrics(finalEquity: before, totalReturn: before / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: ledger.sum, sumSquares: ledger.sumSquares, count: n),
                              maxDrawdown: ledger.minRatio - 1,
                              summary: KernelSummary(ledger, bars: n, periodsPerYear: Annualization.periodsPerYear(for: traded.interval),
                                                     initialCash: initialCash, finalEquity: before, trades: trades))
        return Run(metrics: m, trades: list, tradeSymbols: symbols)
    }
}
