import CStrategyKernels
import Synchronization
import TradewindAnalytics
import TradewindCore
import TradewindIndicators

/// The exact fast evaluator of `sma-cross` over many (fast, slow) pairs on one symbol.
///
/// Instead of the engine's order machinery it replays the strategy's few decisions directly: the running sum of
/// closes is computed once, each distinct window's moving average once (with `RollingMean`'s arithmetic, so the
/// averages are bit-identical), and every pair is then one pass over the bars (crossing detectors, a pending
/// next-open order, cash and position) that skips what cannot change a result: flat stretches only look for the
/// next cross up, and the drawdown division runs only where it may set a new low (`fastRun`; bit-identical to
/// the plain per-bar pass `run`). On CPUs with AVX-512 a grid's rows run eight pairs at a time (`eightLaneRun`,
/// bit-identical to `fastRun` and `fastCloseRun`). Pairs run in parallel within the `threads` budget (default: every core).
///
/// Exact for the settings the engine's single-symbol `sma-cross` run uses by default: next-open fills, cash
/// account, fractional shares, percent-of-value commission, bps slippage (`KernelCosts`), no volume cap.
/// Metrics follow `KernelMetrics` with one equity point per bar (daily bars: per session).
public enum SMACrossKernel {
    /// One (fast, slow) pair.
    public struct Pair: Sendable, Hashable {
        public var fast: Int
        public var slow: Int
        public init(fast: Int, slow: Int) { self.fast = fast; self.slow = slow }
    }

    /// A pair's trade (bars are indices into the series; prices include slippage).
    public typealias Trade = KernelTrade

    /// The longest window the kernel takes (sma-cross's `slow` is at most 5,000).
    public static let maximumWindow = 1 << 20

