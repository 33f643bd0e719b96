import TradewindCore

/// Simple (arithmetic) per-bar returns with the time of each bar: the validated input of every dated
/// metric (drawdown dates, monthly and yearly tables, the full `PerformanceReport`).
///
/// `returns[i]` is the return earned over bar `i` and `times[i]` is that bar's time (Tradewind stamps a
/// bar by its START; QuantStats stamps a daily return by its date, which for date-only data is the same
/// midnight-UTC instant). Calendar grouping uses the UTC date of `times[i]` unless a zone is given, as
/// QuantStats does after normalising a tz-aware index to UTC.
///
/// Invariants (checked by the initialisers): equal lengths, every return finite, times strictly increasing.
public struct ReturnSeries: Sendable, Equatable {
    public let returns: [Double]
    public let times: [UnixNanos]

    /// Validates and wraps `returns` and their `times`.
    public init(returns: [Double], times: [UnixNanos]) throws(AnalyticsError) {
        guard returns.count == times.count else {
            throw .lengthMismatch(what: "times", expected: returns.count, actual: times.count)
        }
        for (i, r) in returns.enumerated() where !r.isFinite {
            throw .nonFinite(what: "returns", index: i, value: r)
        }
        try ReturnSeries.checkSorted(times)
        self.returns = returns
        self.times = times
    }

    /// Removes missing observations (NaN returns) with their times, then validates the rest.
    ///
    /// QuantStats 0.0.86 keeps NaN in the series and lets pandas skip it, which for total return, CAGR
    /// (it counts non-missing bars), volatility, Sharpe, Sortino, omega, VaR, CVaR, skew, kurtosis, tail
    /// ratio, best/worst, win rate, profit factor, payoff, Kelly, exposure, max drawdown and the monthly
    /// table gives exactly the values computed on the series with the NaN rows dropped (tested). It
    /// differs in three places, where we follow the dropped series: QuantStats' consecutive wins/losses
    /// treat a NaN as a break in the streak, its probabilistic Sharpe ratio counts NaN rows in `n`, and its
    /// drawdown periods may end on a missing day. Infinite values are still rejected.
    public static func droppingMissing(returns: [Double], times: [UnixNanos]) throws(AnalyticsError) -> ReturnSeries {
        guard returns.count == times.count else {
            throw .lengthMismatch(what: "times", expected: returns.count, actual: times.count)
        }
        var r: [Double] = []
        var t: [UnixNanos] = []
        r.reserveCapacity(returns.count)
        t.reserveCapacity(returns.count)
        for i in returns.indices where !returns[i].isNaN {
            r.append(returns[i])
            t.append(times[i])
        }
        return try ReturnSeries(returns: r, times: t)
    }

    /// Returns of an equity curve: `returns[i] = equity[i+1] / equity[i] - 1`, stamped `times[i+1]`
    /// (the first bar only sets the base). Equity must be finite and > 0.
    public init(equity: [Double], times: [UnixNanos]) throws(AnalyticsError) {
        guard equity.count == times.count else {
            throw .lengthMismatch(what: "times", expected: equity.count, actual: times.count)
        }
        for (i, e) in equity.enumerated() {
            guard e.isFinite else { throw .nonFinite(what: "equity", index: i, value: e) }
            guard e > 0 else { throw .nonPositiveEquity(index: i, value: e) }
        }
        try self.init(returns: Performance.returns(fromEquity: equity), times: Array(times.dropFirst()))
    }

    /// Number of observations.
    public var count: Int { returns.count }

    static func checkSorted(_ times: [UnixNanos]) throws(AnalyticsError) {
        var i = 1
        while i < times.count {
            if times[i] <= times[i - 1] {
                throw .unsortedTimes(index: i, previous: times[i - 1], current: times[i])
            }
            i += 1
        }
    }
}
