import TradewindAnalytics
import TradewindCore
import TradewindIndicators

/// The exact fast evaluator of `rsi2` with its entry filters and without a hedge, over many parameter sets on one symbol.
///
/// Each distinct RSI period is computed once (with `TradewindIndicators.RSI`, bit-identical to the strategy's); every parameter
/// set is then one pass over the bars replaying the strategy's orders as the engine executes them: market orders
/// at the next open, the protective stop from the bar after the entry fill (at the stop, or the open when the bar
/// opens below it), the stop cancelled by the RSI exit. Parameter sets run in parallel on all cores.
///
/// Exact for one symbol with next-open fills, a cash account, fractional shares, percent-of-value commission and
/// bps slippage (`KernelCosts`); metrics follow `KernelMetrics` with one equity point per bar.
public enum RSI2Kernel {
    public struct Parameters: Sendable, Hashable {
        public var rsiPeriod: Int
        public var entry: Double
        public var exit: Double
        /// Percent below the entry fill; 0 = no stop.
        public var stopLoss: Double
        public var positionSize: Double
        /// The entry filters (`rsi2`'s): each off by default.
        public var filters = Filters()

        public init(rsiPeriod: Int = 2, entry: Double = 30, exit: Double = 75, stopLoss: Double = 5, positionSize: Double = 0.9,
                    filters: Filters = Filters()) {
            self.rsiPeriod = rsiPeriod
            self.entry = entry
            self.exit = exit
            self.stopLoss = stopLoss
            self.positionSize = positionSize
            self.filters = filters
        }
    }

    /// `rsi2`'s entry filters: close below the bar's VWAP (daily bars: its typical price weighted by its volume), close
    /// above SMA(trend_period), volume ≥ min_volume (0 = off), close below the lower band of BBANDS(bb_period, bb_std).
    public struct Filters: Sendable, Hashable {
        public var vwap = false
        public var trend = false
        public var trendPeriod = 20
        public var minVolume = 0.0
        public var bollinger = false
        public var bbPeriod = 20
        public var bbStd = 2.0

        public init(vwap: Bool = false, trend: Bool = false, trendPeriod: Int = 20, minVolume: Double = 0,
                    bollinger: Bool = false, bbPeriod: Int = 20, bbStd: Double = 2) {
            self.vwap = vwap
            self.trend = trend
            self.trendPeriod = trendPeriod
            self.minVolume = minVolume
            self.bollinger = bollinger
            self.bbPeriod = bbPeriod
            self.bbStd = bbStd
        }

        /// True when no filter is on.
        public var areOff: Bool { !vwap && !trend && !(minVolume > 0) && !bollinger }

        /// Per bar of a daily series: whether every enabled filter passes, computed with the strategy's own
        /// indicators in its order (`RSI2.onBar`); nil when none is on.
        func passes(_ series: BarSeries) throws -> [Bool]? {
            guard !areOff else { return nil }
            var sma = try SMA(timeperiod: trendPeriod)
            var bands = try BBANDS(timeperiod: bbPeriod, nbdevup: bbStd, nbdevdn: bbStd)
            var out = [Bool](repeating: false, count: series.count)
            for i in 0..<series.count {
                let c = series.close[i], h = series.high[i], l = series.low[i], v = series.volume[i]
                let trendValue = sma.update(c) ?? .nan
                let lowerBand = bands.update(c)?.lowerband ?? .nan
                let typical = (h + l + c) / 3
                // One bar per session: the session's VWAP so far is this bar's.
                let pv = 0 + typical * v, volume = 0 + v
                let vwapValue = volume > 0 ? pv / volume : typical
                var pass = true
                if vwap && !(c < vwapValue) { pass = false }
                if trend && !(c > trendValue) { pass = false }
                if minVolume > 0 && !(v >= minVolume) { pass = false }
                if bollinger && !(c < lowerBand) { pass = false }
                out[i] = pass
            }
            return out
        }
    }

    public static func evaluate(series: BarSeries, parameters: [Parameters], initialCash: Double = 100_000,
                                costs: KernelCosts = .none, account: KernelAccount? = nil, fillAtClose: Bool = false,
                                zone: ZoneRules = .newYork, recordTrades: Bool = false,
                                threads: ThreadBudget = .all) throws(KernelError) -> KernelGridResult {
        try IntradayKernel.validate(initialCash: initialCash, costs: costs)
        try IntradaySessionData.checkPrices(series)
        for p in parameters { try validate(p) }
        let (table, filterTable) = try columns(series, parameters)
        // The cost arithmetic: `account` when given (any commission model, spread, whole shares), else `costs`.
        let book = account ?? KernelAccount(commission: .percentOfValue(costs.commission),
                                            slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none)
        let out = SMACrossKernel.Results(count: parameters.count, record: recordTrades)
        let gaps = book.sessionGaps(series, zone: zone)
        let workers = threads.workers(for: parameters.count)
        threads.forEach(workers) { w in
            var k = w
            while k < parameters.count {
                if let r = run(series: series, rsi: table[parameters[k].rsiPeriod]!, p: parameters[k], initialCash: initialCash,
                               account: book, fillAtClose: fillAtClose, passes: filterTable[parameters[k].filters], gaps: gaps,
                               record: recordTrades) {
                    out.store(k, r)
                }
                k += workers
            }
        }
        if out.slots.contains(where: { $0 == nil }) { throw .unsupportedData(KernelAccount.splitFillReason) }
        return out.result(initialCash: initialCash)
    }