    /// - Parameter fillAtClose: market orders fill at the signal bar's close (`FillTiming.signalClose`, vectorbt's
    ///   default) instead of the next bar's open (`closeRun`).
    ///   `account`: the engine's cost models (any commission, spread slippage, whole shares) instead of `costs`; the
    ///   per-bar passes `run`/`closeRun` then evaluate every pair.
    public static func evaluate(series: BarSeries, pairs: [Pair], initialCash: Double = 100_000, costs: KernelCosts = .none,
                                account: KernelAccount? = nil, fillAtClose: Bool = false, recordTrades: Bool = false,
                                threads: ThreadBudget = .all) throws(KernelError) -> KernelGridResult {
        try IntradayKernel.validate(initialCash: initialCash, costs: costs)
        try IntradaySessionData.checkPrices(series)
        for p in pairs where !(p.fast >= 1 && p.slow >= 2 && p.fast < p.slow && p.slow <= maximumWindow) {
            throw .invalidParameter(name: "fast/slow", value: "\(p.fast)/\(p.slow)", expected: "1 ≤ fast < slow ≤ \(maximumWindow)")
        }
        let n = series.count
        // Running sum as RollingMean keeps it, then each window's average, all in one contiguous column block.
        var cumsum = [Double](repeating: 0, count: n)
        var acc = 0.0
        for i in 0..<n { acc += series.close[i]; cumsum[i] = acc }
        let windows = Array(Set(pairs.flatMap { [$0.fast, $0.slow] })).sorted()
        // Column of each window in the block, indexed by window length.
        var column = [Int](repeating: -1, count: (windows.last ?? 0) + 1)
        for (k, w) in windows.enumerated() { column[w] = k }
        // The averages, one column per window.
        let block = averageColumns(sumsOfCloses: cumsum, windows: windows, threads: threads)
        // Closes are finite and positive, so while their running sum stays finite every average is a number from
        // its window's first full bar on: the premise of `fastRun`. (A sum that overflows takes the reference path.)
        let averagesAreNumbers = n == 0 || cumsum[n - 1].isFinite
        let out = Results(count: pairs.count, record: recordTrades)
        let averages = block, columnOf = column
        let periodsPerYear = Annualization.periodsPerYear(for: series.interval)
        let book = account ?? KernelAccount(commission: .percentOfValue(costs.commission),
                                            slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none)
        let plainCosts = account == nil
        // Under `fastRun`'s and `fastCloseRun`'s premises: where the CPU has the eight-lane loop, the pairs that share a
        // slow window and have consecutive fast windows run eight at a time (a grid is mostly such groups); the rest
        // one by one. The loop's bar-major copy of the averages doubles their memory: taken up to 256 MB of it (20
        // years of daily bars take 4 MB for 99 windows).
        let plan = averagesAreNumbers && plainCosts && eightLanesAvailable && windows.count * n <= 1 << 25
            ? EightLanePlan(pairs: pairs, columnOf: columnOf, width: windows.count) : EightLanePlan(singles: pairs.count)
        let rows = plan.groups.isEmpty ? [] : averageRows(sumsOfCloses: cumsum, windows: windows, threads: threads)
        let workers = threads.workers(for: plan.groups.count + (plan.singles.count + 15) / 16)
        // Work is handed out from a shared counter — a group at a time, then singles in chunks of 16 — so a worker on
        // a core that other processes share takes less of it instead of holding the others up (each pair's result is
        // the same on any worker).
        let chunk = 16
        let nextItem = Atomic<Int>(0)
        threads.forEach(workers) { _ in
            let scratch = plan.groups.isEmpty ? nil : EightLaneScratch(bars: n)
            // Each worker borrows the columns read-only for all its pairs.
            series.open.withUnsafeBufferPointer { open in
            series.close.withUnsafeBufferPointer { close in
            averages.withUnsafeBufferPointer { all in
            rows.withUnsafeBufferPointer { rows in
                func column(_ window: Int) -> UnsafeBufferPointer<Double> {
                    let k = columnOf[window]
                    return UnsafeBufferPointer(rebasing: all[k * n ..< (k + 1) * n])
                }
                func single(_ k: Int) {
                    let p = pairs[k], fast = column(p.fast), slow = column(p.slow)
                    if fillAtClose {
                        let fastResult = averagesAreNumbers && plainCosts
                            ? fastCloseRun(close: close, fast: fast, slow: slow, firstValid: p.slow - 1, initialCash: initialCash,
                                           costs: costs, periodsPerYear: periodsPerYear, record: recordTrades) : nil
                        out.store(k, fastResult ?? closeRun(close: close, fast: fast, slow: slow, initialCash: initialCash,
                                                            account: book, periodsPerYear: periodsPerYear, record: recordTrades))
                        return
                    }
                    let fastResult = averagesAreNumbers && plainCosts
                        ? fastRun(open: open, close: close, fast: fast, slow: slow, firstValid: p.slow - 1,
                                  initialCash: initialCash, costs: costs, periodsPerYear: periodsPerYear,
                                  record: recordTrades) : nil
                    out.store(k, fastResult ?? run(open: open, close: close, fast: fast, slow: slow,
                                                   initialCash: initialCash, account: book, periodsPerYear: periodsPerYear,
                                                   record: recordTrades))
                }
                while true {
                    let item = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
                    if item < plan.groups.count, let scratch {
                        let group = plan.groups[item]
                        let lanes = eightLaneRun(open: open, close: close, rows: rows, rowLength: windows.count, group: group,
                                                 initialCash: initialCash, costs: costs, fillAtClose: fillAtClose,
                                                 periodsPerYear: periodsPerYear, record: recordTrades, scratch: scratch)
                        for (l, pair) in group.pairs.enumerated() {
                            guard let k = pair else { continue }
                            if let result = lanes[l] { out.store(k, result) } else { single(k) }
                        }
                        continue
                    }
                    let first = (item - plan.groups.count) * chunk
                    if first >= plan.singles.count { break }
                    for s in first..<min(first + chunk, plan.singles.count) { single(plan.singles[s]) }
                }
            }}}}
        }
        return out.result(initialCash: initialCash)
    }

