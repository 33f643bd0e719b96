#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running statistics of one parameter set's bar-level equity curve and closed trades: what the engine's summary
/// (`BacktestSummary`) derives its return and trade figures from, kept in O(1) space.
///
/// The equity curve has one point per bar of the series (the engine's steps for one symbol), the first return
/// measured against the initial cash. A bar without a position has return exactly 0, so a kernel only has to
/// `mark` the bars from an entry fill to the exit fill; flat bars count through `bars` in `KernelSummary`.
public struct BarLedger: Sendable, Hashable {
    /// Σ r, Σ r² and Σ min(r, 0)² over the bar returns marked so far.
    public var sum = 0.0
    public var sumSquares = 0.0
    public var downsideSquares = 0.0
    /// The running peak of the equity (from the initial cash) and the smallest `equity / peak` seen (≤ 1).
    public var peak: Double
    public var minRatio = 1.0
    /// Bars that end with a position open (the summary's exposure numerator).
    public var heldBars = 0
    /// Closed trades by the sign of their net P&L (a breakeven trade is neither), and their summed P&L.
    public var winners = 0
    public var losers = 0
    public var grossProfit = 0.0
    public var grossLoss = 0.0

    public init(initialCash: Double) { peak = initialCash }

    /// One bar return `r`.
    @inline(__always) public mutating func add(return r: Double) {
        sum += r
        sumSquares += r * r
        let down = Swift.min(r, 0)  // branch-free: adding 0 leaves the sum as it is
        downsideSquares += down * down
    }

    /// One bar whose equity is `e` after `before` on the bar before: its return, the peak and the drawdown.
    @inline(__always) public mutating func mark(_ e: Double, before: Double) {
        add(return: e / before - 1)
        peak = Swift.max(peak, e)
        minRatio = Swift.min(minRatio, e / peak)
    }

    /// A closed trade with this net P&L (the engine's: gross minus entry and exit commission).
    @inline(__always) public mutating func close(netPnL: Double) {
        if netPnL > 0 { winners += 1; grossProfit += netPnL } else if netPnL < 0 { losers += 1; grossLoss += netPnL }
    }

    /// The engine's net P&L of a long round trip of `q` shares bought at `entry` and sold at `exit` (slipped prices)
    /// with commission `c` of each fill's value (`PositionBook.recordTrade`).
    @inline(__always) public static func netPnL(quantity q: Double, entry: Double, exit: Double, commission c: Double) -> Double {
        (exit - entry) * q - (q * entry) * c - (q * exit) * c
    }

    /// The bars of one long round trip, walked one by one with the engine's arithmetic: `cashBefore` until the entry
    /// fill at bar `entryBar`, then `cashHeld + q × close[t]` on the bars held, `cashAfter` from the exit fill at bar
    /// `exitBar` (≥ `entryBar`). The readable reference of `IntradayKernel`'s per-entry shortcut.
    @inline(__always) public mutating func walkTrade(close: UnsafeBufferPointer<Double>, entryBar: Int, exitBar: Int,
                                                     cashBefore: Double, cashHeld: Double, quantity q: Double, cashAfter: Double) {
        var before = cashBefore
        var t = entryBar
        while t < exitBar {
            let e = cashHeld + q * close[t]
            mark(e, before: before)
            before = e
            t += 1
        }
        mark(cashAfter, before: before)
        heldBars += exitBar - entryBar
    }
}

/// The figures of `tradewind backtest --json` a kernel reports, each as the engine's summary defines it
/// (`BacktestSummary`, `QuickMetrics`, `TradeStatistics`): NaN where the summary has `null`.
///
/// With n bar returns r (the first against the initial cash), P periods per year and W = final / initial equity:
/// volatility = sd(r) √P (sample sd), Sharpe = mean(r) / sd(r) √P, Sortino = mean(r) / √(Σ min(r, 0)² / n) √P,
/// CAGR = W^(P / n) − 1, max drawdown = 1 − min(equity / running peak), Calmar = CAGR / max drawdown;
/// win rate = winners / (winners + losers) (0 with neither), profit factor = gross profit / |gross loss|, both
/// undefined without closed trades; exposure = bars ending with a position / n.
public struct KernelSummary: Sendable, Hashable, Codable {
    public var cagr: Double
    public var volatility: Double
    public var sharpe: Double
    public var sortino: Double
    public var calmar: Double
    /// Positive fraction.
    public var maxDrawdown: Double
    public var winRate: Double
    public var profitFactor: Double
    public var exposure: Double

    /// All undefined.
    public static let undefined = KernelSummary(cagr: .nan, volatility: .nan, sharpe: .nan, sortino: .nan, calmar: .nan,
                                                maxDrawdown: .nan, winRate: .nan, profitFactor: .nan, exposure: .nan)

    public init(cagr: Double, volatility: Double, sharpe: Double, sortino: Double, calmar: Double, maxDrawdown: Double,
                winRate: Double, profitFactor: Double, exposure: Double) {
        self.cagr = cagr
        self.volatility = volatility
        self.sharpe = sharpe
        self.sortino = sortino
        self.calmar = calmar
        self.maxDrawdown = maxDrawdown
        self.winRate = winRate
        self.profitFactor = profitFactor
        self.exposure = exposure
    }

    /// The figures of a ledger over `bars` bars (`periodsPerYear` of them a year) ending at `finalEquity` after
    /// `trades` closed trades.
    public init(_ l: BarLedger, bars n: Int, periodsPerYear ppy: Double, initialCash: Double, finalEquity: Double, trades: Int) {
        func finite(_ v: Double) -> Double { v.isFinite ? v : .nan }
        self = .undefined
        if trades > 0 {
            winRate = l.winners + l.losers == 0 ? 0 : Double(l.winners) / Double(l.winners + l.losers)
            let absLoss = abs(l.grossLoss)
            profitFactor = finite(absLoss == 0 ? (l.grossProfit == 0 ? 0 : .infinity) : l.grossProfit / absLoss)
        }
        guard n > 0 else { return }
        exposure = Double(l.heldBars) / Double(n)
        guard initialCash > 0, finalEquity.isFinite, ppy > 0 else { return }
        let count = Double(n), rootP = ppy.squareRoot()
        let mean = l.sum / count
        let sd = n < 2 ? Double.nan : (Swift.max(l.sumSquares - l.sum * mean, 0) / Double(n - 1)).squareRoot()
        volatility = finite(sd * rootP)
        sharpe = finite(mean / sd * rootP)
        let downside = (l.downsideSquares / count).squareRoot()
        sortino = downside == 0 ? .nan : finite(mean / downside * rootP)
        let wealth = finalEquity / initialCash
        cagr = wealth < 0 ? .nan : finite(pow(wealth, 1 / (count / ppy)) - 1)
        maxDrawdown = finite(-(l.minRatio - 1) + 0)
        calmar = finite(cagr / maxDrawdown)
    }
}
