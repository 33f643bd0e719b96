import Foundation

/// Pearson correlation of two series over `timeperiod` bars (TA-Lib CORREL). TA-Lib 0.8 computes it without
/// cancellation; this centres each window (two passes, O(timeperiod) per bar). 0 when either variance is 0.
public struct CORREL: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var xs: Ring
    @usableFromInline var ys: Ring

    /// - Parameter timeperiod: 1...100000 (default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "CORREL")
        self.timeperiod = timeperiod
        xs = Ring(capacity: timeperiod)
        ys = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ pair: RealPair) -> Double? {
        xs.push(pair.x)
        ys.push(pair.y)
        guard xs.isFull else { return nil }
        let m = CoMoments(xs.storage, ys.storage)
        let t = m.xx * m.yy
        return t > 0 ? m.xy / t.squareRoot() : 0.0
    }
}

/// Centred second moments of two equal-length windows (two passes, no cancellation).
@usableFromInline
struct CoMoments {
    @usableFromInline var xx = 0.0, yy = 0.0, xy = 0.0
    @inlinable init(_ x: [Double], _ y: [Double]) {
        let n = Double(x.count)
        var sx = 0.0, sy = 0.0
        for i in x.indices {
            sx += x[i]
            sy += y[i]
        }
        let mx = sx / n, my = sy / n
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            xx += dx * dx
            yy += dy * dy
            xy += dx * dy
        }
    }
}

/// Beta of the first series' one-bar returns against the second's over `timeperiod` returns (TA-Lib BETA):
/// cov(x, y) / var(x) from centred sums (O(timeperiod) per bar); 0 when var(x) is 0. A return whose previous
/// price is 0 counts as 0, as in TA-Lib.
public struct BETA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var xs: Ring  // returns
    @usableFromInline var ys: Ring
    @usableFromInline var lastX = 0.0, lastY = 0.0
    @usableFromInline var seen = 0

    /// - Parameter timeperiod: 1...100000 (default 5).
    public init(timeperiod: Int = 5) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "BETA")
        self.timeperiod = timeperiod
        xs = Ring(capacity: timeperiod)
        ys = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ pair: RealPair) -> Double? {
        seen += 1
        defer {
            lastX = pair.x
            lastY = pair.y
        }
        guard seen > 1 else { return nil }
        let x = isZero(lastX) ? 0.0 : (pair.x - lastX) / lastX
        let y = isZero(lastY) ? 0.0 : (pair.y - lastY) / lastY
        xs.push(x)
        ys.push(y)
        guard xs.isFull else { return nil }
        let m = CoMoments(xs.storage, ys.storage)
        return m.xx > 0 ? m.xy / m.xx : 0.0
    }
}
