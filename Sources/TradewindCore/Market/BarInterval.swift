/// The length of the bars in a series: a number of seconds for intraday bars, or one trading
/// session (`.daily`), one week or one month for bars that follow the exchange calendar.
public struct BarInterval: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public enum Unit: String, Sendable, Codable { case seconds, day, week, month }
    public let unit: Unit
    /// For `.seconds`: the bar length in seconds. For calendar units: the number of units.
    public let count: Int

    public init(seconds: Int) { unit = .seconds; count = seconds }
    private init(unit: Unit, count: Int) { self.unit = unit; self.count = count }

    public static func minutes(_ n: Int) -> BarInterval { BarInterval(seconds: 60 * n) }
    public static func hours(_ n: Int) -> BarInterval { BarInterval(seconds: 3600 * n) }
    public static let minute = BarInterval.minutes(1)
    /// One bar per trading session.
    public static let daily = BarInterval(unit: .day, count: 1)
    public static let weekly = BarInterval(unit: .week, count: 1)
    public static let monthly = BarInterval(unit: .month, count: 1)

    /// True for bars shorter than a session.
    public var isIntraday: Bool { unit == .seconds }

    /// The nominal length in nanoseconds (a session counts as 24 h, a week as 7 days, a month as 30 days).
    /// Saturates at `Int64.max` for a count too large to express (possible only through `init(seconds:)`:
    /// parsed intervals are at most `maxNominalNanos`).
    public var nominalNanos: Int64 {
        let unitNanos: Int64
        switch unit {
        case .seconds: unitNanos = UnixTime.nanosPerSecond
        case .day: unitNanos = UnixTime.nanosPerDay
        case .week: unitNanos = 7 * UnixTime.nanosPerDay
        case .month: unitNanos = 30 * UnixTime.nanosPerDay
        }
        let (v, overflow) = Int64(count).multipliedReportingOverflow(by: unitNanos)
        return overflow ? .max : v
    }

    /// The longest interval a text may name: 100 years (36,525 days), so that a bar's length and the instants
    /// computed from it stay far inside `UnixNanos`.
    public static let maxNominalNanos: Int64 = 36_525 * UnixTime.nanosPerDay

    /// Parses `30s`, `1m`, `1min`, `5m`, `15min`, `1h`, `1d`, `daily`, `1w`, `weekly`, `1mo`, `monthly`.
    public init?(_ text: String) {
        let t = text.lowercased().trimmingCharacters(in: " ")
        switch t {
        case "daily", "day", "d": self = .daily; return
        case "weekly", "week", "w": self = .weekly; return
        case "monthly", "month", "mo": self = .monthly; return
        default: break
        }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        // At most 100 years whatever the unit, so `60 * n` and the nanosecond length cannot overflow.
        guard let n = Int(digits), n > 0, n <= 36_525 * 86_400 else { return nil }
        switch t.dropFirst(digits.count) {
        case "s", "sec", "secs", "second", "seconds": self.init(seconds: n)
        case "m", "min", "mins", "minute", "minutes", "t": self = .minutes(n)
        case "h", "hr", "hour", "hours": self = .hours(n)
        case "d", "day", "days": self.init(unit: .day, count: n)
        case "w", "wk", "week", "weeks": self.init(unit: .week, count: n)
        case "mo", "mon", "month", "months": self.init(unit: .month, count: n)
        default: return nil
        }
        guard nominalNanos <= BarInterval.maxNominalNanos else { return nil }
    }

    /// `1m`, `15m`, `1h`, `30s`, `1d`, `1w`, `1mo`.
    public var description: String {
        switch unit {
        case .seconds:
            if count % 3600 == 0 { return "\(count / 3600)h" }
            if count % 60 == 0 { return "\(count / 60)m" }
            return "\(count)s"
        case .day: return "\(count)d"
        case .week: return "\(count)w"
        case .month: return "\(count)mo"
        }
    }

    public static func < (a: BarInterval, b: BarInterval) -> Bool { a.nominalNanos < b.nominalNanos }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let v = BarInterval(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad interval \(s)"))
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
