import Dispatch
import TradewindCore

extension Resampler {
    /// Resamples every series of `dataset` to `target`, in parallel (one task per symbol).
    ///
    /// - Throws: the first symbol's `DataError` (in symbol order) when any series cannot be resampled.
    public static func resample(
        _ dataset: MarketDataset, to target: BarInterval, hours: TradingHours = .regular,
        calendar: NYSECalendar = .shared
    ) throws(DataError) -> MarketDataset {
        let series = dataset.series
        let results = ParallelResults<Result<BarSeries, DataError>>(count: series.count)
        DispatchQueue.concurrentPerform(iterations: series.count) { i in
            results.set(i, Result { () throws(DataError) in
                try resample(series[i], to: target, hours: hours, calendar: calendar)
            })
        }
        var out: [BarSeries] = []
        out.reserveCapacity(series.count)
        for r in results.all { out.append(try r.get()) }
        return MarketDataset(out)
    }
}