    /// Throws when `p` is outside the strategy's ranges.
    static func validate(_ p: Parameters) throws(KernelError) {
        if !(p.rsiPeriod >= 1 && p.rsiPeriod <= 500) {
            throw .invalidParameter(name: "rsi_period", value: "\(p.rsiPeriod)", expected: "1...500")
        }
        if !(p.entry >= 0 && p.exit <= 100 && p.entry < p.exit) {
            throw .invalidParameter(name: "entry/exit", value: "\(p.entry)/\(p.exit)", expected: "0 ≤ entry < exit ≤ 100")
        }
        if !(p.stopLoss >= 0 && p.stopLoss <= 99) { throw .invalidParameter(name: "stop_loss", value: "\(p.stopLoss)", expected: "0...99") }
        if !(p.positionSize > 0 && p.positionSize <= 1) {
            throw .invalidParameter(name: "position_size", value: "\(p.positionSize)", expected: "0 < size ≤ 1")
        }
    }

    /// The RSI column of each distinct period and the filter column of each distinct filter setting in `parameters`,
    /// computed once on `series`.
    static func columns(_ series: BarSeries, _ parameters: [Parameters]) throws(KernelError) -> (rsi: [Int: [Double]], passes: [Filters: [Bool]]) {
        var rsi: [Int: [Double]] = [:]
        for period in Set(parameters.map(\.rsiPeriod)) {
            guard let indicator = try? RSI(timeperiod: period) else {
                throw .invalidParameter(name: "rsi_period", value: "\(period)", expected: "2...100000")
            }
            rsi[period] = indicator.batch(series.close)[0]
        }
        var passes: [Filters: [Bool]] = [:]
        for f in Set(parameters.map(\.filters)) where !f.areOff {
            guard let column = try? f.passes(series) else {
                throw .invalidParameter(name: "filters", value: "\(f)", expected: "trend_period, bb_period ≥ 2 and bb_std > 0")
            }
            passes[f] = column
        }
        return (rsi, passes)
    }

    /// One parameter set. With `fillAtClose` the market orders fill at the signal bar's close (slipped) instead of
    /// the next open; the stop still works from the bar after the entry fill.
    /// In a margin account the buy is checked against the buying power and the maintenance check after the bar's
    /// fills liquidates at the close; a new session first books the margin interest of a negative balance (`gaps`).
    /// nil when the volume cap would split a fill.
    static func run(series: BarSeries, rsi: [Double], p: Parameters, initialCash: Double, account: KernelAccount,
                    fillAtClose: Bool = false, passes: [Bool]? = nil, gaps: [Double]? = nil, record: Bool) -> SMACrossKernel.PairResult? {
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1, entryFee = 0.0
        var pendingBuy = false, pendingSell = false, stop = Double.nan, stopFrom = Int.max
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        var split = false
        let n = series.count
        series.open.withUnsafeBufferPointer { open in
        series.low.withUnsafeBufferPointer { low in
        series.close.withUnsafeBufferPointer { close in
        series.volume.withUnsafeBufferPointer { volume in
            func sell(_ i: Int, _ price: Double, _ why: KernelExitReason) {
                if why != .marginCall && account.sellSplits(q, volume: volume[i]) { split = true; return }
                let fee = account.sellCommission(q, price: price)
                cash -= (-q) * price + fee
                trades += 1
                let net = (price - entryPrice) * q - entryFee - fee
                if net > 0 { wins += 1 }
                ledger.close(netPnL: net)
                if record {
                    list.append(KernelTrade(entryBar: entryBar, exitBar: i, entryPrice: entryPrice, exitPrice: price, quantity: q, reason: why))
                }
                q = 0
                stop = .nan
                stopFrom = .max
            }
            func buy(_ i: Int, _ price: Double) {
                // `equityFraction(position_size)` while flat: the equity is the cash.
                switch account.buy(p.positionSize * cash / price, price: price, cash: cash, equity: cash, volume: volume[i]) {
                case .rejected: break
                case .split: split = true
                case .filled(let qty, let fee):
                    cash -= qty * price + fee
                    q = qty; entryPrice = price; entryBar = i; entryFee = fee
                    if p.stopLoss > 0 { stop = price * (1 - p.stopLoss / 100); stopFrom = i + 1 }
                }
            }
            for i in 0..<n {
                if let gaps, i > 0 { cash = account.financed(cash: cash, days: gaps[i]) }
                // Fills at this bar (before the strategy sees it).
                if pendingBuy {
                    pendingBuy = false
                    buy(i, account.buyPrice(open[i]))
                } else if q > 0 {
                    if pendingSell {
                        pendingSell = false
                        sell(i, account.sellPrice(open[i]), .signal)
                    } else if i >= stopFrom {
                        if open[i] <= stop { sell(i, account.sellPrice(open[i]), .stop) } else if low[i] <= stop { sell(i, account.sellPrice(stop), .stop) }
                    }
                }
                // A margin account's maintenance check after the bar's fills: liquidation at this close.
                if q > 0 && account.marginCall(equity: cash + q * close[i], gross: abs(q * close[i])) {
                    sell(i, account.sellPrice(close[i]), .marginCall)
                }
                if split { return }
                // The strategy's decision on this bar's close.
                let r = rsi[i]
                if !r.isNaN {
                    if q > 0 {
                        if r >= p.exit {
                            if fillAtClose { sell(i, account.sellPrice(close[i]), .signal) } else { pendingSell = true; stop = .nan; stopFrom = .max }
                        }
                    } else if r <= p.entry && passes?[i] ?? true {
                        if fillAtClose { buy(i, account.buyPrice(close[i])) } else { pendingBuy = true }
                    }
                }
                if split { return }
                let e = cash + q * close[i]
                let ret = e / before - 1
                sum += ret
                sumSquares += ret * ret
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
        return SMACrossKernel.PairResult(metrics: m, trades: list)
    }
}
