import TradewindCore

/// Walks ascending instants and tells, for each, the exchange-local day it falls on and that day's
/// session (if any), recomputing only when an instant crosses into a new local day: amortised O(1)
/// per instant, no allocation.
struct SessionCursor<Calendar: ExchangeCalendar> {
    let calendar: Calendar
    let zone: ZoneRules
    /// UTC instants bounding the current local day: `[dayStart, dayEnd)`.
    private(set) var dayStart: UnixNanos = .max
    private(set) var dayEnd: UnixNanos = .min
    /// The current local date.
    private(set) var date = CivilDate(daysSinceEpoch: 0)
    /// The session on `date`, if the exchange trades that day.
    private(set) var session: TradingSession?

    init(calendar: Calendar) {
        self.calendar = calendar
        self.zone = calendar.zone
    }

    /// Moves to the local day containing `instant` (any direction).
    @inline(__always)
    mutating func move(to instant: UnixNanos) {
        if instant >= dayStart && instant < dayEnd { return }
        date = zone.localDate(of: instant)
        let midnight = Int64(date.daysSinceEpoch) * UnixTime.nanosPerDay
        dayStart = zone.utcNanos(fromLocal: midnight)
        dayEnd = zone.utcNanos(fromLocal: midnight + UnixTime.nanosPerDay)
        session = calendar.session(on: date)
    }
}