    struct PairResult {
        var metrics: KernelMetrics
        var trades: [KernelTrade]
    }

    /// The reference pass: every bar through the two `CrossAbove` detectors, the pending order and the metrics.
    /// `fastRun` reproduces it bit for bit; this one remains for the cases outside `fastRun`'s premises.
    static func run(open: UnsafeBufferPointer<Double>, close: UnsafeBufferPointer<Double>, fast: UnsafeBufferPointer<Double>,
                    slow: UnsafeBufferPointer<Double>, initialCash: Double, account: KernelAccount, periodsPerYear: Double,
                    record: Bool) -> PairResult {
        var above = CrossAbove(), below = CrossAbove()
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1, entryFee = 0.0
        var pendingBuy = false, pendingSell = false
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        let n = close.count
        for i in 0..<n {
            if pendingBuy {
                let price = account.buyPrice(open[i])
                if let (qty, fee) = account.buyAll(price: price, cash: cash) {
                    cash -= qty * price + fee
                    q = qty; entryPrice = price; entryBar = i; entryFee = fee
                }
                pendingBuy = false
            } else if pendingSell {
                let price = account.sellPrice(open[i])
                let fee = account.sellCommission(q, price: price)
                cash -= (-q) * price + fee
                trades += 1
                let net = (price - entryPrice) * q - entryFee - fee
                if net > 0 { wins += 1 }
                ledger.close(netPnL: net)
                if record {
                    list.append(KernelTrade(entryBar: entryBar, exitBar: i, entryPrice: entryPrice, exitPrice: price,
                                            quantity: q, reason: .signal))
                }
                q = 0
                pendingSell = false
            }
            let up = above.update(fast[i], slow[i])
            let down = below.update(slow[i], fast[i])
            if up != down && i + 1 < n {
                if up && q == 0 { pendingBuy = true } else if down && q > 0 { pendingSell = true }
            }
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
        let m = KernelMetrics(finalEquity: before, totalReturn: before / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n), maxDrawdown: mdd,
                              summary: KernelSummary(ledger, bars: n, periodsPerYear: periodsPerYear, initialCash: initialCash,
                                                     finalEquity: before, trades: trades))
        return PairResult(metrics: m, trades: list)
    }

    /// The pass with fills at the signal bar's close: every bar through the two `CrossAbove` detectors; a cross up
    /// while flat buys with all the cash at this bar's close (slipped), a cross down while long sells everything at it,
    /// also on the last bar; then the bar's equity, with the position just taken or without the one just sold.
    static func closeRun(close: UnsafeBufferPointer<Double>, fast: UnsafeBufferPointer<Double>, slow: UnsafeBufferPointer<Double>,
                         initialCash: Double, account: KernelAccount, periodsPerYear: Double, record: Bool) -> PairResult {
        var above = CrossAbove(), below = CrossAbove()
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1, entryFee = 0.0
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        let n = close.count
        for i in 0..<n {
            let up = above.update(fast[i], slow[i])
            let down = below.update(slow[i], fast[i])
            if up != down {
                if up && q == 0 {
                    let price = account.buyPrice(close[i])
                    if let (qty, fee) = account.buyAll(price: price, cash: cash) {
                        cash -= qty * price + fee
                        q = qty; entryPrice = price; entryBar = i; entryFee = fee
                    }
                } else if down && q > 0 {
                    let price = account.sellPrice(close[i])
                    let fee = account.sellCommission(q, price: price)
                    cash -= (-q) * price + fee
                    trades += 1
                    let net = (price - entryPrice) * q - entryFee - fee
                    if net > 0 { wins += 1 }
                    ledger.close(netPnL: net)
                    if record {
                        list.append(KernelTrade(entryBar: entryBar, exitBar: i, entryPrice: entryPrice, exitPrice: price,
                                                quantity: q, reason: .signal))
                    }
                    q = 0
                }
            }
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
        let m = KernelMetrics(finalEquity: before, totalReturn: before / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n), maxDrawdown: mdd,
                              summary: KernelSummary(ledger, bars: n, periodsPerYear: periodsPerYear, initialCash: initialCash,
                                                     finalEquity: before, trades: trades))
        return PairResult(metrics: m, trades: list)
    }

