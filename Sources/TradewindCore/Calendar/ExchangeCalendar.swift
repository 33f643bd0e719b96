/// Why a calendar query could not be answered.
public enum CalendarError: Error, Equatable, CustomStringConvertible {
    /// The date lies outside the years the calendar knows.
    case outOfRange(CivilDate, supported: ClosedRange<CivilDate>)
    /// `from` is after `to`.
    case emptyRange(from: CivilDate, to: CivilDate)

    public var description: String {
        switch self {
        case .outOfRange(let d, let r):
            return "date \(d) is outside the calendar's range \(r.lowerBound) … \(r.upperBound)"
        case .emptyRange(let f, let t):
            return "the range \(f) … \(t) is empty: the start date \(f) is after the end date \(t)"
        }
    }
}

/// The trading sessions of one exchange.
///
/// Implementations are immutable value types, safe to share across tasks.
public protocol ExchangeCalendar: Sendable {
    /// Short name, e.g. `NYSE`.
    var name: String { get }
    /// The exchange's time zone.
    var zone: ZoneRules { get }
    /// The first and last dates for which sessions are known.
    var supportedDates: ClosedRange<CivilDate> { get }
    /// The session on `date`, or nil when the exchange is closed that day (or the date is out of range).
    func session(on date: CivilDate) -> TradingSession?
    /// All sessions with `from <= date <= to`, ascending.
    func sessions(from: CivilDate, to: CivilDate) throws(CalendarError) -> [TradingSession]
}

extension ExchangeCalendar {
    /// True when the exchange trades on `date`.
    public func isSession(_ date: CivilDate) -> Bool { session(on: date) != nil }
}
