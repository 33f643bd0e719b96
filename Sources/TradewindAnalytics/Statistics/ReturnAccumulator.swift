/// The single-pass kernel behind total return, CAGR, volatility, Sharpe, Sortino and max drawdown.
///
/// `Performance`'s individual functions and `QuickMetrics` feed returns through this same accumulator,
/// so the fused fast path and the one-metric-at-a-time definitions are bit-for-bit identical.
///
/// - mean and sum of squared deviations by Welford's update (stable; within a few ulps of pandas'
///   two-pass `std`),
/// - growth `∏(1 + r)`,
/// - downside sum `Σ min(r - rf, 0)²` (Sortino),
/// - drawdown on QuantStats' equity `1 + (∏(1 + r) - 1)` against a running peak that starts at 1.0
///   (QuantStats' phantom baseline bar, so a loss on the first bar counts).
@frozen
public struct ReturnAccumulator: Sendable {
    @usableFromInline var _count: Int = 0
    @usableFromInline var _mean: Double = 0
    @usableFromInline var _sumSquaredDeviations: Double = 0
    @usableFromInline var _growth: Double = 1
    @usableFromInline var _downsideSumOfSquares: Double = 0
    @usableFromInline var _peak: Double = 1
    /// The most negative `equity / peak - 1` seen (≤ 0).
    @usableFromInline var _drawdownLow: Double = 0
    /// The per-period risk-free rate subtracted for Sortino's downside.
    public let riskFreePerPeriod: Double

    @inlinable public var count: Int { _count }
    @inlinable public var mean: Double { _mean }
    @inlinable public var sumSquaredDeviations: Double { _sumSquaredDeviations }
    @inlinable public var growth: Double { _growth }
    @inlinable public var downsideSumOfSquares: Double { _downsideSumOfSquares }
    @inlinable public var peak: Double { _peak }
    @inlinable public var drawdownLow: Double { _drawdownLow }

    @inlinable
    public init(riskFreePerPeriod: Double = 0) { self.riskFreePerPeriod = riskFreePerPeriod }

    @inlinable
    public mutating func add(_ r: Double) {
        _count += 1
        let delta = r - _mean
        _mean += delta / Double(_count)
        _sumSquaredDeviations += delta * (r - _mean)
        _growth *= 1 + r
        let excess = r - riskFreePerPeriod
        if excess < 0 { _downsideSumOfSquares += excess * excess }
        let equity = 1 + (_growth - 1)
        if equity > _peak { _peak = equity }
        let dd = equity / _peak - 1
        if dd < _drawdownLow { _drawdownLow = dd }
    }

    @inlinable
    public mutating func add(contentsOf returns: [Double]) {
        returns.withUnsafeBufferPointer { buf in
            for r in buf { add(r) }
        }
    }

    /// Sample standard deviation (ddof = 1); NaN below two observations.
    @inlinable
    public var standardDeviation: Double {
        count < 2 ? .nan : (sumSquaredDeviations / Double(count - 1)).squareRoot()
    }

    @inlinable public var totalReturn: Double { count == 0 ? .nan : growth - 1 }

    @inlinable
    public func cagr(periodsPerYear: Double) -> Double {
        guard count > 0, periodsPerYear > 0 else { return .nan }
        let wealth = (growth - 1) + 1
        if wealth < 0 { return .nan }
        let years = Double(count) / periodsPerYear
        return _pow(abs(wealth), 1 / years) - 1
    }

    @inlinable
    public func volatility(periodsPerYear: Double) -> Double {
        guard periodsPerYear > 0 else { return .nan }
        return standardDeviation * periodsPerYear.squareRoot()
    }

    /// Per-period Sharpe `(mean - rf) / std`.
    @inlinable
    public var rawSharpe: Double { count == 0 ? .nan : (mean - riskFreePerPeriod) / standardDeviation }

    @inlinable
    public func sharpe(periodsPerYear: Double) -> Double {
        guard periodsPerYear > 0 else { return .nan }
        return rawSharpe * periodsPerYear.squareRoot()
    }

    @inlinable
    public func sortino(periodsPerYear: Double) -> Double {
        guard count > 0, periodsPerYear > 0 else { return .nan }
        let downside = (downsideSumOfSquares / Double(count)).squareRoot()
        if downside == 0 { return .nan }
        return (mean - riskFreePerPeriod) / downside * periodsPerYear.squareRoot()
    }

    /// Max drawdown as a positive fraction (QuantStats reports it negative).
    @inlinable public var maxDrawdown: Double { -drawdownLow + 0 }
}