    /// `run`'s result computed segment by segment, bit for bit the same, or nil outside its premises (then the
    /// caller takes `run`).
    ///
    /// Premises: `fast` and `slow` are numbers from `firstValid` on (before it `slow` is NaN, so both detectors
    /// stay reset and nothing fires), the initial cash is at least 1e-100 and the cash while flat is a finite
    /// non-zero amount. Then:
    /// * a bar while flat without a fill is a no-op for the metrics (`e == before == cash`, so the return is
    ///   exactly 0 and peak, drawdown and the sums keep their values), so flat stretches only run the crossing
    ///   test; the metrics run from a buy's fill bar to the following sell's fill bar;
    /// * without NaN, `CrossAbove(a, b)` fires at bar i exactly when `a > b` at i, `a <= b` at i − 1 and `a < b`
    ///   at some bar in `firstValid ..< i`. So once armed (`a <= b` now, `a < b` seen) a detector fires at the first
    ///   bar with `a > b`: each stretch is one comparison per bar. The cross-down detector is always armed when a
    ///   position opens (the cross up that opened it had slow below fast), the cross-up one after every sell;
    /// * the maximum drawdown is the smallest `e / peak − 1`; as `x ↦ x − 1` rounds monotonically it is
    ///   `minRatio − 1` with `minRatio` the smallest rounded `e / peak` (and 1), and a bar needs that division
    ///   only when `e ≤ peak × minRatio` might hold: `drawdownBound` is `minRatio` raised by 2⁻⁴⁰, more than the
    ///   two roundings of `peak × drawdownBound` can take back, so `e > peak × drawdownBound` proves
    ///   `e / peak > minRatio` exactly. Most bars skip the division (one of the two that bound the loop).
    static func fastRun(open: UnsafeBufferPointer<Double>, close: UnsafeBufferPointer<Double>, fast: UnsafeBufferPointer<Double>,
                        slow: UnsafeBufferPointer<Double>, firstValid: Int, initialCash: Double, costs: KernelCosts,
                        periodsPerYear: Double, record: Bool) -> PairResult? {
        let n = close.count
        guard open.count == n, fast.count == n, slow.count == n, firstValid >= 0,
              initialCash.isFinite, initialCash >= 1e-100 else { return nil }
        let c = costs.commission, buyF = costs.buyFactor, sellF = costs.sellFactor
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1
        var before = initialCash, peak = initialCash, sum = 0.0, sumSquares = 0.0
        var minRatio = 1.0, drawdownBound = 1 + 0x1p-40
        var trades = 0, wins = 0, heldBars = 0, downsideSquares = 0.0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        // One bar's metrics at equity e (peak ≥ initial cash ≥ 1e-100 and bound ≥ 2⁻⁵⁰⁰ keep the product normal).
        @inline(__always) func mark(_ e: Double) {
            let r = e / before - 1
            sum += r
            sumSquares += r * r
            let down = min(r, 0)  // branch-free (a sign test per bar mispredicts): adding 0 changes nothing
            downsideSquares += down * down
            peak = e > peak ? e : peak  // `max(peak, e)` for these finite positive peaks, in one `maxsd`
            if !(e > peak * drawdownBound) {
                let ratio = e / peak
                if ratio < minRatio {
                    minRatio = ratio
                    drawdownBound = ratio >= 0x1p-500 ? ratio * (1 + 0x1p-40) : .infinity
                }
            }
            before = e
        }
        // The cross-up detector's state after the last bar tested: fast < slow seen since `firstValid`, and
        // whether a cross up may fire at the next bar (fast ≤ slow now, with fast < slow seen).
        var seenFastBelow = false, armedUp = false
        var i = firstValid
        while i < n {
            // Flat. The detector steps bar by bar only until armed (at the start, and after a buy that got no shares).
            while i < n && !armedUp {
                let f = fast[i], s = slow[i]
                seenFastBelow = seenFastBelow || f < s
                armedUp = seenFastBelow && f <= s
                i += 1
            }
            // Armed, it stays armed while fast ≤ slow: the cross up is the first bar with fast above slow.
            while i < n && !(fast[i] > slow[i]) { i += 1 }
            guard i + 1 < n else { break }  // no cross up, or one on the last bar (no bar to fill the buy)
            armedUp = false
            i += 1
            let buyBar = i
            let buyPrice = open[buyBar] * buyF
            let qty = KernelSizing.quantity(cash: cash, initialCash: initialCash, compound: true, entry: buyPrice, commission: c)!
            guard qty > 0 else { continue }  // no position: the fill bar is a flat bar, still to be tested
            cash = cash - (qty * buyPrice + (qty * buyPrice) * c)
            q = qty; entryPrice = buyPrice; entryBar = buyBar
            // Long: every bar's metrics. The cross-down detector is armed since the cross up (fast > slow, which
            // also counts as "seen") and stays armed while fast ≥ slow: the cross down is the first bar with fast
            // below slow.
            var crossedDown = false
            // `mark` on every held bar, written out on locals so that the running figures stay in registers.
            var s1 = sum, s2 = sumSquares, d2 = downsideSquares, top = peak, low = minRatio, bound = drawdownBound
            var previous = before
            while i < n {
                let e = cash + q * close[i]
                let r = e / previous - 1
                s1 += r
                s2 += r * r
                let down = min(r, 0)
                d2 += down * down
                top = e > top ? e : top
                if !(e > top * bound) {
                    let ratio = e / top
                    if ratio < low {
                        low = ratio
                        bound = ratio >= 0x1p-500 ? ratio * (1 + 0x1p-40) : .infinity
                    }
                }
                previous = e
                crossedDown = fast[i] < slow[i]
                i += 1
                if crossedDown { break }
            }
            sum = s1; sumSquares = s2; downsideSquares = d2; peak = top; minRatio = low; drawdownBound = bound
            before = previous
            heldBars += i - buyBar  // the bars just marked, all with the position open
            guard crossedDown && i < n else { break }  // held to the end, or crossed down on the last bar
            // Fast < slow at the cross down: the cross-up detector is armed again.
            armedUp = true
            // The sell's fill bar: cash, the trade, this bar's metrics; its crossing test is the flat loop's.
            let sellBar = i
            let price = open[sellBar] * sellF
            cash = cash - ((-q) * price + (q * price) * c)
            trades += 1
            if price * (1 - c) > entryPrice * (1 + c) { wins += 1 }
            ledger.close(netPnL: BarLedger.netPnL(quantity: q, entry: entryPrice, exit: price, commission: c))
            if record {
                list.append(KernelTrade(entryBar: entryBar, exitBar: sellBar, entryPrice: entryPrice, exitPrice: price,
                                        quantity: q, reason: .signal))
            }
            q = 0
            mark(cash + q * close[sellBar])
            guard cash.isFinite, cash != 0 else { return nil }
        }
        return pairResult(ledger: ledger, sum: sum, sumSquares: sumSquares, downsideSquares: downsideSquares, peak: peak,
                          minRatio: minRatio, heldBars: heldBars, finalEquity: before, trades: trades, wins: wins, bars: n,
                          periodsPerYear: periodsPerYear, initialCash: initialCash, list: list)
    }

