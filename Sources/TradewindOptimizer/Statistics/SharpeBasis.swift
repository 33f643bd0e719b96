import TradewindAnalytics
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// The returns the overfitting statistics (PSR, DSR, the trials' Sharpe variance) are computed on.
///
/// Daily and longer bars: every bar's return. Intraday bars: each session's return, from the equity at the last
/// bar of each local calendar day (the session zone's) that has a bar in regular hours (the session policy's
/// calendar or hours; every day when it has neither), starting from the initial cash. Minute returns are too
/// autocorrelated and fat-tailed for the normal approximations behind PSR and DSR, and sessions are what the
/// intraday kernel measures, so kernel and engine trials enter the same statistic.
enum SharpeBasis {
    /// Returns per year on this basis (sessions for intraday data).
    static func periodsPerYear(_ interval: BarInterval) -> Double {
        interval.isIntraday ? Annualization.tradingDaysPerYear : Annualization.periodsPerYear(for: interval)
    }

    /// The equity at the end of each period of `result` on this basis (bars, or the last bar of each local day with
    /// a bar in regular hours; equity changes on other days fall into the next session's return).
    static func periodEquity(_ result: BacktestResult, interval: BarInterval, session: SessionPolicy) -> [Double] {
        let equity = result.equity.equity
        guard interval.isIntraday else { return equity }
        let time = result.equity.time
        var out: [Double] = []
        var span = (offset: Int64(0), start: UnixNanos.max, end: UnixNanos.min)
        var cached: (day: Int64, session: TradingSession?)? = nil
        var day = Int64.min, last = Double.nan, counted = false
        for i in time.indices {
            if time[i] < span.start || time[i] >= span.end { span = session.zone.offsetSpan(at: time[i]) }
            let local = time[i] + span.offset
            let d = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
            if d != day {
                if counted { out.append(last) }
                day = d
                counted = false
            }
            last = equity[i]
            if !counted { counted = session.isInSession(time[i], local: local, cachedSession: &cached) }
        }
        if counted { out.append(last) }
        return out
    }

    /// The period returns of `result` on this basis (the first from the initial cash).
    static func returns(_ result: BacktestResult, interval: BarInterval, session: SessionPolicy) -> [Double] {
        var previous = result.initialCash
        return periodEquity(result, interval: interval, session: session).map { e in
            defer { previous = e }
            return previous > 0 ? e / previous - 1 : .nan
        }
    }

    /// The per-period (not annualised) Sharpe ratio of an engine run on this basis, as `SearchRunner` gathers it over
    /// trials: the summary's annualised Sharpe de-annualised for bars; the kernels' session Sharpe
    /// (`KernelStatistics`) for intraday data. NaN when undefined.
    static func periodSharpe(_ result: BacktestResult, summary: BacktestSummary, interval: BarInterval,
                             session: SessionPolicy) -> Double {
        guard interval.isIntraday else { return (summary.sharpe ?? .nan) * (1 / periodsPerYear(interval).squareRoot()) }
        let sessions = periodEquity(result, interval: interval, session: session)
        let k = KernelStatistics.metrics(equity: sessions, initialCash: result.initialCash, trades: 0, wins: 0)
        return periodSharpe(kernel: k.sharpe)
    }

    /// A kernel's annualised Sharpe (√252, sessions or daily bars) per period; 0 (flat equity) is undefined.
    static func periodSharpe(kernel sharpe: Double) -> Double {
        sharpe == 0 ? .nan : sharpe * (1 / Annualization.tradingDaysPerYear.squareRoot())
    }
}
