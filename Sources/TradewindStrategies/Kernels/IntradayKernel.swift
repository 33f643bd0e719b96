import TradewindCore
import TradewindData

/// The exact fast evaluator of the intraday momentum family (`momentum`, `open-10am`, `open-10am-stop`,
/// `vwap-momentum`) over a grid of parameter sets on one symbol.
///
/// It walks the sessions once, and in each session:
/// * finds every buy trigger's entry bar by one forward walk over the bars from the first working bar (the first
///   bar starting at or after `buy_time`, whatever bars are missing before it): the
///   triggers are sorted, so the first bar whose high reaches a level is monotone in the level (the walk only
///   ever stops on running-maximum "record" highs), amortised O(1) per trigger;
/// * for each distinct entry (bar, price), finds every target's and every stop's first-passage bar by two more
///   monotone walks (targets ascending, stops descending), then resolves each (target, stop) pair in O(1);
/// * applies each resulting trade to the struct-of-arrays accumulators of the combinations that take it
///   (equity, peak, drawdown, sums of session returns, trades, wins), and its held bars to the combination's
///   `BarLedger` in O(1) through the entry's `HeldBarPrefix` (the engine summary's bar-level figures). Sessions
///   without a trade cost nothing per combination: their returns are 0.
///
/// The trading rules and cost arithmetic are those documented on `IntradayEntryRule`, `KernelCosts` and
/// `IntradayParameters`; `IntradayBruteForce` is the bar-by-bar reference it is tested against.
public enum IntradayKernel {
    /// Evaluates every parameter set of `grid`.
    ///
    /// - Parameters:
    ///   - referenceTime: `vwap-momentum`'s reference time (minutes after midnight, 09:40 = 580): the close of the
    ///     session's latest bar starting at or before it is the reference.
    ///   - recordTrades: also return each combination's trade list (memory grows with grid × trades).
    public static func evaluate(rule: IntradayEntryRule, data: IntradaySessionData, grid: IntradayGrid,
                                initialCash: Double = 100_000, costs: KernelCosts = .none, referenceTime: Int = 580,
                                recordTrades: Bool = false) throws(KernelError) -> KernelGridResult {
        try validate(initialCash: initialCash, costs: costs)
        var acc = EquityAccumulators(count: grid.count, initialCash: initialCash)
        var lists: [[KernelTrade]]? = recordTrades ? [[KernelTrade]](repeating: [], count: grid.count) : nil
        let series = data.series
        series.time.withUnsafeBufferPointer { time in
        series.open.withUnsafeBufferPointer { open in
        series.high.withUnsafeBufferPointer { high in
        series.low.withUnsafeBufferPointer { low in
        series.close.withUnsafeBufferPointer { close in
        series.volume.withUnsafeBufferPointer { volume in
            let bars = Bars(time: time, open: open, high: high, low: low, close: close, volume: volume)
            run(rule: rule, data: data, bars: bars, grid: grid, initialCash: initialCash, costs: costs,
                referenceTime: referenceTime, acc: &acc, lists: &lists)
        }}}}}}
        return acc.result(initialCash: initialCash, returnCount: data.returnCount, bars: data.series.count,
                          periodsPerYear: data.periodsPerYear, trades: lists)
    }

    static func validate(initialCash: Double, costs: KernelCosts) throws(KernelError) {
        if !(initialCash > 0 && initialCash.isFinite) {
            throw .invalidParameter(name: "initial cash", value: "\(initialCash)", expected: "a positive finite amount")
        }
        if !(costs.commission >= 0 && costs.commission < 1) {
            throw .invalidParameter(name: "commission", value: "\(costs.commission)", expected: "a fraction 0 ≤ c < 1 (0.001 = 0.1 %)")
        }
        if !(costs.slippageBps >= 0 && costs.slippageBps < 10_000) {
            throw .invalidParameter(name: "slippage", value: "\(costs.slippageBps) bps", expected: "0 ≤ bps < 10000")
        }
    }

    struct Bars {
        let time: UnsafeBufferPointer<UnixNanos>
        let open: UnsafeBufferPointer<Double>
        let high: UnsafeBufferPointer<Double>
        let low: UnsafeBufferPointer<Double>
        let close: UnsafeBufferPointer<Double>
        let volume: UnsafeBufferPointer<Double>
    }

