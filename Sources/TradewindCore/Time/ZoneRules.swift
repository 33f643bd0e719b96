import Foundation
import Synchronization

/// Why a time zone could not be used.
public enum ZoneError: Error, Equatable, CustomStringConvertible {
    case unknownZone(String)

    public var description: String {
        switch self {
        case .unknownZone(let id):
            return "unknown time zone '\(id)': use an IANA name such as America/New_York, Europe/London or UTC"
        }
    }
}

/// The UTC offsets of one IANA time zone (from the system tz database), as a precomputed
/// transition table for fast, allocation-free conversions between UTC and local wall-clock time.
///
/// The table covers 1900–2100; outside it the nearest known offset applies.
public struct ZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The IANA identifier, e.g. `America/New_York`.
    public let identifier: String
    /// UTC seconds at which the offset changes, ascending.
    @usableFromInline let transitions: [Int64]
    /// `offsets[i]` is in effect before `transitions[i]`; the last one after the last transition.
    @usableFromInline let offsets: [Int32]

    public static let utc = ZoneRules(fixedIdentifier: "UTC")
    /// The NYSE's zone: the system tz database's `America/New_York`, or, on a machine without one, the US Eastern rules
    /// built in (`usEasternRules`), so that nothing traps for want of tzdata.
    public static let newYork: ZoneRules = (try? ZoneRules.named("America/New_York")) ?? usEasternRules

    /// US Eastern time by the Uniform Time Act's rules, 1967–2100: EST (UTC−5) and EDT (UTC−4) from 02:00 local on the last
    /// Sunday of April to the last Sunday of October (1967–1986), the first Sunday of April to the last Sunday of October
    /// (1987–2006), the second Sunday of March to the first Sunday of November (from 2007), with the energy-crisis starts
    /// of 1974 (January 6) and 1975 (February 23); standard time before 1967.
    /// Equal to the tz database's `America/New_York` for those years (tested).
    public static let usEasternRules: ZoneRules = {
        var transitions: [Int64] = []
        var offsets: [Int32] = [-5 * 3600]
        func sunday(_ year: Int, _ month: Int, nth: Int) -> CivilDate {
            // nth > 0: the nth Sunday of the month; nth == 0: the last one.
            let first = CivilDate(year: year, month: month, day: 1)!
            let weekday = ((first.daysSinceEpoch + 4) % 7 + 7) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
            let firstSunday = first.adding(days: (7 - weekday) % 7)
            if nth > 0 { return firstSunday.adding(days: 7 * (nth - 1)) }
            var last = firstSunday
            while last.adding(days: 7).month == month { last = last.adding(days: 7) }
            return last
        }
        for year in 1967..<2100 {
            let (start, end): (CivilDate, CivilDate)
            if year == 1974 { (start, end) = (CivilDate(year: 1974, month: 1, day: 6)!, sunday(year, 10, nth: 0)) }
            else if year == 1975 { (start, end) = (CivilDate(year: 1975, month: 2, day: 23)!, sunday(year, 10, nth: 0)) }
            else if year < 1987 { (start, end) = (sunday(year, 4, nth: 0), sunday(year, 10, nth: 0)) }
            else if year < 2007 { (start, end) = (sunday(year, 4, nth: 1), sunday(year, 10, nth: 0)) }
            else { (start, end) = (sunday(year, 3, nth: 2), sunday(year, 11, nth: 1)) }
            // 02:00 EST and 02:00 EDT, in UTC seconds.
            transitions.append(Int64(start.daysSinceEpoch) * 86_400 + 2 * 3600 + 5 * 3600)
            offsets.append(-4 * 3600)
            transitions.append(Int64(end.daysSinceEpoch) * 86_400 + 2 * 3600 + 4 * 3600)
            offsets.append(-5 * 3600)
        }
        return ZoneRules(identifier: "America/New_York", transitions: transitions, offsets: offsets)
    }()

    private init(fixedIdentifier: String) {
        identifier = fixedIdentifier
        transitions = []
        offsets = [0]
    }

    init(identifier: String, transitions: [Int64], offsets: [Int32]) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
    }

    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// The rules of a named zone (cached). Accepts IANA names and `UTC`/`Z`. Read from the system's tz database file
    /// (`ZoneRules+TZif.swift`), or from ICU's copy of the database where the system has no usable file.
    public static func named(_ identifier: String) throws(ZoneError) -> ZoneRules {
        if identifier == "UTC" || identifier == "Z" || identifier == "Etc/UTC" || identifier == "GMT" {
            return .utc
        }
        if let hit = cache.withLock({ $0[identifier] }) { return hit }
        let rules: ZoneRules
        if let fromFile = fromSystemDatabase(identifier) { rules = fromFile } else { rules = try fromICU(identifier) }
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    /// The rules of `identifier` as Foundation's `TimeZone` (ICU) gives them, one transition at a time.
    static func fromICU(_ identifier: String) throws(ZoneError) -> ZoneRules {
        guard let tz = TimeZone(identifier: identifier) else { throw .unknownZone(identifier) }
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        let start = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        offsets.append(Int32(tz.secondsFromGMT(for: start)))
        var cursor = start
        while let next = tz.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let off = Int32(tz.secondsFromGMT(for: next))
            if off != offsets.last! {
                transitions.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(off)
            }
            cursor = next
        }
        return ZoneRules(identifier: identifier, transitions: transitions, offsets: offsets)
    }

    /// Offset from UTC, in seconds, in effect at a UTC instant given in seconds.
    @inlinable
    public func offsetSeconds(atUTCSeconds s: Int64) -> Int64 {
        // Upper bound: the number of transitions <= s.
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= s { lo = mid + 1 } else { hi = mid }
        }
        return Int64(offsets[lo])
    }

    /// Local wall-clock seconds (since the local epoch) of a UTC instant in seconds.
    @inlinable
    public func localSeconds(fromUTCSeconds s: Int64) -> Int64 { s + offsetSeconds(atUTCSeconds: s) }

    /// The UTC instant (seconds) of a naive local wall-clock time (seconds since the local epoch).
    ///
    /// Ambiguous local times (the repeated hour when clocks fall back) resolve to the **first**
    /// occurrence; local times in the gap when clocks spring forward are read with the offset
    /// in force before the change (so 02:30 on the spring-forward day becomes 03:30 daylight time).
    @inlinable
    public func utcSeconds(fromLocalSeconds local: Int64) -> Int64 {
        if transitions.isEmpty { return local - Int64(offsets[0]) }
        let before = offsetSeconds(atUTCSeconds: local - 86_400)
        let after = offsetSeconds(atUTCSeconds: local + 86_400)
        let a = local - before
        let b = local - after
        let aValid = offsetSeconds(atUTCSeconds: a) == before
        let bValid = offsetSeconds(atUTCSeconds: b) == after
        switch (aValid, bValid) {
        case (true, true): return min(a, b)
        case (true, false): return a
        case (false, true): return b
        case (false, false): return a
        }
    }

    /// Nanosecond variants of the conversions above.
    @inlinable
    public func offsetNanos(at instant: UnixNanos) -> Int64 {
        offsetSeconds(atUTCSeconds: UnixTime.floorDiv(instant, UnixTime.nanosPerSecond)) * UnixTime.nanosPerSecond
    }

    @inlinable
    public func localNanos(fromUTC instant: UnixNanos) -> Int64 { instant + offsetNanos(at: instant) }

    /// The offset (nanoseconds) in effect at `instant` and the UTC span `[start, end)` over which it holds,
    /// so that code converting many instants in time order looks the table up once per span.
    @inlinable
    public func offsetSpan(at instant: UnixNanos) -> (offset: Int64, start: UnixNanos, end: UnixNanos) {
        let s = UnixTime.floorDiv(instant, UnixTime.nanosPerSecond)
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= s { lo = mid + 1 } else { hi = mid }
        }
        @inline(__always) func nanos(_ seconds: Int64) -> Int64 {
            let (v, overflow) = seconds.multipliedReportingOverflow(by: UnixTime.nanosPerSecond)
            return overflow ? (seconds < 0 ? .min : .max) : v
        }
        return (Int64(offsets[lo]) * UnixTime.nanosPerSecond, lo > 0 ? nanos(transitions[lo - 1]) : .min,
                lo < transitions.count ? nanos(transitions[lo]) : .max)
    }

    @inlinable
    public func utcNanos(fromLocal local: Int64) -> UnixNanos {
        let secs = UnixTime.floorDiv(local, UnixTime.nanosPerSecond)
        let frac = local - secs * UnixTime.nanosPerSecond
        return utcSeconds(fromLocalSeconds: secs) * UnixTime.nanosPerSecond + frac
    }

    /// The UTC instant of a local date and wall-clock time in this zone.
    public func instant(_ date: CivilDate, hour: Int, minute: Int, second: Int = 0) -> UnixNanos {
        let local = Int64(date.daysSinceEpoch) * UnixTime.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
        return utcSeconds(fromLocalSeconds: local) * UnixTime.nanosPerSecond
    }

    /// The local civil date of an instant in this zone.
    @inlinable
    public func localDate(of instant: UnixNanos) -> CivilDate {
        CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(localNanos(fromUTC: instant), UnixTime.nanosPerDay)))
    }

    /// Nanoseconds since local midnight of an instant in this zone.
    @inlinable
    public func localTimeOfDayNanos(of instant: UnixNanos) -> Int64 {
        UnixTime.floorMod(localNanos(fromUTC: instant), UnixTime.nanosPerDay)
    }

    public var description: String { identifier }

    public static func == (a: ZoneRules, b: ZoneRules) -> Bool { a.identifier == b.identifier }
    public func hash(into h: inout Hasher) { h.combine(identifier) }
}
