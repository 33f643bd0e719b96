/// The regular trading sessions of the New York Stock Exchange (XNYS) from 1990-01-01 through
/// 2030-12-31: 09:30–16:00 America/New_York, minus full-day holidays and unscheduled closures,
/// with early closes (13:00 from 1993, 14:00 before).
///
/// The sessions are computed once, on first use of `shared`, into a compact table of contiguous
/// arrays (`sessionDays`, `opens`, `closes`). Every lookup is O(1) or O(log n) and allocation-free.
/// The table is verified session by session against `exchange_calendars` XNYS 4.13.2.
///
/// Indexed access: sessions are numbered `0..<sessionCount` in date order; the index is what
/// session-aware code (session views, resampling, the engine) stores per bar.
public struct NYSECalendar: ExchangeCalendar {
    /// The one shared table (built on first use, about 10,300 sessions).
    public static let shared = NYSECalendar(building: ())

    /// Returns the shared table (cheap: the arrays are shared, not copied).
    public init() { self = NYSECalendar.shared }

    public var name: String { "NYSE" }
    public var zone: ZoneRules { .newYork }

    /// 1990-01-01 … 2030-12-31.
    public static let supportedDates: ClosedRange<CivilDate> =
        CivilDate(year: 1990, month: 1, day: 1)!...CivilDate(year: 2030, month: 12, day: 31)!
    public var supportedDates: ClosedRange<CivilDate> { NYSECalendar.supportedDates }

    /// Each session's local trading date as days since 1970-01-01, ascending.
    public let sessionDays: [Int32]
    /// Each session's opening instant (UTC ns), ascending.
    public let opens: [UnixNanos]
    /// Each session's closing instant (UTC ns), ascending.
    public let closes: [UnixNanos]
    /// True where the session closes before 16:00 local.
    public let earlyCloses: [Bool]
    /// For each day of the supported range (offset from its first day), the index of the first
    /// session on or after that day (`sessionCount` past the last one).
    @usableFromInline let firstOnOrAfter: [Int32]
    @usableFromInline let firstDay: Int

    private init(building: Void) {
        let zone = ZoneRules.newYork
        let range = NYSECalendar.supportedDates
        let first = range.lowerBound.daysSinceEpoch
        let last = range.upperBound.daysSinceEpoch
        var closed = Set<Int>()
        for year in range.lowerBound.year...range.upperBound.year {
            for d in NYSERules.holidays(in: year) { closed.insert(d.daysSinceEpoch) }
        }
        for d in NYSERules.unscheduledClosures { closed.insert(d.daysSinceEpoch) }

        var days: [Int32] = [], opens: [UnixNanos] = [], closes: [UnixNanos] = [], early: [Bool] = []
        var index: [Int32] = []
        let capacity = (last - first + 1) * 5 / 7 + 1
        days.reserveCapacity(capacity)
        opens.reserveCapacity(capacity)
        closes.reserveCapacity(capacity)
        early.reserveCapacity(capacity)
        index.reserveCapacity(last - first + 1)
        for dayNumber in first...last {
            index.append(Int32(days.count))
            let date = CivilDate(daysSinceEpoch: dayNumber)
            if date.isWeekend || closed.contains(dayNumber) { continue }
            let earlyMinute = NYSERules.earlyCloseMinute(on: date)
            let closeMinute = earlyMinute ?? NYSERules.regularCloseMinute
            days.append(Int32(dayNumber))
            opens.append(zone.instant(date, hour: NYSERules.regularOpenMinute / 60,
                                      minute: NYSERules.regularOpenMinute % 60))
            closes.append(zone.instant(date, hour: closeMinute / 60, minute: closeMinute % 60))
            early.append(earlyMinute != nil)
        }
        index.append(Int32(days.count))
        self.sessionDays = days
        self.opens = opens
        self.closes = closes
        self.earlyCloses = early
        self.firstOnOrAfter = index
        self.firstDay = first
    }

    // MARK: - Indexed access

    /// Number of sessions in the table.
    @inlinable public var sessionCount: Int { sessionDays.count }

    /// The session at `index` (`0..<sessionCount`; precondition).
    @inlinable
    public func session(at index: Int) -> TradingSession {
        TradingSession(date: CivilDate(daysSinceEpoch: Int(sessionDays[index])), open: opens[index],
                       close: closes[index], isEarlyClose: earlyCloses[index])
    }