    // swiftlint:disable:next function_body_length
    static func run(rule: IntradayEntryRule, data: IntradaySessionData, bars: Bars, grid: IntradayGrid,
                    initialCash: Double, costs: KernelCosts, referenceTime: Int,
                    acc: inout EquityAccumulators, lists: inout [[KernelTrade]]?) {
        let nBuy = grid.buyTriggers.count, nSell = grid.sellTriggers.count, nStop = grid.stopLosses.count
        let nComp = grid.compound.count
        let pairs = nSell * nStop
        let c = costs.commission, buyF = costs.buyFactor, sellF = costs.sellFactor
        // Scratch, allocated once per run.
        var entryBar = [Int](repeating: 0, count: nBuy)
        var entryPx = [Double](repeating: 0, count: nBuy)
        var proceeds = [Double](repeating: 0, count: pairs)     // per share, after slippage and commission
        var exitBar = [Int](repeating: 0, count: pairs)
        var exitPx = [Double](repeating: 0, count: pairs)
        var reason = [KernelExitReason](repeating: .close, count: pairs)
        var targetBar = [Int](repeating: 0, count: nSell)
        var stopBar = [Int](repeating: 0, count: nStop)
        let sellMul = grid.sellTriggers.map { 1 + $0 / 100 }
        let stopMul = grid.stopLosses.map { 1 - $0 / 100 }
        let buyMul = grid.buyTriggers.map { 1 + $0 / 100 }
        let compound = grid.compound
        let recording = lists != nil
        let view = data.sessions
        var prefix = HeldBarPrefix()
        defer { prefix.deallocate() }
        var prefixBar = -1, prefixEnd = -1, neededEnd = -1

        acc.ledgers.withUnsafeMutableBufferPointer { lgB in
        acc.equity.withUnsafeMutableBufferPointer { eqB in
        acc.peak.withUnsafeMutableBufferPointer { pkB in
        acc.maxDrawdown.withUnsafeMutableBufferPointer { ddB in
        acc.sumReturn.withUnsafeMutableBufferPointer { srB in
        acc.sumSquares.withUnsafeMutableBufferPointer { sqB in
        acc.trades.withUnsafeMutableBufferPointer { trB in
        acc.wins.withUnsafeMutableBufferPointer { wnB in
            let eq = eqB.baseAddress!, pk = pkB.baseAddress!, dd = ddB.baseAddress!, sr = srB.baseAddress!
            let sq = sqB.baseAddress!, tr = trB.baseAddress!, wn = wnB.baseAddress!, lg = lgB.baseAddress!
            for s in 0..<view.sessionCount {
                let prev = view.previousClose[s]
                // vwap-momentum does not use the previous close; the others need one.
                guard rule == .vwapMomentum || (prev.isFinite && prev > 0) else { continue }
                let first = view.firstBar[s], end = view.endBar[s], last = end - 1
                for (ti, minutes) in grid.buyTimes.enumerated() {
                    let buyInstant = data.instant(minutes: minutes, session: s)
                    // The first bar starting at or after buy_time: the entry order works from it (end when none).
                    let working = IntradaySessionData.firstBar(bars.time, first, end, endingAtOrAfter: buyInstant, offset: 0)
                    // 1. Entries for the ascending buy triggers (a prefix of them trades).
                    var trading = 0
                    switch rule {
                    case .momentum:
                        var cur = working
                        if cur >= end { break }
                        for k in 0..<nBuy {
                            let level = prev * buyMul[k]
                            while cur < end && bars.high[cur] < level { cur += 1 }
                            if cur == end { break }
                            entryBar[k] = cur
                            entryPx[k] = max(level, bars.open[cur])
                            trading = k + 1
                        }
                    case .openAbove:
                        let e = working
                        if e >= end { break }
                        let o = bars.open[e]
                        for k in 0..<nBuy {
                            guard o > prev * buyMul[k] else { break }
                            entryBar[k] = e
                            entryPx[k] = o
                            trading = k + 1
                        }
                    case .vwapMomentum:
                        let e = working
                        // The reference bar: the latest one starting at or before reference_time, which must be before
                        // buy_time (so r < e).
                        let r = IntradaySessionData.firstBar(bars.time, first, end,
                                                             endingAtOrAfter: data.instant(minutes: referenceTime, session: s),
                                                             offset: -UnixTime.nanosPerMinute) - 1
                        if referenceTime >= minutes || e >= end || r < first { break }
                        var pv = 0.0, v = 0.0
                        for i in first..<e {
                            pv += (bars.high[i] + bars.low[i] + bars.close[i]) / 3 * bars.volume[i]
                            v += bars.volume[i]
                        }
                        let o = bars.open[e]
                        guard v > 0, o > pv / v else { break }
                        let ref = bars.close[r]
                        for k in 0..<nBuy {
                            guard o >= ref * buyMul[k] else { break }
                            entryBar[k] = e
                            entryPx[k] = o
                            trading = k + 1
                        }
                    }
                    // 2. Exits per distinct entry, 3. trades into the accumulators.
                    var lastE = -1, lastP = Double.nan
                    for k in 0..<trading {
                        let e = entryBar[k]
                        let pB = entryPx[k] * buyF
                        if e != lastE || pB != lastP {
                            if e != lastE { neededEnd = e }
                            lastE = e
                            lastP = pB
                            var cur = e + 1
                            for j in 0..<nSell {
                                let target = pB * sellMul[j]
                                while cur < end && bars.high[cur] < target { cur += 1 }
                                targetBar[j] = cur
                            }
                            cur = e + 1
                            for m in 0..<nStop {
                                if grid.stopLosses[m] == 0 { stopBar[m] = end; continue }
                                let stop = pB * stopMul[m]
                                while cur < end && bars.low[cur] > stop { cur += 1 }
                                stopBar[m] = cur
                            }
                            for j in 0..<nSell {
                                let jt = targetBar[j]
                                let target = pB * sellMul[j]
                                for m in 0..<nStop {
                                    let js = stopBar[m]
                                    let x: Double, xb: Int, why: KernelExitReason
                                    if jt == end && js == end {
                                        x = bars.close[last] * sellF; xb = last; why = .close
                                    } else if jt < js {
                                        x = max(target, bars.open[jt]); xb = jt; why = .target
                                    } else if js < jt {
                                        x = min(pB * stopMul[m], bars.open[js]) * sellF; xb = js; why = .stop
                                    } else if bars.open[jt] >= target {
                                        x = bars.open[jt]; xb = jt; why = .target
                                    } else {
                                        x = min(pB * stopMul[m], bars.open[js]) * sellF; xb = js; why = .stop
                                    }
                                    let p = j * nStop + m
                                    proceeds[p] = x * (1 - c)
                                    exitBar[p] = xb
                                    neededEnd = max(neededEnd, xb)
                                    exitPx[p] = x
                                    reason[p] = why
                                }
                            }
                        }
                        // The held-bar prefix from this entry, up to the latest exit bar of its trades.
                        if e != prefixBar || neededEnd > prefixEnd {
                            prefixBar = e
                            prefixEnd = max(neededEnd, e)
                            prefix.fill(close: bars.close, from: e, end: prefixEnd + 1)
                        }
                        let cost = pB * (1 + c)
                        let entryReturn = HeldBarPrefix.entryReturn(close: bars.close, entryBar: e, entry: pB, commission: c)
                        let base = grid.index(time: ti, buy: k, sell: 0, stop: 0, compound: 0)
                        for p in 0..<pairs {
                            let x = exitPx[p]
                            let win = proceeds[p] > cost
                            for ci in 0..<nComp {
                                let i = base + p * nComp + ci
                                let e0 = eq[i]
                                guard let q = KernelSizing.quantity(cash: e0, initialCash: initialCash, compound: compound[ci],
                                                                    entry: pB, commission: c) else { continue }
                                let e2 = KernelSizing.cashAfter(cash: e0, quantity: q, entry: pB, exit: x, commission: c)
                                EquityAccumulators.apply(i, equityBefore: e0, after: e2, win: win, eq, pk, dd, sr, sq, tr, wn)
                                let held = e0 - (q * pB + (q * pB) * c)
                                prefix.apply(to: &lg[i], close: bars.close, entryBar: e, exitBar: exitBar[p], cashBefore: e0,
                                             cashHeld: held, quantity: q, cashAfter: e2, entryReturn: entryReturn)
                                lg[i].close(netPnL: BarLedger.netPnL(quantity: q, entry: pB, exit: x, commission: c))
                                if recording {
                                    lists![i].append(KernelTrade(entryBar: e, exitBar: exitBar[p], entryPrice: pB,
                                                                 exitPrice: exitPx[p], quantity: q, reason: reason[p]))
                                }
                            }
                        }
                    }
                }
            }
        }}}}}}}}
    }
}

extension IntradayKernel {
    /// Evaluates `grid` on every symbol of a universe, a symbol per worker within `threads` (default: every
    /// core); results are in `universe` order.
    public static func evaluate(rule: IntradayEntryRule, universe: [IntradaySessionData], grid: IntradayGrid,
                                initialCash: Double = 100_000, costs: KernelCosts = .none, referenceTime: Int = 580,
                                threads: ThreadBudget = .all) throws(KernelError) -> [KernelGridResult] {
        try validate(initialCash: initialCash, costs: costs)
        // Inputs were validated above, so a single symbol cannot fail.
        return threads.map(universe.count) { i in
            try! evaluate(rule: rule, data: universe[i], grid: grid, initialCash: initialCash, costs: costs,
                          referenceTime: referenceTime)
        }
    }
}
