import TradewindAnalytics
import TradewindCore
import TradewindData

/// The straightforward reference for the intraday family: every parameter set is simulated on its own by
/// scanning every regular-hours bar of every session with a small state machine (flat → armed → long → done),
/// the way a GPU grid search evaluates one combination per thread. It shares no search structure with
/// `IntradayKernel` (no sorted walks, no reuse between parameter sets), which is what makes it a check on it,
/// and it is what the kernel benchmark measures the kernel against.
public enum IntradayBruteForce {
    /// Evaluates the parameter sets `indices` of `grid` (all when nil); results are indexed like `indices`.
    /// - Parameter account: the engine's own cost models (any commission, spread slippage, whole shares) instead of
    ///   `costs` (a percent commission and bps slippage on fractional shares).
    public static func evaluate(rule: IntradayEntryRule, data: IntradaySessionData, grid: IntradayGrid,
                                indices: [Int]? = nil, initialCash: Double = 100_000, costs: KernelCosts = .none,
                                account: KernelAccount? = nil, referenceTime: Int = 580,
                                recordTrades: Bool = false) throws(KernelError) -> KernelGridResult {
        try IntradayKernel.validate(initialCash: initialCash, costs: costs)
        let which = indices ?? Array(0..<grid.count)
        var acc = EquityAccumulators(count: which.count, initialCash: initialCash)
        var lists: [[KernelTrade]]? = recordTrades ? [] : nil
        for (slot, index) in which.enumerated() {
            let p = grid.parameters(at: index)
            var trades: [KernelTrade] = []
            simulate(rule: rule, data: data, p: p, initialCash: initialCash, costs: costs, account: account,
                     referenceTime: referenceTime, slot: slot, acc: &acc, record: recordTrades, trades: &trades)
            lists?.append(trades)
        }
        return acc.result(initialCash: initialCash, returnCount: data.returnCount, bars: data.series.count,
                          periodsPerYear: data.periodsPerYear, trades: lists)
    }

