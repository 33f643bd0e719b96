import Dispatch
import TradewindCore

/// The exact fast evaluator of `sma-cross` over many (fast, slow) pairs on one symbol.
///
/// Instead of the engine's order machinery it replays the strategy's few decisions directly: the running sum of
/// closes is computed once, each distinct window's moving average once (with `RollingMean`'s arithmetic, so the
/// averages are bit-identical), and every pair is then one branch-light pass over the bars (crossing detectors,
/// a pending next-open order, cash and position). Pairs run in parallel on all cores.
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

    public static func evaluate(series: BarSeries, pairs: [Pair], initialCash: Double = 100_000, costs: KernelCosts = .none,
                                recordTrades: Bool = false) throws(KernelError) -> KernelGridResult {
        try IntradayKernel.validate(initialCash: initialCash, costs: costs)
        try IntradaySessionData.checkPrices(series)
        for p in pairs where !(p.fast >= 1 && p.slow >= 2 && p.fast < p.slow) {
            throw .invalidParameter(name: "fast/slow", value: "\(p.fast)/\(p.slow)", expected: "1 ≤ fast < slow")
        }
        let n = series.count
        // Running sum as RollingMean keeps it, then each window's average.
        var cumsum = [Double](repeating: 0, count: n)
        var acc = 0.0
        for i in 0..<n { acc += series.close[i]; cumsum[i] = acc }
        let windows = Array(Set(pairs.flatMap { [$0.fast, $0.slow] })).sorted()
        var column: [Int: Int] = [:]
        var means = [[Double]]()
        for (k, w) in windows.enumerated() {
            column[w] = k
            var m = [Double](repeating: .nan, count: n)
            let dw = Double(w)
            for i in 0..<n where i + 1 >= w {
                m[i] = i + 1 == w ? cumsum[i] / dw : (cumsum[i] - cumsum[i - w]) / dw
            }
            means.append(m)
        }
        let out = Results(count: pairs.count, record: recordTrades)
        let averages = means, columnOf = column
        let workers = max(1, min(pairs.count, KernelThreads.cores))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var k = w
            while k < pairs.count {
                let p = pairs[k]
                out.store(k, run(series: series, fast: averages[columnOf[p.fast]!], slow: averages[columnOf[p.slow]!],
                                  initialCash: initialCash, costs: costs, record: recordTrades))
                k += workers
            }
        }
        return out.result(initialCash: initialCash)
    }

    struct PairResult {
        var metrics: KernelMetrics
        var trades: [KernelTrade]
    }

    static func run(series: BarSeries, fast: [Double], slow: [Double], initialCash: Double, costs: KernelCosts,
                    record: Bool) -> PairResult {
        let c = costs.commission, buyF = costs.buyFactor, sellF = costs.sellFactor
        var above = CrossAbove(), below = CrossAbove()
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1
        var pendingBuy = false, pendingSell = false
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var list: [KernelTrade] = []
        let n = series.count
        series.open.withUnsafeBufferPointer { open in
        series.close.withUnsafeBufferPointer { close in
            for i in 0..<n {
                if pendingBuy {
                    let price = open[i] * buyF
                    let qty = KernelSizing.quantity(cash: cash, initialCash: initialCash, compound: true, entry: price, commission: c)!
                    if qty > 0 {
                        cash = cash - (qty * price + (qty * price) * c)
                        q = qty; entryPrice = price; entryBar = i
                    }
                    pendingBuy = false
                } else if pendingSell {
                    let price = open[i] * sellF
                    cash = cash - ((-q) * price + (q * price) * c)
                    trades += 1
                    if price * (1 - c) > entryPrice * (1 + c) { wins += 1 }
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
                before = e
            }
        }}
        let m = KernelMetrics(finalEquity: before, totalReturn: before / initialCash - 1, trades: trades, wins: wins,
                              sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n), maxDrawdown: mdd)
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
                                    tradeLists: r.map(\.trades))
        }
    }
}

public enum KernelThreads {
    /// Online processor count.
    public static let cores: Int = {
        #if canImport(Glibc) || canImport(Darwin)
        return max(1, sysconfCores())
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#elseif canImport(Darwin)
import Darwin
private func sysconfCores() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
