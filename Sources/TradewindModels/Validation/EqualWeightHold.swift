import TradewindCore

/// Equal-weight buy-and-hold of some symbols, bought at each one's last close at or before a base time: the value
/// of 1 at a later time is the mean of the symbols' close ratios (symbols without a bar yet, or a zero base close,
/// are left out; 1 when none counts). The benchmark of every out-of-sample curve of the ML strategies.
struct EqualWeightHold {
    let holdings: [(series: BarSeries, base: Int)]
    /// Each symbol's last bar at or before the last asked time, found by moving a cursor forward: asked times only
    /// ever ascend, so a whole curve costs one pass over each symbol's bars.
    var cursors: [Int]

    init(_ series: [BarSeries], base: UnixNanos) {
        holdings = series.map { s in (s, s.time.lastIndex { $0 <= base } ?? 0) }
        cursors = holdings.map { _ in -1 }
    }

    /// The holding's value at `t` (times must not decrease from call to call).
    mutating func value(at t: UnixNanos) -> Double {
        var sum = 0.0, count = 0
        for (k, (s, base)) in holdings.enumerated() {
            while cursors[k] + 1 < s.count && s.time[cursors[k] + 1] <= t { cursors[k] += 1 }
            guard cursors[k] >= 0, s.close[base] > 0 else { continue }
            sum += s.close[cursors[k]] / s.close[base]
            count += 1
        }
        return count == 0 ? 1 : sum / Double(count)
    }
}
