import Foundation

/// Population variance over `timeperiod` bars (TA-Lib VAR). TA-Lib 0.8 computes it accurately (no
/// sum-of-squares cancellation), so this keeps a sliding Welford mean and squared-deviation sum, recomputed
/// exactly (two passes over the window) every `timeperiod` bars so rounding cannot drift: O(1) amortised.
/// As in TA-Lib, `nbdev` is accepted but does not scale the result.
public struct VAR: StreamingIndicator {
    public let timeperiod: Int
    public let nbdev: Double
    @usableFromInline var window: WindowVariance

    /// - Parameters: timeperiod 1...100000 (default 5); nbdev (default 1, ignored as in TA-Lib).
    public init(timeperiod: Int = 5, nbdev: Double = 1) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "VAR")
        try Check.real(nbdev, "nbdev", in: -realParameterBound...realParameterBound, "VAR")
        self.init(unchecked: timeperiod, nbdev: nbdev)
    }

    @usableFromInline init(unchecked timeperiod: Int, nbdev: Double = 1) {
        self.timeperiod = timeperiod
        self.nbdev = nbdev
        window = WindowVariance(period: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? { window.update(x) }
}

/// Sliding-window population variance (Welford updates, exact two-pass refresh every `period` bars); its
/// running mean is also BBANDS' SMA middle band.
///
/// The refreshes fall on the bars `period − 1 + k·period` (k ≥ 0) of the stream, and at those bars the state
/// (mean, squared-deviation sum) is a function of the window's values alone. The BBANDS kernel relies on that
/// to compute a long column in parts, cut at refresh bars, on both cores with the same bits as one pass.
@usableFromInline
struct WindowVariance: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var ring: Ring
    @usableFromInline var mean = 0.0
    @usableFromInline var m2 = 0.0
    @usableFromInline var sinceRefresh = 0

    /// 1 / period: the per-bar updates multiply by it (a division would cost as much as the rest of the bar).
    @usableFromInline let inverse: Double

    @usableFromInline init(period: Int) {
        self.period = period
        inverse = 1.0 / Double(period)
        ring = Ring(capacity: period)
    }

    @inlinable
    mutating func refresh() {
        (mean, m2) = ring.storage.withUnsafeBufferPointer { WindowVariance.moments($0.baseAddress!, count: period) }
        sinceRefresh = 0
    }

    /// Exact mean and sum of squared deviations of `count` values (two passes). Each pass keeps four partial
    /// sums (values j ≡ 0, 1, 2, 3 mod 4), added as (s0 + s1) + (s2 + s3): four short dependency chains
    /// instead of one long one. The batch kernels call this same function, so both paths round alike.
    @inline(__always) @inlinable
    static func moments(_ w: UnsafePointer<Double>, count: Int) -> (mean: Double, m2: Double) {
        let n = Double(count)
        let whole = count & ~3
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j < whole {
            s0 += w[j]
            s1 += w[j + 1]
            s2 += w[j + 2]
            s3 += w[j + 3]
            j += 4
        }
        while j < count {
            s0 += w[j]
            j += 1
        }
        let m = ((s0 + s1) + (s2 + s3)) / n
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        j = 0
        while j < whole {
            let d0 = w[j] - m, d1 = w[j + 1] - m, d2 = w[j + 2] - m, d3 = w[j + 3] - m
            a0 += d0 * d0
            a1 += d1 * d1
            a2 += d2 * d2
            a3 += d3 * d3
            j += 4
        }
        while j < count {
            let d = w[j] - m
            a0 += d * d
            j += 1
        }
        return (m, (a0 + a1) + (a2 + a3))
    }

    @inline(__always) @inlinable
    mutating func update(_ x: Double) -> Double? {
        if !ring.isFull {
            ring.push(x)
            guard ring.isFull else { return nil }
            refresh()
        } else {
            let old = ring.oldest
            ring.push(x)
            sinceRefresh += 1
            if sinceRefresh >= period {
                refresh()
            } else {
                let delta = x - old
                let oldMean = mean
                mean += delta * inverse
                m2 += delta * ((x - mean) + (old - oldMean))
            }
        }
        return m2 > 0 ? m2 * inverse : 0.0
    }
}

/// Population standard deviation over `timeperiod` bars times `nbdev` (TA-Lib STDDEV): √VAR (0 for a flat window).
public struct STDDEV: StreamingIndicator {
    public let timeperiod: Int
    public let nbdev: Double
    @usableFromInline var variance: VAR

    /// - Parameters: timeperiod 2...100000 (default 5); nbdev (default 1).
    public init(timeperiod: Int = 5, nbdev: Double = 1) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "STDDEV")
        try Check.real(nbdev, "nbdev", in: -realParameterBound...realParameterBound, "STDDEV")
        self.init(unchecked: timeperiod, nbdev: nbdev)
    }

    @usableFromInline init(unchecked timeperiod: Int, nbdev: Double) {
        self.timeperiod = timeperiod
        self.nbdev = nbdev
        variance = VAR(unchecked: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let v = variance.update(x) else { return nil }
        guard v > 0 else { return 0.0 }
        return nbdev != 1.0 ? sqrt(v) * nbdev : sqrt(v)
    }
}
