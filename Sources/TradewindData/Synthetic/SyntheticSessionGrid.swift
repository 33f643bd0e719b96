import TradewindCore

/// The bar grid shared by every synthetic symbol: bar start instants on the exchange's sessions and,
/// per bar, its share of the day's drift, variance and volume (U-shaped across the session).
///
/// Built once per `generate` call; the `time` array is shared (copy-on-write) by every series.
struct SyntheticSessionGrid: Sendable {
    /// Bar start instants, ascending.
    var time: [UnixNanos] = []
    /// Bar length as a fraction of a regular 6.5-hour session (drift and variance scale with it).
    var share: [Double] = []
    /// Standard-deviation multiplier: sqrt(share × mean intraday volatility weight over the bar).
    var sigmaScale: [Double] = []
    /// Expected fraction of a regular session's volume traded in the bar.
    var volumeShare: [Double] = []
    /// True for the first bar of each session (where the overnight gap applies).
    var opensSession: [Bool] = []

    /// Variance weight over the session, u(x) = a + b(2x−1)², mean 1 over [0, 1]: high at the open
    /// and the close, about half the average at midday.
    static let volA = 0.55, volB = 1.35
    /// Volume weight, same shape, more pronounced (a closing-auction-like surge).
    static let volumeA = 0.4, volumeB = 1.8

    /// Mean of a + b(2x−1)² over [x0, x1].
    @inline(__always)
    static func meanWeight(_ a: Double, _ b: Double, _ x0: Double, _ x1: Double) -> Double {
        if x1 <= x0 { return a + b * (2 * x0 - 1) * (2 * x0 - 1) }
        let u0 = 2 * x0 - 1, u1 = 2 * x1 - 1
        return a + b * (u1 * u1 * u1 - u0 * u0 * u0) / (6 * (x1 - x0))
    }

    /// Bars of `interval` (intraday seconds, or one bar per session for `.daily`) on every session
    /// of `sessions`. Intraday bars are aligned to the open; the last one of a session is cut at its close.
    /// The number of bars the grid will hold (computed without building it).
    static func barCount(sessions: Range<Int>, calendar: NYSECalendar, interval: BarInterval) -> Int {
        let step: Int64 = interval.unit == .seconds ? Int64(interval.count) * UnixTime.nanosPerSecond : .max
        var total = 0
        for s in sessions {
            let d = calendar.closes[s] - calendar.opens[s]
            total += step == .max ? 1 : Int((d + step - 1) / step)
        }
        return total
    }

    init(sessions: Range<Int>, calendar: NYSECalendar, interval: BarInterval) {
        let regular = Double(390 * UnixTime.nanosPerMinute)
        let step: Int64 = interval.unit == .seconds ? Int64(interval.count) * UnixTime.nanosPerSecond : .max
        let total = Self.barCount(sessions: sessions, calendar: calendar, interval: interval)
        time.reserveCapacity(total)
        share.reserveCapacity(total)
        sigmaScale.reserveCapacity(total)
        volumeShare.reserveCapacity(total)
        opensSession.reserveCapacity(total)
        for s in sessions {
            let open = calendar.opens[s], close = calendar.closes[s]
            let length = Double(close - open)
            var t = open
            while t < close {
                let end = step == .max ? close : min(close, t + step)
                let x0 = Double(t - open) / length, x1 = Double(end - open) / length
                let f = Double(end - t) / regular
                time.append(t)
                share.append(f)
                sigmaScale.append((f * Self.meanWeight(Self.volA, Self.volB, x0, x1)).squareRoot())
                volumeShare.append(f * Self.meanWeight(Self.volumeA, Self.volumeB, x0, x1))
                opensSession.append(t == open)
                t = end
            }
        }
    }
}
