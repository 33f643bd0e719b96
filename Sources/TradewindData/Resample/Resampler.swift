import TradewindCore

/// Which part of each trading day resampling keeps.
public enum TradingHours: String, Sendable, CaseIterable, Codable {
    /// Regular hours only: bars starting in `[open, close)` of a session (the default).
    case regular
    /// Every bar on a trading day's local date: pre-market, regular hours and after-hours.
    case extended
}

/// Aggregates intraday bars into larger bars that follow the exchange calendar.
///
/// **Buckets.** A source bar goes to the bucket that contains its start instant.
/// - Intraday targets (`5m`, `15m`, `1h`, …): regular-hours buckets are aligned to the session
///   open (09:30, 09:45, … for 15m) and the last one is cut at the session close, so on a 13:00 early
///   close the 1h buckets are 09:30, 10:30, 11:30, 12:30 (the last holding 12:30–13:00). With
///   `.extended` hours, pre-market buckets are aligned backwards from the open (08:30–09:30,
///   07:30–08:30, … for 1h; the earliest starts no earlier than local midnight) and after-hours buckets
///   forwards from the close (16:00–17:00, … cut at the next local midnight); each is stamped at its
///   own (possibly cut) start.
/// - `daily`: one bar per session, **stamped at the session's open instant** (bar start), e.g.
///   2024-07-03T13:30:00Z; with `.extended` it also holds that date's pre-market and after-hours bars.
/// - `weekly` / `monthly`: one bar per calendar week (Monday–Sunday) or month of sessions, stamped at
///   the open of its first session that has data.
///
/// **Values.** open = first, high = max, low = min, close = last, volume = sum, vwap = volume-weighted
/// mean of the constituents' vwap (their plain mean when the bucket's volume is 0), tradeCount = sum,
/// dividend = sum, splitCoefficient = product, sourceAdjustedClose = last. Buckets without bars are
/// not emitted; bars on days the exchange is closed are dropped.
public enum Resampler {
    /// Resamples `series` (intraday bars) to `target`.
    ///
    /// - Throws: `DataError` (`.badOption`) when `series` is not intraday, when an intraday
    ///   `target` is not a whole multiple of the series' interval (e.g. 15m → 20m, or 1m → 90s),
    ///   or when a bar lies on a date the calendar does not cover (NYSE: 1990–2030).
    public static func resample(
        _ series: BarSeries, to target: BarInterval, hours: TradingHours = .regular,
        calendar: some ExchangeCalendar = NYSECalendar.shared
    ) throws(DataError) -> BarSeries {
        let source = series.interval
        guard source.isIntraday else {
            throw DataError(.badOption, file: series.symbol, value: source.description,
                            "resampling needs intraday bars (1m, 5m, 1h …); this series is \(source)")
        }
        switch target.unit {
        case .seconds:
            guard target.count >= source.count, target.count % source.count == 0 else {
                throw DataError(.badOption, file: series.symbol, value: target.description,
                                "target interval \(target) must be a whole multiple of the series' interval \(source)")
            }
        case .day, .week, .month:
            guard target.count == 1 else {
                throw DataError(.badOption, file: series.symbol, value: target.description,
                                "calendar intervals resample to one unit only: use 1d, 1w or 1mo")
            }
        }
        var out = BucketWriter(series: series, interval: target)
        var cursor = SessionCursor(calendar: calendar)
        let step = target.unit == .seconds ? Int64(target.count) * UnixTime.nanosPerSecond : 0
        for i in 0..<series.count {
            let t = series.time[i]
            cursor.move(to: t)
            guard let s = cursor.session else {
                if !calendar.supportedDates.contains(cursor.date) {
                    throw DataError(.badOption, file: series.symbol, value: ISO8601.utc(t),
                                    "bar \(i) lies outside the \(calendar.name) calendar's dates \(calendar.supportedDates.lowerBound) … \(calendar.supportedDates.upperBound)")
                }
                continue
            }
            let inRegular = t >= s.open && t < s.close
            if hours == .regular && !inRegular { continue }
            let key: UnixNanos
            switch target.unit {
            case .seconds:
                if inRegular {
                    key = s.open + (t - s.open) / step * step
                } else if t < s.open {
                    // Aligned backwards from the open; cut at local midnight.
                    let k = (s.open - t + step - 1) / step
                    key = max(s.open - k * step, cursor.dayStart)
                } else {
                    key = s.close + (t - s.close) / step * step
                }
            case .day:
                key = s.open
            case .week:
                // Monday of the session's week identifies the group.
                let days = s.date.daysSinceEpoch
                let monday = days - (s.date.weekday + 6) % 7
                key = Int64(monday)
            case .month:
                key = Int64(s.date.year * 12 + s.date.month)
            }
            out.add(bar: i, key: key, stamp: target.unit == .seconds ? key : s.open)
        }
        return out.finish()
    }
}

/// Accumulates consecutive source bars that share a bucket key and emits one bar per bucket.
struct BucketWriter {
    let src: BarSeries
    var result: BarSeries
    var key: Int64 = .min
    var open = 0.0, high = 0.0, low = 0.0, close = 0.0, volume = 0.0
    var pv = 0.0, vwapSum = 0.0, vwapCount = 0.0, trades = 0.0, dividend = 0.0, split = 1.0, adjClose = 0.0
    var stamp: UnixNanos = 0
    var active = false

    init(series: BarSeries, interval: BarInterval) {
        src = series
        result = BarSeries(symbol: series.symbol, interval: interval)
        if series.vwap != nil { result.vwap = [] }
        if series.tradeCount != nil { result.tradeCount = [] }
        if series.dividend != nil { result.dividend = [] }
        if series.splitCoefficient != nil { result.splitCoefficient = [] }
        if series.sourceAdjustedClose != nil { result.sourceAdjustedClose = [] }
    }

    mutating func add(bar i: Int, key k: Int64, stamp st: UnixNanos) {
        if !active || k != key {
            if active { flush() }
            active = true
            key = k
            stamp = st
            open = src.open[i]
            high = src.high[i]
            low = src.low[i]
            volume = 0; pv = 0; vwapSum = 0; vwapCount = 0; trades = 0; dividend = 0; split = 1
        } else {
            high = Swift.max(high, src.high[i])
            low = Swift.min(low, src.low[i])
        }
        close = src.close[i]
        let v = src.volume[i]
        volume += v
        if let w = src.vwap?[i] {
            pv += w * v
            vwapSum += w
            vwapCount += 1
        }
        if let c = src.tradeCount?[i] { trades += c }
        if let d = src.dividend?[i] { dividend += d }
        if let s = src.splitCoefficient?[i] { split *= s }
        if let a = src.sourceAdjustedClose?[i] { adjClose = a }
    }

    private mutating func flush() {
        result.time.append(stamp)
        result.open.append(open)
        result.high.append(high)
        result.low.append(low)
        result.close.append(close)
        result.volume.append(volume)
        if result.vwap != nil { result.vwap!.append(volume > 0 ? pv / volume : vwapSum / vwapCount) }
        if result.tradeCount != nil { result.tradeCount!.append(trades) }
        if result.dividend != nil { result.dividend!.append(dividend) }
        if result.splitCoefficient != nil { result.splitCoefficient!.append(split) }
        if result.sourceAdjustedClose != nil { result.sourceAdjustedClose!.append(adjClose) }
    }

    mutating func finish() -> BarSeries {
        if active { flush() }
        active = false
        return result
    }
}
