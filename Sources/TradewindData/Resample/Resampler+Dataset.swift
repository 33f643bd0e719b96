import TradewindCore

extension Resampler {
    /// Resamples every series of `dataset` to `target`, a symbol per worker within `threads` (default: every
    /// core).
    ///
    /// - Throws: the first symbol's `DataError` (in symbol order) when any series cannot be resampled.
    public static func resample(
        _ dataset: MarketDataset, to target: BarInterval, hours: TradingHours = .regular,
        calendar: NYSECalendar = .shared, threads: ThreadBudget = .all
    ) throws(DataError) -> MarketDataset {
        let series = dataset.series
        return MarketDataset(try threads.map(series.count) { (i) throws(DataError) -> BarSeries in
            try resample(series[i], to: target, hours: hours, calendar: calendar)
        })
    }
}