    static func simulate(rule: IntradayEntryRule, data: IntradaySessionData, p: IntradayParameters, initialCash: Double,
                         costs: KernelCosts, account: KernelAccount? = nil, referenceTime: Int, slot: Int, acc: inout EquityAccumulators,
                         record: Bool, trades: inout [KernelTrade]) {
        let s = data.series, view = data.sessions
        let c = costs.commission, buyF = costs.buyFactor, sellF = costs.sellFactor
        // Market-type fill prices (slipped): the account's slippage model, or the bps factors.
        func bought(_ price: Double) -> Double { account?.buyPrice(price) ?? price * buyF }
        func sold(_ price: Double) -> Double { account?.sellPrice(price) ?? price * sellF }
        let buyMul = 1 + p.buyTrigger / 100, sellMul = 1 + p.sellTrigger / 100, stopMul = 1 - p.stopLoss / 100
        for si in 0..<view.sessionCount {
            let prev = view.previousClose[si]
            guard rule == .vwapMomentum || (prev.isFinite && prev > 0) else { continue }
            let buyAt = data.instant(minutes: p.buyTime, session: si)
            let refAt = data.instant(minutes: referenceTime, session: si)
            let level = prev * buyMul
            var decided = false, long = false, done = false
            var entryBar = -1, entry = 0.0, target = 0.0, stop = 0.0
            var pv = 0.0, v = 0.0, ref = Double.nan
            var exitBar = -1, exit = 0.0, why = KernelExitReason.close
            let last = view.endBar[si] - 1
            for i in view.firstBar[si]...last {
                if done { break }
                if !long {
                    if decided { continue }
                    // Bars starting before buy_time only feed vwap-momentum's VWAP and reference close; the first bar
                    // starting at or after buy_time is the entry's first (open entries: only) chance, whatever its start.
                    let working = s.time[i] >= buyAt
                    switch rule {
                    case .momentum:
                        if working && s.high[i] >= level {
                            long = true; entryBar = i; entry = bought(max(level, s.open[i]))
                        }
                    case .openAbove:
                        if working {
                            decided = true
                            if s.open[i] > level { long = true; entryBar = i; entry = bought(s.open[i]) }
                        }
                    case .vwapMomentum:
                        if working {
                            decided = true
                            if v > 0 && s.open[i] > pv / v && !ref.isNaN && s.open[i] >= ref * buyMul {
                                long = true; entryBar = i; entry = bought(s.open[i])
                            }
                        } else {
                            pv += (s.high[i] + s.low[i] + s.close[i]) / 3 * s.volume[i]
                            v += s.volume[i]
                            // The latest bar starting in or before the reference_time minute sets the reference (a
                            // reference_time at or after buy_time has none).
                            if refAt < buyAt && s.time[i] < refAt + UnixTime.nanosPerMinute { ref = s.close[i] }
                        }
                    }
                    if long {
                        target = entry * sellMul
                        stop = p.stopLoss > 0 ? entry * stopMul : -Double.infinity
                    }
                    continue
                }
                // Long, on a bar after the entry bar: the open first, then the low (stop) before the high (target).
                if s.open[i] >= target {
                    exit = s.open[i]; why = .target
                } else if s.open[i] <= stop {
                    exit = sold(s.open[i]); why = .stop
                } else if s.low[i] <= stop {
                    exit = sold(stop); why = .stop
                } else if s.high[i] >= target {
                    exit = target; why = .target
                } else {
                    continue
                }
                exitBar = i; long = false; done = true
            }
            if long { exitBar = last; exit = sold(s.close[last]); why = .close }
            guard exitBar >= 0 else { continue }
            let e0 = acc.equity[slot]
            let q: Double, held: Double, e2: Double, netPnL: Double
            if let account {
                // The engine's sizing: all the cash, or shares worth the initial cash when affordable, else all the cash
                // (`OrderSize.notionalOrAvailable`); then whole-share rounding and the cash check.
                var total = account.commission.maxQuantity(budget: e0, price: entry)
                if !p.compound {
                    let notional = initialCash / entry
                    let fee = account.commission.commission(quantity: notional, price: entry)
                    if !(notional * entry + fee > e0 + max(abs(e0), 1) * 1e-9) { total = notional }
                }
                guard let (quantity, fee) = account.buy(total, price: entry, cash: e0) else { continue }
                let exitFee = account.sellCommission(quantity, price: exit)
                q = quantity
                held = e0 - (q * entry + fee)
                e2 = held - ((-q) * exit + exitFee)
                netPnL = (exit - entry) * q - fee - exitFee
            } else {
                guard let quantity = KernelSizing.quantity(cash: e0, initialCash: initialCash, compound: p.compound, entry: entry,
                                                           commission: c) else { continue }
                q = quantity
                e2 = KernelSizing.cashAfter(cash: e0, quantity: q, entry: entry, exit: exit, commission: c)
                held = e0 - (q * entry + (q * entry) * c)
                netPnL = BarLedger.netPnL(quantity: q, entry: entry, exit: exit, commission: c)
            }
            let win = account == nil ? exit * (1 - c) > entry * (1 + c) : netPnL > 0
            // Every bar from the entry fill to the exit fill, as the engine records it.
            s.close.withUnsafeBufferPointer { close in
                acc.ledgers[slot].walkTrade(close: close, entryBar: entryBar, exitBar: exitBar, cashBefore: e0, cashHeld: held,
                                            quantity: q, cashAfter: e2)
            }
            acc.ledgers[slot].close(netPnL: netPnL)
            acc.equity.withUnsafeMutableBufferPointer { eq in
            acc.peak.withUnsafeMutableBufferPointer { pk in
            acc.maxDrawdown.withUnsafeMutableBufferPointer { dd in
            acc.sumReturn.withUnsafeMutableBufferPointer { sr in
            acc.sumSquares.withUnsafeMutableBufferPointer { sq in
            acc.trades.withUnsafeMutableBufferPointer { tr in
            acc.wins.withUnsafeMutableBufferPointer { wn in
                EquityAccumulators.apply(slot, equityBefore: e0, after: e2, win: win, eq.baseAddress!, pk.baseAddress!,
                                         dd.baseAddress!, sr.baseAddress!, sq.baseAddress!, tr.baseAddress!, wn.baseAddress!)
            }}}}}}}
            if record { trades.append(KernelTrade(entryBar: entryBar, exitBar: exitBar, entryPrice: entry, exitPrice: exit,
                                               quantity: q, reason: why)) }
        }
    }
}
