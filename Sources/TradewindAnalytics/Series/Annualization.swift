import TradewindCore

/// How many bars make a year, the factor every annualised metric scales by.
///
/// QuantStats calls this `periods` (default 252, daily bars). Annualised volatility and Sharpe/Sortino
/// scale by `sqrt(periodsPerYear)`; CAGR counts years as `observations / periodsPerYear` (QuantStats
/// 0.0.86 counts *bars*, not calendar days); the risk-free rate and omega's required return are
/// de-annualised geometrically, `(1 + rate)^(1 / periodsPerYear) - 1`.
public enum Annualization {
    /// 252 trading sessions a year (NYSE, the QuantStats default).
    public static let tradingDaysPerYear: Double = 252
    /// 390 one-minute bars in a regular NYSE session (09:30-16:00 ET).
    public static let nyseMinutesPerSession: Double = 390
    /// Daily bars: 252.
    public static let daily: Double = tradingDaysPerYear
    /// NYSE regular-session minute bars: 252 × 390 = 98,280.
    public static let nyseMinute: Double = tradingDaysPerYear * nyseMinutesPerSession

    /// Periods per year for bars of `interval` on a calendar with `sessionsPerYear` sessions of
    /// `sessionMinutes` minutes: intraday bars count `sessionMinutes × 60 / seconds` bars a session
    /// (e.g. 390 for 1m, 26 for 15m on NYSE), daily bars `sessionsPerYear / count`, weekly `52 / count`,
    /// monthly `12 / count`. A 24-hour market (crypto) passes `sessionMinutes: 1440, sessionsPerYear: 365`.
    public static func periodsPerYear(for interval: BarInterval,
                                      sessionsPerYear: Double = tradingDaysPerYear,
                                      sessionMinutes: Double = nyseMinutesPerSession) -> Double {
        let n = Double(max(interval.count, 1))
        switch interval.unit {
        case .seconds: return sessionsPerYear * sessionMinutes * 60 / n
        case .day: return sessionsPerYear / n
        case .week: return 52 / n
        case .month: return 12 / n
        }
    }

    /// Checks that `periodsPerYear` is finite and > 0.
    public static func validate(_ periodsPerYear: Double) throws(AnalyticsError) {
        guard periodsPerYear.isFinite, periodsPerYear > 0 else {
            throw .invalidParameter(name: "periodsPerYear", value: periodsPerYear, expected: "a finite number > 0 (252 for daily bars)")
        }
    }

    /// The per-period rate equivalent to an annual `rate`: `(1 + rate)^(1/periodsPerYear) - 1`
    /// (QuantStats `to_excess_returns` with `nperiods`).
    @inlinable
    public static func perPeriodRate(annual rate: Double, periodsPerYear: Double) -> Double {
        rate == 0 ? 0 : _pow(1 + rate, 1 / periodsPerYear) - 1
    }
}
