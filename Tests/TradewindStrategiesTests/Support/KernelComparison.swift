import Testing
import TradewindCore
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
        if ok, let why = summaryDifference(ma.summary, mb.summary, tolerance: max(tolerance, 1e-10)) {
            failures += 1
            Issue.record("\(context) #\(i): \(why)", sourceLocation: sourceLocation)
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
///
/// Then every figure of the engine's summary (`BacktestSummary` over `interval` bars, what `backtest --json` prints)
/// against the kernel's `summary`: Sharpe, Sortino, volatility, CAGR, max drawdown, Calmar, win rate, profit factor
/// and exposure, each within 1e-9 (relative above 1), or both undefined.
func expectKernelEqualsEngine(trades kt: [KernelTrade], metrics km: KernelMetrics, engine e: BacktestResult,
                              engineMetrics em: KernelMetrics, interval: BarInterval,
                              sameBars: (KernelTrade, Trade) -> Bool, context ctx: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let summary = BacktestSummary(result: e, interval: interval)
    if let why = summaryDifference(km.summary, KernelSummary(engine: summary), tolerance: 1e-9) {
        Issue.record("\(ctx): \(why)", sourceLocation: sourceLocation)
    }
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

extension KernelSummary {
    /// The engine summary's figures in the kernel's form (`null` as NaN).
    init(engine s: BacktestSummary) {
        self.init(cagr: s.cagr ?? .nan, volatility: s.volatility ?? .nan, sharpe: s.sharpe ?? .nan, sortino: s.sortino ?? .nan,
                  calmar: s.calmar ?? .nan, maxDrawdown: s.maxDrawdown ?? .nan, winRate: s.winRate ?? .nan,
                  profitFactor: s.profitFactor ?? .nan, exposure: s.exposure)
    }
}

/// The figures on which two summaries differ by more than `tolerance` (relative above 1, absolute below), both NaN
/// counting as equal; nil when none do.
func summaryDifference(_ a: KernelSummary, _ b: KernelSummary, tolerance: Double) -> String? {
    let figures: [(String, Double, Double)] = [
        ("cagr", a.cagr, b.cagr), ("volatility", a.volatility, b.volatility), ("sharpe", a.sharpe, b.sharpe),
        ("sortino", a.sortino, b.sortino), ("calmar", a.calmar, b.calmar), ("max_drawdown", a.maxDrawdown, b.maxDrawdown),
        ("win_rate", a.winRate, b.winRate), ("profit_factor", a.profitFactor, b.profitFactor), ("exposure", a.exposure, b.exposure),
    ]
    let off = figures.filter { _, x, y in
        !((x.isNaN && y.isNaN) || abs(x - y) <= tolerance * max(1, abs(y)))
    }
    return off.isEmpty ? nil : off.map { "\($0.0) \($0.1) vs \($0.2)" }.joined(separator: ", ")
}
