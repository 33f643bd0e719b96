import TradewindCore
import TradewindData

/// The benchmark line of the equity chart: buy and hold of one symbol (the first of the run, or the
/// one `--benchmark` names) with the run's initial capital.
public enum BenchmarkCurve {
    /// The value at each of `times` of `capital` invested at the close of the first bar of `bars` at or
    /// before `times[0]` (or its first bar, when it starts later), valued at the last close at or
    /// before each time. Prices are split- and dividend-adjusted by default, so the line is a total
    /// return; before the benchmark's first bar the value is `capital`.
    public static func buyAndHold(_ bars: BarSeries, on times: [UnixNanos], capital: Double,
                                  adjustment: AdjustmentMode = .splitAndDividend) -> TimeSeries {
        let series = bars.adjusted(adjustment)
        guard !series.isEmpty, let t0 = times.first else { return TimeSeries(times: times, values: times.map { _ in capital }) }
        // Last bar at or before `t`, or nil before the first bar.
        func lastIndex(atOrBefore t: UnixNanos) -> Int? {
            let i = series.firstIndex(atOrAfter: t)
            if i < series.count && series.time[i] == t { return i }
            return i > 0 ? i - 1 : nil
        }
        let start = lastIndex(atOrBefore: t0) ?? 0
        let base = series.close[start]
        var values: [Double] = []
        values.reserveCapacity(times.count)
        for t in times {
            if let i = lastIndex(atOrBefore: t), i >= start {
                values.append(capital * series.close[i] / base)
            } else {
                values.append(capital)
            }
        }
        return TimeSeries(times: times, values: values)
    }
}