    /// The index of the session on `date`, or nil when the exchange is closed or the date is out of range.
    @inlinable
    public func sessionIndex(on date: CivilDate) -> Int? {
        guard let i = sessionIndex(onOrAfter: date), Int(sessionDays[i]) == date.daysSinceEpoch else { return nil }
        return i
    }

    /// The index of the first session on or after `date`; nil when `date` is outside `supportedDates`
    /// or no session follows within it.
    @inlinable
    public func sessionIndex(onOrAfter date: CivilDate) -> Int? {
        let offset = date.daysSinceEpoch - firstDay
        guard offset >= 0, offset < firstOnOrAfter.count - 1 else { return nil }
        let i = Int(firstOnOrAfter[offset])
        return i < sessionCount ? i : nil
    }

    /// The index of the last session on or before `date`; nil when `date` is outside `supportedDates`
    /// or no session precedes it within them.
    @inlinable
    public func sessionIndex(onOrBefore date: CivilDate) -> Int? {
        let offset = date.daysSinceEpoch - firstDay
        guard offset >= 0, offset < firstOnOrAfter.count - 1 else { return nil }
        // Sessions strictly before the next day.
        let i = Int(firstOnOrAfter[offset + 1]) - 1
        return i >= 0 ? i : nil
    }

    /// The index of the session whose regular hours `[open, close)` contain `instant`, or nil
    /// (before the open, after the close, on a closed day, or outside the table). O(log n).
    @inlinable
    public func sessionIndex(containing instant: UnixNanos) -> Int? {
        guard let i = lastSessionIndex(openingAtOrBefore: instant) else { return nil }
        return instant < closes[i] ? i : nil
    }

    /// The index of the last session that opened at or before `instant` (it may have closed since),
    /// or nil before the first session. O(log n). Useful to attach extended-hours bars to a session.
    @inlinable
    public func lastSessionIndex(openingAtOrBefore instant: UnixNanos) -> Int? {
        var lo = 0
        var hi = opens.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if opens[mid] <= instant { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    // MARK: - ExchangeCalendar

    /// The session on `date`, or nil when the exchange is closed that day or the date is out of range.
    public func session(on date: CivilDate) -> TradingSession? {
        sessionIndex(on: date).map(session(at:))
    }

    /// All sessions with `from <= date <= to`, ascending (empty when the range holds only closed days).
    ///
    /// - Throws: `CalendarError.outOfRange` when either end lies outside 1990-01-01 … 2030-12-31,
    ///   `CalendarError.emptyRange` when `from` is after `to`.
    public func sessions(from: CivilDate, to: CivilDate) throws(CalendarError) -> [TradingSession] {
        let r = try indexRange(from: from, to: to)
        return r.map(session(at:))
    }

    /// The indices of the sessions with `from <= date <= to`; throws as `sessions(from:to:)`.
    public func indexRange(from: CivilDate, to: CivilDate) throws(CalendarError) -> Range<Int> {
        let supported = supportedDates
        guard supported.contains(from) else { throw .outOfRange(from, supported: supported) }
        guard supported.contains(to) else { throw .outOfRange(to, supported: supported) }
        guard from <= to else { throw .emptyRange(from: from, to: to) }
        let lo = sessionIndex(onOrAfter: from) ?? sessionCount
        let hi = (sessionIndex(onOrBefore: to) ?? -1) + 1
        return lo < hi ? lo..<hi : lo..<lo
    }

    /// The last session strictly before `date`, or nil (none within the table, or `date` out of range).
    public func previousSession(before date: CivilDate) -> TradingSession? {
        guard supportedDates.contains(date) else { return nil }
        let i = sessionIndex(onOrAfter: date) ?? sessionCount
        return i > 0 ? session(at: i - 1) : nil
    }

    /// The first session strictly after `date`, or nil (none within the table, or `date` out of range).
    public func nextSession(after date: CivilDate) -> TradingSession? {
        guard supportedDates.contains(date) else { return nil }
        let i = (sessionIndex(onOrBefore: date) ?? -1) + 1
        return i < sessionCount ? session(at: i) : nil
    }
}
