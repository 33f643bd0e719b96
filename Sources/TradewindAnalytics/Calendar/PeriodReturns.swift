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
        var key: (Int, Int)? = nil
        var growth = 1.0
        for i in series.returns.indices {
            let d = zone.localDate(of: series.times[i])
            let k = (d.year, byMonth ? d.month : 0)
            if let cur = key, cur != k {
                out.append(PeriodReturn(year: cur.0, month: byMonth ? cur.1 : nil, value: growth - 1))
                growth = 1
            }
            key = k
            growth *= 1 + series.returns[i]
        }
        if let cur = key { out.append(PeriodReturn(year: cur.0, month: byMonth ? cur.1 : nil, value: growth - 1)) }
        return out
    }
}
