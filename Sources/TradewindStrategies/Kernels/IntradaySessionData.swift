import TradewindAnalytics
import TradewindCore
import TradewindData

/// One symbol's minute bars prepared for the intraday kernels: the regular-hours session view (first/last bar,
/// previous regular-hours close per session) and contiguous price columns. Build once per symbol and reuse it
/// for every grid.
public struct IntradaySessionData: Sendable {
    public let series: BarSeries
    public let sessions: SessionView
    /// The bar length in nanoseconds.
    public let barNanos: Int64

    /// Throws `KernelError.unsupportedData` for daily or coarser bars (the family needs intraday bars).
    public init(series: BarSeries, calendar: some ExchangeCalendar = NYSECalendar.shared) throws(KernelError) {
        guard series.interval.unit == .seconds, series.interval.count > 0 else {
            throw KernelError.unsupportedData(
                "the intraday strategies need intraday bars (e.g. 1-minute); \(series.symbol) has \(series.interval) bars")
        }
        try Self.checkPrices(series)
        self.series = series
        self.sessions = SessionView(series: series, calendar: calendar)
        self.barNanos = Int64(series.interval.count) * UnixTime.nanosPerSecond
    }

    /// Bars a year for the engine summary's annualisation (`Annualization.periodsPerYear`: 98,280 for minute bars).
    public var periodsPerYear: Double { Annualization.periodsPerYear(for: series.interval) }

    /// Number of session returns the metrics use: one per session in the data (the first against the initial cash).
    public var returnCount: Int { sessions.sessionCount }

    /// The instant of a local New York time (minutes after midnight) in session `s` (sessions open at 09:30).
    @inlinable func instant(minutes: Int, session s: Int) -> UnixNanos {
        sessions.open[s] + Int64(minutes - 570) * UnixTime.nanosPerMinute
    }
}

extension IntradaySessionData {
    /// Kernels refuse non-finite or non-positive prices (the engine refuses non-finite ones), naming the bar.
    static func checkPrices(_ series: BarSeries) throws(KernelError) {
        if pricesArePositiveNumbers(series) { return }
        for i in 0..<series.count {
            let o = series.open[i], h = series.high[i], l = series.low[i], c = series.close[i]
            guard o.isFinite, h.isFinite, l.isFinite, c.isFinite, o > 0, h > 0, l > 0, c > 0 else {
                throw KernelError.unsupportedData(
                    "\(series.symbol) bar \(i) (\(ISO8601.utc(series.time[i]))) has a non-finite or non-positive price "
                    + "(open \(o), high \(h), low \(l), close \(c)); clean or drop it first")
            }
        }
    }

    /// True when every open, high, low and close is finite and positive: one branch-free pass (it vectorises), so
    /// the check costs a fraction of a kernel's run; `checkPrices` looks for the offending bar only when it fails.
    static func pricesArePositiveNumbers(_ series: BarSeries) -> Bool {
        func check(_ column: [Double]) -> Bool {
            column.withUnsafeBufferPointer { values in
                // x > 0 && x <= max is false for NaN, ±infinity, zero and negatives; four lanes at a time.
                let n = values.count
                guard let base = values.baseAddress else { return true }
                let raw = UnsafeRawPointer(base)
                let largest = SIMD4<Double>(repeating: .greatestFiniteMagnitude)
                var good = SIMDMask<SIMD4<Int64>>(repeating: true)
                var i = 0
                while i + 4 <= n {
                    let v = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                    good .&= (v .> 0) .& (v .<= largest)
                    i += 4
                }
                var tail = true
                while i < n {
                    let x = values[i]
                    tail = tail && x > 0 && x <= .greatestFiniteMagnitude
                    i += 1
                }
                return all(good) && tail
            }
        }
        return check(series.open) && check(series.high) && check(series.low) && check(series.close)
    }

    /// First index in `lo..<hi` whose bar time satisfies `time + offset >= instant` (hi when none).
    @inlinable static func firstBar(_ time: UnsafeBufferPointer<UnixNanos>, _ lo: Int, _ hi: Int,
                                    endingAtOrAfter instant: UnixNanos, offset: Int64) -> Int {
        var a = lo, b = hi
        while a < b {
            let m = (a + b) >> 1
            if time[m] + offset < instant { a = m + 1 } else { b = m }
        }
        return a
    }
}
