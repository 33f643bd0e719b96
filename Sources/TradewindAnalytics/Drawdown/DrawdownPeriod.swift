import TradewindCore

/// One drawdown: a maximal run of bars whose compounded equity is below its running peak.
public struct DrawdownPeriod: Sendable, Equatable, Codable {
    /// First bar under water.
    public let start: UnixNanos
    /// The bar of the deepest point (the first one if the low repeats).
    public let trough: UnixNanos
    /// LAST bar under water (QuantStats' "end"): the bar before `recovery`, or the series' last bar.
    public let end: UnixNanos
    /// First bar back at a new high, or nil when the series ends under water.
    public let recovery: UnixNanos?
    /// Depth as a positive fraction of the peak (0.2 = 20 % below it).
    public let depth: Double
    /// Length in calendar days, QuantStats' `days`: whole days from `start` to `end`, plus one.
    public let days: Int
    /// Indices of `start`, `trough`, `end` in the series.
    public let startIndex: Int
    public let troughIndex: Int
    public let endIndex: Int

    enum CodingKeys: String, CodingKey {
        case start, trough, end, recovery, depth, days
        case startIndex = "start_index", troughIndex = "trough_index", endIndex = "end_index"
    }
}

/// Which drawdowns `Performance.drawdownPeriods` reports.
public enum DrawdownConvention: Sendable, Equatable {
    /// QuantStats 0.0.86 `drawdown_details`: every drawdown, EXCEPT that when the only drawdown of the
    /// series begins on its first bar, none is reported (its start detection needs a previous bar at the
    /// peak; a later drawdown triggers the fix-up that restores the first). Matches QuantStats exactly.
    case quantStats
    /// Every drawdown, including one that begins on the first bar (our corrected variant).
    case complete
}

extension Performance {
    /// QuantStats' drawdown series: `equity / runningPeak - 1` (≤ 0) with equity `1 + (∏(1 + r) - 1)`
    /// and the peak starting at 1.0.
    public static func drawdownSeries(_ returns: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: returns.count)
        var growth = 1.0, peak = 1.0
        for i in returns.indices {
            growth *= 1 + returns[i]
            let equity = 1 + (growth - 1)
            if equity > peak { peak = equity }
            let dd = equity / peak - 1
            out[i] = dd == 0 ? 0 : dd
        }
        return out
    }

    /// Every drawdown of the series in time order (see `DrawdownConvention`).
    public static func drawdownPeriods(_ series: ReturnSeries,
                                       convention: DrawdownConvention = .quantStats) -> [DrawdownPeriod] {
        let dd = drawdownSeries(series.returns)
        let t = series.times
        var periods: [DrawdownPeriod] = []
        var i = 0
        let n = dd.count
        while i < n {
            guard dd[i] < 0 else { i += 1; continue }
            let s = i
            var trough = i
            while i < n, dd[i] < 0 {
                if dd[i] < dd[trough] { trough = i }
                i += 1
            }
            let e = i - 1
            let days = Int(UnixTime.floorDiv(t[e] - t[s], UnixTime.nanosPerDay)) + 1
            periods.append(DrawdownPeriod(start: t[s], trough: t[trough], end: t[e], recovery: i < n ? t[i] : nil,
                                          depth: -dd[trough], days: days, startIndex: s, troughIndex: trough, endIndex: e))
        }
        if convention == .quantStats, periods.count == 1, periods[0].startIndex == 0 { return [] }
        return periods
    }

    /// The deepest drawdown (the earliest if two are equally deep), or nil when there is none.
    public static func maxDrawdownPeriod(_ periods: [DrawdownPeriod]) -> DrawdownPeriod? {
        var best: DrawdownPeriod?
        for p in periods where best == nil || p.depth > best!.depth { best = p }
        return best
    }

    /// QuantStats' "Longest DD Days": the largest `days` among the periods, or nil when there is none.
    public static func longestDrawdownDays(_ periods: [DrawdownPeriod]) -> Int? {
        periods.map(\.days).max()
    }
}
