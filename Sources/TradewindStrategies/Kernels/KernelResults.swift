/// Why a position was closed.
public enum KernelExitReason: String, Sendable, Hashable, Codable {
    /// Target (limit), stop, session close, or the strategy's own exit signal.
    case target, stop, close, signal
    /// A margin account's maintenance check liquidated the position at the bar's close.
    case marginCall = "margin_call"
}

/// One round trip as a kernel sees it (prices include slippage; the target sale is a limit fill, unslipped).
public struct KernelTrade: Sendable, Hashable, Codable {
    public var entryBar: Int
    public var exitBar: Int
    public var entryPrice: Double
    public var exitPrice: Double
    public var quantity: Double
    public var reason: KernelExitReason

    public init(entryBar: Int, exitBar: Int, entryPrice: Double, exitPrice: Double, quantity: Double, reason: KernelExitReason) {
        self.entryBar = entryBar
        self.exitBar = exitBar
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.quantity = quantity
        self.reason = reason
    }
}

/// The metrics of one parameter set, as every kernel reports them.
///
/// `summary` holds the engine summary's figures (bar-level returns, trade statistics, exposure: `KernelSummary`).
/// `sharpe` and `maxDrawdown` are the kernel's own basis, the one the overfitting statistics use (`SharpeBasis`):
/// for daily kernels the bars (so they equal the summary's), for the intraday kernel the session-close equity series `E_0 = initial cash, E_1 … E_n` (one point
/// per session in the data): Sharpe = mean / sample standard deviation (n − 1) of the n session returns
/// `E_s / E_{s−1} − 1`, × √252 (0 when there are fewer than two returns or no variation);
/// max drawdown = min over s of `E_s / max_{t≤s} E_t − 1` (≤ 0).
public struct KernelMetrics: Sendable, Hashable, Codable {
    public var finalEquity: Double
    public var totalReturn: Double
    public var trades: Int
    public var wins: Int
    public var sharpe: Double
    public var maxDrawdown: Double
    /// The engine summary's figures for the same run.
    public var summary: KernelSummary = .undefined
}

/// Per-combination results of a kernel run, struct of arrays indexed like the grid.
public struct KernelGridResult: Sendable {
    public let initialCash: Double
    public var finalEquity: [Double]
    public var trades: [Int32]
    public var wins: [Int32]
    public var sharpe: [Double]
    public var maxDrawdown: [Double]
    /// The engine summary's figures per combination.
    public var summaries: [KernelSummary]
    /// Trades per combination, only when requested.
    public var tradeLists: [[KernelTrade]]?

    public var count: Int { finalEquity.count }

    public func metrics(at i: Int) -> KernelMetrics {
        KernelMetrics(finalEquity: finalEquity[i], totalReturn: finalEquity[i] / initialCash - 1, trades: Int(trades[i]),
                      wins: Int(wins[i]), sharpe: sharpe[i], maxDrawdown: maxDrawdown[i], summary: summaries[i])
    }
}

/// Running per-combination statistics of session-close equity (struct of arrays, updated only on sessions
/// with a trade: a session without one has return 0 and leaves equity, peak and drawdown unchanged).
struct EquityAccumulators {
    var equity: [Double]
    var peak: [Double]
    var maxDrawdown: [Double]
    var sumReturn: [Double]
    var sumSquares: [Double]
    var trades: [Int32]
    var wins: [Int32]
    /// The bar-level statistics of each combination (`KernelSummary`'s source).
    var ledgers: [BarLedger]

    init(count: Int, initialCash: Double) {
        ledgers = [BarLedger](repeating: BarLedger(initialCash: initialCash), count: count)
        equity = [Double](repeating: initialCash, count: count)
        peak = equity
        maxDrawdown = [Double](repeating: 0, count: count)
        sumReturn = maxDrawdown
        sumSquares = maxDrawdown
        trades = [Int32](repeating: 0, count: count)
        wins = trades
    }

    /// Applies one closed trade to combination `i`: pays `budget` for `quantity` shares, receives `proceeds`.
    @inline(__always)
    static func apply(_ i: Int, equityBefore e: Double, after e2: Double, win: Bool,
                      _ eq: UnsafeMutablePointer<Double>, _ pk: UnsafeMutablePointer<Double>,
                      _ dd: UnsafeMutablePointer<Double>, _ sr: UnsafeMutablePointer<Double>,
                      _ sq: UnsafeMutablePointer<Double>, _ tr: UnsafeMutablePointer<Int32>, _ wn: UnsafeMutablePointer<Int32>) {
        let r = e2 / e - 1
        eq[i] = e2
        sr[i] += r
        sq[i] += r * r
        let p = max(pk[i], e2)
        pk[i] = p
        dd[i] = min(dd[i], e2 / p - 1)
        tr[i] &+= 1
        wn[i] &+= win ? 1 : 0
    }

    /// Final metrics for `returnCount` session returns and `bars` bars, `periodsPerYear` of them a year.
    func result(initialCash: Double, returnCount n: Int, bars: Int, periodsPerYear: Double,
                trades lists: [[KernelTrade]]?) -> KernelGridResult {
        var sharpe = [Double](repeating: 0, count: equity.count)
        var summaries = [KernelSummary](repeating: .undefined, count: equity.count)
        for i in 0..<equity.count {
            sharpe[i] = KernelStatistics.sharpe(sum: sumReturn[i], sumSquares: sumSquares[i], count: n)
            summaries[i] = KernelSummary(ledgers[i], bars: bars, periodsPerYear: periodsPerYear, initialCash: initialCash,
                                         finalEquity: equity[i], trades: Int(trades[i]))
        }
        return KernelGridResult(initialCash: initialCash, finalEquity: equity, trades: trades, wins: wins,
                                sharpe: sharpe, maxDrawdown: maxDrawdown, summaries: summaries, tradeLists: lists)
    }
}

/// The statistics formulas every kernel and its reference share.
public enum KernelStatistics {
    /// Annualised Sharpe (252 periods, no risk-free rate) from the sum and sum of squares of `count` returns;
    /// 0 when there are fewer than two returns or no variation.
    public static func sharpe(sum: Double, sumSquares: Double, count n: Int) -> Double {
        guard n > 1 else { return 0 }
        let mean = sum / Double(n)
        let variance = (sumSquares - sum * mean) / Double(n - 1)
        guard variance > 0 else { return 0 }
        return mean / variance.squareRoot() * (252.0).squareRoot()
    }

    /// The same statistics from the equity at each period's end (`equity[0]` is the first period's end; the
    /// starting point is `initialCash`):
    /// the definition the kernels' accumulators implement, computed two-pass.
    public static func metrics(equity: [Double], initialCash: Double, trades: Int, wins: Int) -> KernelMetrics {
        var peak = initialCash, mdd = 0.0, before = initialCash
        var rets: [Double] = []
        for e in equity {
            peak = max(peak, e)
            mdd = min(mdd, e / peak - 1)
            rets.append(e / before - 1)
            before = e
        }
        var sharpe = 0.0
        if rets.count > 1 {
            let mean = rets.reduce(0, +) / Double(rets.count)
            let v = rets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rets.count - 1)
            if v > 0 { sharpe = mean / v.squareRoot() * (252.0).squareRoot() }
        }
        let fin = equity.last ?? initialCash
        return KernelMetrics(finalEquity: fin, totalReturn: fin / initialCash - 1, trades: trades, wins: wins,
                             sharpe: sharpe, maxDrawdown: mdd)
    }
}
