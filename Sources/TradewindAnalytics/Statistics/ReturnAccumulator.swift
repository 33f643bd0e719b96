/// The single-pass kernel behind total return, CAGR, volatility, Sharpe, Sortino and max drawdown.
///
/// `Performance`'s individual functions and `QuickMetrics` feed returns through this same accumulator,
/// so the fused fast path and the one-metric-at-a-time definitions are bit-for-bit identical.
///
/// - mean and sum of squared deviations: per block of 256 by the two-pass algorithm, blocks merged
///   pairwise (Chan et al.); one bar at a time by Welford's update,
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

    /// Adds many returns. Processes them in blocks of 256: each block's mean and squared deviations by
    /// the two-pass algorithm, merged into the running totals with Chan et al.'s pairwise update, which
    /// is both more accurate and several times faster than one Welford division per bar. (Feeding the
    /// same returns one at a time through `add(_:)` agrees to ~1e-15 relative, not bit for bit.)
    @inlinable
    public mutating func add(contentsOf returns: [Double]) {
        returns.withUnsafeBufferPointer { add(contentsOf: $0) }
    }

    @inlinable
    public mutating func add(contentsOf buf: UnsafeBufferPointer<Double>) {
        var start = 0
        while start < buf.count {
            let end = Swift.min(start + ReturnAccumulator.blockSize, buf.count)
            addBlock(UnsafeBufferPointer(rebasing: buf[start..<end]))
            start = end
        }
    }

    @usableFromInline static let blockSize = 256

    @inlinable
    mutating func addBlock(_ c: UnsafeBufferPointer<Double>) {
        let n = c.count
        guard n > 0 else { return }
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n { s0 += c[i]; s1 += c[i + 1]; s2 += c[i + 2]; s3 += c[i + 3]; i += 4 }
        while i < n { s0 += c[i]; i += 1 }
        let nb = Double(n)
        let mb = ((s0 + s1) + (s2 + s3)) / nb
        var q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0
        i = 0
        while i + 4 <= n {
            let d0 = c[i] - mb, d1 = c[i + 1] - mb, d2 = c[i + 2] - mb, d3 = c[i + 3] - mb
            q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3
            i += 4
        }
        while i < n { let d = c[i] - mb; q0 += d * d; i += 1 }
        let m2b = (q0 + q1) + (q2 + q3)
        var growth = _growth, peak = _peak, low = _drawdownLow, downside = _downsideSumOfSquares
        let rf = riskFreePerPeriod
        // The same figures as `add(_:)` bit for bit, with no division and no unpredictable branch per bar:
        // - a non-negative excess adds +0.0, which leaves the (never negative-zero) sum unchanged;
        // - while the peak stands, `equity / peak - 1` is monotone in the equity (correctly rounded division
        //   and subtraction are monotone), so its least value is the lowest equity's: one division per peak.
        var trough = Double.infinity
        for x in c {
            growth *= 1 + x
            let excess = x - rf
            let shortfall = excess < 0 ? excess : 0
            downside += shortfall * shortfall
            let equity = 1 + (growth - 1)
            if equity > peak {
                let dd = trough / peak - 1
                if dd < low { low = dd }
                peak = equity
                trough = equity
            } else if equity < trough {
                trough = equity
            }
        }
        let dd = trough / peak - 1
        if dd < low { low = dd }
        _growth = growth; _peak = peak; _drawdownLow = low; _downsideSumOfSquares = downside
        if _count == 0 {
            _mean = mb
            _sumSquaredDeviations = m2b
            _count = n
        } else {
            let na = Double(_count), total = na + nb
            let delta = mb - _mean
            _mean += delta * (nb / total)
            _sumSquaredDeviations += m2b + delta * delta * (na * nb / total)
            _count += n
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
