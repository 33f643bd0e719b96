import TradewindCore

/// The compounded return of one calendar month (`month` 1-12) or one calendar year (`month` nil).
public struct PeriodReturn: Sendable, Equatable, Codable {
    public let year: Int
    public let month: Int?
    public let value: Double

    public init(year: Int, month: Int?, value: Double) {
        self.year = year
        self.month = month
        self.value = value
    }
}

extension Performance {
    /// Compounded return of every calendar month that has at least one bar, in time order
    /// (QuantStats `monthly_returns`, which shows months without bars as 0). Months are taken from the
    /// civil date of each bar's time in `zone` (UTC by default, as QuantStats after normalising to UTC).
    public static func monthlyReturns(_ series: ReturnSeries, zone: ZoneRules = .utc) -> [PeriodReturn] {
        grouped(series, zone: zone, byMonth: true)
    }

    /// Compounded return of every calendar year that has at least one bar (QuantStats' `EOY` column).
    public static func yearlyReturns(_ series: ReturnSeries, zone: ZoneRules = .utc) -> [PeriodReturn] {
        grouped(series, zone: zone, byMonth: false)
    }

    static func grouped(_ series: ReturnSeries, zone: ZoneRules, byMonth: Bool) -> [PeriodReturn] {
        var out: [PeriodReturn] = []
        let isUTC = zone.identifier == ZoneRules.utc.identifier
        // Local-time bounds [periodStart, periodEnd) of the current group: a bar inside them needs no
        // date conversion, so the civil calendar is consulted once per month, not once per bar.
        var periodStart = Int64.max, periodEnd = Int64.min
        var year = 0, month = 0
        var growth = 1.0
        var started = false
        for i in series.returns.indices {
            let t = series.times[i]
            let local = isUTC ? t : zone.localNanos(fromUTC: t)
            if local < periodStart || local >= periodEnd {
                if started { out.append(PeriodReturn(year: year, month: byMonth ? month : nil, value: growth - 1)) }
                started = true
                growth = 1
                let d = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(local, UnixTime.nanosPerDay)))
                year = d.year
                month = d.month
                let first = CivilDate(year: year, month: byMonth ? month : 1, day: 1)!
                let next = byMonth ? (month == 12 ? CivilDate(year: year + 1, month: 1, day: 1)! : CivilDate(year: year, month: month + 1, day: 1)!)
                                   : CivilDate(year: year + 1, month: 1, day: 1)!
                periodStart = Int64(first.daysSinceEpoch) * UnixTime.nanosPerDay
                periodEnd = Int64(next.daysSinceEpoch) * UnixTime.nanosPerDay
            }
            growth *= 1 + series.returns[i]
        }
        if started { out.append(PeriodReturn(year: year, month: byMonth ? month : nil, value: growth - 1)) }
        return out
    }
}