    /// `closeRun`'s result segment by segment, as `fastRun` is `run`'s (same premises; nil outside them): flat
    /// stretches only look for the next cross up, which buys at that bar's close; the held bars (from the buy bar)
    /// are marked on locals until the first bar with fast below slow, which sells at its close.
    static func fastCloseRun(close: UnsafeBufferPointer<Double>, fast: UnsafeBufferPointer<Double>, slow: UnsafeBufferPointer<Double>,
                             firstValid: Int, initialCash: Double, costs: KernelCosts, periodsPerYear: Double,
                             record: Bool) -> PairResult? {
        let n = close.count
        guard fast.count == n, slow.count == n, firstValid >= 0, initialCash.isFinite, initialCash >= 1e-100 else { return nil }
        let c = costs.commission, buyF = costs.buyFactor, sellF = costs.sellFactor
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1
        var before = initialCash, peak = initialCash, sum = 0.0, sumSquares = 0.0, downsideSquares = 0.0
        var minRatio = 1.0, drawdownBound = 1 + 0x1p-40
        var trades = 0, wins = 0, heldBars = 0
        var ledger = BarLedger(initialCash: initialCash)
        var list: [KernelTrade] = []
        var seenFastBelow = false, armedUp = false
        var i = firstValid
        while i < n {
            while i < n && !armedUp {
                let f = fast[i], s = slow[i]
                seenFastBelow = seenFastBelow || f < s
                armedUp = seenFastBelow && f <= s
                i += 1
            }
            while i < n && !(fast[i] > slow[i]) { i += 1 }
            guard i < n else { break }  // no cross up
            armedUp = false
            let buyBar = i
            let buyPrice = close[buyBar] * buyF
            let qty = KernelSizing.quantity(cash: cash, initialCash: initialCash, compound: true, entry: buyPrice, commission: c)!
            guard qty > 0 else { i += 1; continue }  // no position: the cross bar stays flat
            cash = cash - (qty * buyPrice + (qty * buyPrice) * c)
            q = qty; entryPrice = buyPrice; entryBar = buyBar
            // Held bars from the buy bar (fast > slow there) until fast falls below slow.
            var s1 = sum, s2 = sumSquares, d2 = downsideSquares, top = peak, low = minRatio, bound = drawdownBound
            var previous = before
            while i < n && !(fast[i] < slow[i]) {
                let e = cash + q * close[i]
                let r = e / previous - 1
                s1 += r
                s2 += r * r
                let down = min(r, 0)
                d2 += down * down
                top = e > top ? e : top
                if !(e > top * bound) {
                    let ratio = e / top
                    if ratio < low {
                        low = ratio
                        bound = ratio >= 0x1p-500 ? ratio * (1 + 0x1p-40) : .infinity
                    }
                }
                previous = e
                i += 1
            }
            heldBars += i - buyBar
            guard i < n else {
                sum = s1; sumSquares = s2; downsideSquares = d2; peak = top; minRatio = low; drawdownBound = bound
                before = previous
                break  // held to the end
            }
            // The cross down: sell at this bar's close, then the bar's equity.
            let sellBar = i
            let price = close[sellBar] * sellF
            cash = cash - ((-q) * price + (q * price) * c)
            trades += 1
            let net = BarLedger.netPnL(quantity: q, entry: entryPrice, exit: price, commission: c)
            if net > 0 { wins += 1 }
            ledger.close(netPnL: net)
            if record {
                list.append(KernelTrade(entryBar: entryBar, exitBar: sellBar, entryPrice: entryPrice, exitPrice: price,
                                        quantity: q, reason: .signal))
            }
            q = 0
            let e = cash
            let r = e / previous - 1
            s1 += r
            s2 += r * r
            let down = min(r, 0)
            d2 += down * down
            top = e > top ? e : top
            let ratio = e / top
            if ratio < low {
                low = ratio
                bound = ratio >= 0x1p-500 ? ratio * (1 + 0x1p-40) : .infinity
            }
            sum = s1; sumSquares = s2; downsideSquares = d2; peak = top; minRatio = low; drawdownBound = bound
            before = e
            armedUp = true  // fast < slow at the cross down
            i += 1
            guard cash.isFinite, cash != 0 else { return nil }
        }
        return pairResult(ledger: ledger, sum: sum, sumSquares: sumSquares, downsideSquares: downsideSquares, peak: peak,
                          minRatio: minRatio, heldBars: heldBars, finalEquity: before, trades: trades, wins: wins, bars: n,
                          periodsPerYear: periodsPerYear, initialCash: initialCash, list: list)
    }

