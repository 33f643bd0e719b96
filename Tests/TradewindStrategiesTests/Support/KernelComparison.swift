import Testing
import TradewindEngine
import TradewindStrategies

/// Relative difference, treating two values within 1e-300 of each other as equal.
func relativeDifference(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    return abs(a - b) / max(abs(a), abs(b), 1e-300)
}

/// Expects two grid results to agree: counts exactly, money and statistics within `tolerance` relative,
/// trade lists (when both have them) trade by trade.
func expectSameResults(_ a: KernelGridResult, _ b: KernelGridResult, tolerance: Double = 1e-12,
                       context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(context): sizes differ", sourceLocation: sourceLocation)
    var failures = 0
    for i in 0..<min(a.count, b.count) where failures < 5 {
        let ma = a.metrics(at: i), mb = b.metrics(at: i)
        let ok = ma.trades == mb.trades && ma.wins == mb.wins
            && relativeDifference(ma.finalEquity, mb.finalEquity) <= tolerance
            && abs(ma.sharpe - mb.sharpe) <= tolerance * max(1, abs(mb.sharpe))
            && abs(ma.maxDrawdown - mb.maxDrawdown) <= tolerance
        if !ok {
            failures += 1
            Issue.record("\(context) #\(i): \(ma) vs \(mb)", sourceLocation: sourceLocation)
        }
        if let ta = a.tradeLists?[i], let tb = b.tradeLists?[i], ok {
            if ta.count != tb.count { failures += 1; Issue.record("\(context) #\(i): \(ta.count) vs \(tb.count) trades", sourceLocation: sourceLocation); continue }
            for (x, y) in zip(ta, tb) where !(x.entryBar == y.entryBar && x.exitBar == y.exitBar && x.reason == y.reason
                && relativeDifference(x.entryPrice, y.entryPrice) <= tolerance
                && relativeDifference(x.exitPrice, y.exitPrice) <= tolerance
                && relativeDifference(x.quantity, y.quantity) <= tolerance) {
                failures += 1
                Issue.record("\(context) #\(i): trade \(x) vs \(y)", sourceLocation: sourceLocation)
                break
            }
        }
    }
}

/// Expects a kernel's trades and metrics for one parameter set to equal an engine run's (1e-9): the same number of
/// closed trades, each on the same bars (`sameBars`) at the same prices and quantity, and the same final equity,
/// trade and win counts, Sharpe and maximum drawdown (`engineMetrics`: the engine's equity under the kernel's
/// definitions).
func expectKernelEqualsEngine(trades kt: [KernelTrade], metrics km: KernelMetrics, engine e: BacktestResult,
                              engineMetrics em: KernelMetrics, sameBars: (KernelTrade, Trade) -> Bool, context ctx: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let et = e.closedTrades
    #expect(kt.count == et.count, "\(ctx): \(kt.count) kernel trades vs \(et.count) engine trades", sourceLocation: sourceLocation)
    for (a, b) in zip(kt, et) where !(sameBars(a, b)
        && relativeDifference(a.entryPrice, b.entryPrice) <= 1e-9 && relativeDifference(a.exitPrice, b.exitPrice) <= 1e-9
        && relativeDifference(a.quantity, b.quantity) <= 1e-9) {
        Issue.record("\(ctx): trade \(a) vs engine \(b)", sourceLocation: sourceLocation)
        break
    }
    #expect(relativeDifference(km.finalEquity, e.finalEquity) <= 1e-9, "\(ctx): equity \(km.finalEquity) vs \(e.finalEquity)",
            sourceLocation: sourceLocation)
    #expect(km.trades == em.trades && km.wins == em.wins, "\(ctx): \(km) vs \(em)", sourceLocation: sourceLocation)
    #expect(abs(km.sharpe - em.sharpe) <= 1e-9 * max(1, abs(em.sharpe)), "\(ctx): sharpe \(km.sharpe) vs \(em.sharpe)",
            sourceLocation: sourceLocation)
    #expect(abs(km.maxDrawdown - em.maxDrawdown) <= 1e-9, "\(ctx): drawdown \(km.maxDrawdown) vs \(em.maxDrawdown)",
            sourceLocation: sourceLocation)
}
