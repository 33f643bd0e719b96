/// The metrics an optimizer ranks trials by, computed in ONE pass without allocating: total return,
/// CAGR, volatility, Sharpe, Sortino, max drawdown and Calmar.
///
/// Every field equals the corresponding `Performance` function bit for bit (both run the same
/// `ReturnAccumulator`), so a ranking made with `QuickMetrics` is the ranking the full report would give.
public struct QuickMetrics: Sendable, Equatable, Codable {
    public let observations: Int
    public let totalReturn: Double
    public let cagr: Double
    public let volatility: Double
    public let sharpe: Double
    public let sortino: Double
    /// Positive fraction.
    public let maxDrawdown: Double
    public let calmar: Double

    /// Computes the set over `returns` (rf annual, de-annualised per bar).
    @inlinable
    public init(returns: [Double], riskFree: Double = 0, periodsPerYear: Double = Annualization.daily) {
        var acc = ReturnAccumulator(riskFreePerPeriod: Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear))
        acc.add(contentsOf: returns)
        self.init(acc, periodsPerYear: periodsPerYear)
    }

    /// Computes the set over the returns of an equity curve (`equity[i+1]/equity[i] - 1`) without
    /// materialising them; equal to `init(returns: Performance.returns(fromEquity: equity), ...)`.
    @inlinable
    public init(equity: [Double], riskFree: Double = 0, periodsPerYear: Double = Annualization.daily) {
        var acc = ReturnAccumulator(riskFreePerPeriod: Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear))
        equity.withUnsafeBufferPointer { e in
            guard e.count > 1 else { return }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: ReturnAccumulator.blockSize) { block in
                var i = 1
                while i < e.count {
                    let n = Swift.min(ReturnAccumulator.blockSize, e.count - i)
                    for k in 0..<n { block[k] = e[i + k] / e[i + k - 1] - 1 }
                    acc.add(contentsOf: UnsafeBufferPointer(rebasing: block[0..<n]))
                    i += n
                }
            }
        }
        self.init(acc, periodsPerYear: periodsPerYear)
    }

    /// Computes the set over the per-bar returns of an equity curve whose first return is taken against
    /// `initial`, the capital before the first bar (`equity[0]/initial - 1`, then `equity[i]/equity[i-1] - 1`), as a
    /// backtest's summary counts them, without materialising them: equal to `init(returns:…)` on those returns.
    /// Nil when a return is undefined: an equity at or below zero before a bar, or a non-finite equity.
    @inlinable
    public init?(equity: [Double], initial: Double, riskFree: Double = 0, periodsPerYear: Double = Annualization.daily) {
        var acc = ReturnAccumulator(riskFreePerPeriod: Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear))
        let defined = equity.withUnsafeBufferPointer { e -> Bool in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: ReturnAccumulator.blockSize) { block -> Bool in
                // Whole blocks from the first return on, as `add(contentsOf:)` cuts a materialised column.
                var previous = initial, filled = 0
                for value in e {
                    guard previous > 0, value.isFinite else { return false }
                    block[filled] = value / previous - 1
                    previous = value
                    filled += 1
                    if filled == block.count {
                        acc.add(contentsOf: UnsafeBufferPointer(block))
                        filled = 0
                    }
                }
                acc.add(contentsOf: UnsafeBufferPointer(rebasing: block[0..<filled]))
                return true
            }
        }
        guard defined else { return nil }
        self.init(acc, periodsPerYear: periodsPerYear)
    }

    /// Finishes an accumulator that the caller fed bar by bar (e.g. inside a backtest loop).
    @inlinable
    public init(_ acc: ReturnAccumulator, periodsPerYear: Double) {
        observations = acc.count
        totalReturn = acc.totalReturn
        cagr = acc.cagr(periodsPerYear: periodsPerYear)
        volatility = acc.volatility(periodsPerYear: periodsPerYear)
        sharpe = acc.sharpe(periodsPerYear: periodsPerYear)
        sortino = acc.sortino(periodsPerYear: periodsPerYear)
        maxDrawdown = acc.maxDrawdown
        calmar = cagr / maxDrawdown
    }

    enum CodingKeys: String, CodingKey {
        case observations, cagr, volatility, sharpe, sortino, calmar
        case totalReturn = "total_return", maxDrawdown = "max_drawdown"
    }
}