    /// A segment-wise pass's figures as a pair's result: the running sums, peak, lowest equity / peak and bars held
    /// go into the ledger that closed its trades, and the metrics come from them.
    static func pairResult(ledger: BarLedger, sum: Double, sumSquares: Double, downsideSquares: Double, peak: Double,
                           minRatio: Double, heldBars: Int, finalEquity: Double, trades: Int, wins: Int, bars n: Int,
                           periodsPerYear: Double, initialCash: Double, list: [KernelTrade]) -> PairResult {
        var ledger = ledger
        ledger.sum = sum
        ledger.sumSquares = sumSquares
        ledger.downsideSquares = downsideSquares
        ledger.peak = peak
        ledger.minRatio = minRatio
        ledger.heldBars = heldBars
        let m = KernelMetrics(finalEquity: finalEquity, totalReturn: finalEquity / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n),
                              maxDrawdown: minRatio - 1,
                              summary: KernelSummary(ledger, bars: n, periodsPerYear: periodsPerYear, initialCash: initialCash,
                                                     finalEquity: finalEquity, trades: trades))
        return PairResult(metrics: m, trades: list)
    }

    final class Results: @unchecked Sendable {
        var slots: [PairResult?]
        init(count: Int, record: Bool) { slots = [PairResult?](repeating: nil, count: count) }
        func store(_ k: Int, _ r: PairResult) { slots.withUnsafeMutableBufferPointer { $0[k] = r } }
        func result(initialCash: Double) -> KernelGridResult {
            let r = slots.map { $0! }
            return KernelGridResult(initialCash: initialCash, finalEquity: r.map(\.metrics.finalEquity),
                                    trades: r.map { Int32($0.metrics.trades) }, wins: r.map { Int32($0.metrics.wins) },
                                    sharpe: r.map(\.metrics.sharpe), maxDrawdown: r.map(\.metrics.maxDrawdown),
                                    summaries: r.map(\.metrics.summary), tradeLists: r.map(\.trades))
        }
    }
}

extension SMACrossKernel {
    /// The moving averages window by window, `columns[k × n + i]` the average of `windows[k]` at bar i of n:
    /// (sums[i] − sums[i − w]) / w from the running sums of the closes, sums[w − 1] / w at the window's first full bar,
    /// NaN before it (`tw_window_average_column`: eight bars at a time where the CPU has AVX-512, the same bits). The
    /// windows are split among `threads`; a second thread is worth it only with a few windows for each.
    static func averageColumns(sumsOfCloses sums: [Double], windows: [Int], threads: ThreadBudget) -> [Double] {
        let n = sums.count
        return [Double](unsafeUninitializedCapacity: windows.count * n) { buffer, count in
            count = windows.count * n
            guard let base = buffer.baseAddress, count > 0 else { return }
            let address = Int(bitPattern: base)
            let parts = threads.workers(for: windows.count / 4)
            threads.forEach(parts) { part in
                sums.withUnsafeBufferPointer { sums in
                    guard let out = UnsafeMutablePointer<Double>(bitPattern: address), let sums = sums.baseAddress else { return }
                    var k = part
                    while k < windows.count {
                        tw_window_average_column(sums, n, windows[k], out + k * n)
                        k += parts
                    }
                }
            }
        }
    }
}
