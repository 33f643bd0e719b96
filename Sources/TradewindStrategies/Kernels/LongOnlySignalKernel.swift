import Synchronization
import TradewindAnalytics
import TradewindCore
import TradewindEngine

/// A long-only strategy's decisions on one symbol's bars, when they depend on the bars alone (not on fills or the
/// position): the classics that trade through `LongOnly.act` (ema-cross, macd-cross, bollinger-reversion,
/// donchian-breakout). A strategy builds them by replaying its own streaming indicators over the bars, the same
/// calls its `onBar` makes.
public struct LongOnlySignals: Sendable {
    /// Per bar: the buy and the sell signal at its close.
    public var buy: [Bool]
    public var sell: [Bool]
    /// Per bar: for an entry signalled at this bar, the protective stop's distance below the entry fill (a sell stop
    /// from the bar after the fill, cancelled by a sell signal while long, placed when the level is above 0); nil or
    /// NaN: no stop.
    public var stopDistance: [Double]?

    public init(buy: [Bool], sell: [Bool], stopDistance: [Double]? = nil) {
        self.buy = buy
        self.sell = sell
        self.stopDistance = stopDistance
    }
}

/// The one exact evaluator of every long-only, all-in strategy whose signals depend on the bars alone: it replays
/// `LongOnly.act`'s orders as the engine executes them, one symbol, with the engine's own cost and account
/// arithmetic (`KernelAccount`: any commission model, bps or spread slippage, fractional or whole shares, a cash or
/// margin account, margin interest, a volume cap that splits no fill).
///
/// Per bar i: (next-open fills) a pending buy fills at the open with all the cash, a pending sell sells everything at
/// the open, else a working stop (from the bar after the entry fill) sells at the open when the bar opens at or below
/// it, or at the stop when the low reaches it (slipped); then the decision at the close: a sell signal while long
/// cancels the stop; buy without sell while flat buys, sell without buy while long sells (at this close with close
/// fills, at the next open otherwise; an order signalled on the last bar with next-open fills never fills); then the
/// bar's equity `cash + q × close[i]`. In a margin account the buy takes the buying power and the maintenance check
/// after the bar's fills liquidates at the close (before the decision); a new session first books the margin
/// interest of a negative cash balance.
public enum LongOnlySignalKernel {
    /// One parameter set's run; nil when the volume cap would split a fill (the engine's partial fills are left to
    /// the engine). `gaps` (from `KernelAccount.sessionGaps`) are the calendar days before each bar, for the margin
    /// interest of a negative cash balance; nil when none accrues.
    public static func run(series: BarSeries, signals: LongOnlySignals, initialCash: Double, account: KernelAccount,
                           fillAtClose: Bool, gaps: [Double]? = nil, record: Bool = false) -> (metrics: KernelMetrics, trades: [KernelTrade])? {
        let n = series.count
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1, entryFee = 0.0
        var pendingBuy = false, pendingSell = false, stop = Double.nan, stopFrom = Int.max, signalBar = -1
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var split = false
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        series.open.withUnsafeBufferPointer { open in
        series.low.withUnsafeBufferPointer { low in
        series.close.withUnsafeBufferPointer { close in
        series.volume.withUnsafeBufferPointer { volume in
            func buy(_ i: Int, _ price: Double, signalledAt k: Int) {
                // Flat: the marked equity is the cash.
                switch account.buyAll(price: price, cash: cash, equity: cash, volume: volume[i]) {
                case .rejected: return
                case .split: split = true; return
                case .filled(let qty, let fee):
                    cash -= qty * price + fee
                    q = qty; entryPrice = price; entryBar = i; entryFee = fee
                }
                if let d = signals.stopDistance?[k], d.isFinite {
                    let level = price - d
                    if level > 0 { stop = level; stopFrom = i + 1 }
                }
            }
            func sell(_ i: Int, _ price: Double, _ why: KernelExitReason) {
                if why != .marginCall && account.sellSplits(q, volume: volume[i]) { split = true; return }
                let fee = account.sellCommission(q, price: price)
                cash -= (-q) * price + fee
                trades += 1
                let net = (price - entryPrice) * q - entryFee - fee
                if net > 0 { wins += 1 }
                ledger.close(netPnL: net)
                if record {
                    list.append(KernelTrade(entryBar: entryBar, exitBar: i, entryPrice: entryPrice, exitPrice: price, quantity: q,
                                            reason: why))
                }
                q = 0
                stop = .nan
                stopFrom = .max
            }
            for i in 0..<n {
                if let gaps, i > 0 { cash = account.financed(cash: cash, days: gaps[i]) }
                if pendingBuy {
                    pendingBuy = false
                    buy(i, account.buyPrice(open[i]), signalledAt: signalBar)
                } else if pendingSell {
                    pendingSell = false
                    sell(i, account.sellPrice(open[i]), .signal)
                } else if q > 0 && i >= stopFrom {
                    if open[i] <= stop { sell(i, account.sellPrice(open[i]), .stop) } else if low[i] <= stop { sell(i, account.sellPrice(stop), .stop) }
                }
                // A margin account's maintenance check after the bar's fills: liquidation at this close.
                if q > 0 && account.marginCall(equity: cash + q * close[i], gross: abs(q * close[i])) {
                    sell(i, account.sellPrice(close[i]), .marginCall)
                }
                if split { return }
                let b = signals.buy[i], s = signals.sell[i]
                if s && q > 0 { stop = .nan; stopFrom = .max }
                if b && !s && q == 0 {
                    if fillAtClose { buy(i, account.buyPrice(close[i]), signalledAt: i) } else if i + 1 < n { pendingBuy = true; signalBar = i }
                } else if s && !b && q > 0 {
                    if fillAtClose { sell(i, account.sellPrice(close[i]), .signal) } else if i + 1 < n { pendingSell = true }
                }
                if split { return }
                // Flat with the cash unchanged: the return is exactly 0 and nothing else moves.
                if q == 0 && cash == before { continue }
                let e = cash + q * close[i]
                let r = e / before - 1
                sum += r
                sumSquares += r * r
                peak = max(peak, e)
                mdd = min(mdd, e / peak - 1)
                ledger.mark(e, before: before)
                if q != 0 { ledger.heldBars += 1 }
                before = e
            }
        }}}}
        if split { return nil }
        let m = KernelMetrics(finalEquity: before, totalReturn: before / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n), maxDrawdown: mdd,
                              summary: KernelSummary(ledger, bars: n, periodsPerYear: Annualization.periodsPerYear(for: series.interval),
                                                     initialCash: initialCash, finalEquity: before, trades: trades))
        return (m, list)
    }

    /// The `ExactKernel` of a strategy whose `signals` come from its parameters and the bars: one symbol of daily
    /// bars, next-open or close fills, no session policy (plus the common settings). Parameter sets run in parallel
    /// within the thread budget; a set whose signals cannot be built makes the batch go to the engine.
    public static func make(name: String,
                            signals: @escaping @Sendable (StrategyParameters, BarSeries, SignalColumns) throws -> LongOnlySignals)
        -> ExactKernel {
        ExactKernel(
            summary: "LongOnlySignalKernel (\(name)'s signals replayed from its own indicators): one symbol of daily bars, "
                + "next-open or close fills, no session policy, the engine's whole cost and account arithmetic; equal to the "
                + "engine (property-tested).",
            exactMetrics: KernelMetric.all,
            coversCostModels: true,
            coversAccount: true,
            supports: { _, config in ExactKernel.hasNoSessionPolicy(config) },
            prepare: { series in
                guard series.interval == .daily, (try? IntradaySessionData.checkPrices(series)) != nil else { return nil }
                return PreparedKernel { batch, config, threads in
                    guard config.initialCash > 0, config.initialCash.isFinite else { return nil }
                    let account = KernelAccount(config)
                    let gaps = account.sessionGaps(series, zone: config.session.zone)
                    let columns = SignalColumns()
                    let results = threads.map(batch.count) { k -> KernelMetrics? in
                        guard let s = try? signals(batch[k], series, columns), s.buy.count == series.count,
                              s.sell.count == series.count,
                              s.stopDistance.map({ $0.count == series.count }) ?? true else { return nil }
                        return run(series: series, signals: s, initialCash: config.initialCash, account: account,
                                   fillAtClose: config.fillTiming == .signalClose, gaps: gaps)?.metrics
                    }
                    return results.contains { $0 == nil } ? nil : results.map { $0! }
                }
            })
    }
}

/// Indicator columns shared by the parameter sets of one batch (e.g. each EMA period's values once for every
/// ema-cross pair that uses it), computed by the strategy's own streaming indicator on first use. Thread-safe.
public final class SignalColumns: Sendable {
    private let store = Mutex<[String: [Double]]>([:])

    public init() {}

    /// The column named `key`, made by `make` the first time (two threads asking at once may both make it; either
    /// result is the same).
    public func column(_ key: String, _ make: () throws -> [Double]) rethrows -> [Double] {
        if let c = store.withLock({ $0[key] }) { return c }
        let c = try make()
        store.withLock { $0[key] = c }
        return c
    }
}
