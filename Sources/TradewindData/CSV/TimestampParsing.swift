import TradewindCore

/// How a file's timestamp text is read, without Foundation formatters.
///
/// Accepted forms (each optionally wrapped in double quotes):
/// - `yyyy-MM-dd`, `yyyy/MM/dd`, `yyyyMMdd`, `M/d/yyyy` (US order) — a trading date;
/// - any of those dates followed by ` ` or `T` and `HH:mm`, `HH:mm:ss`, `HH:mm:ss.fffffffff`
///   or `HHmmss` — a naive local wall-clock time;
/// - ISO 8601 with a `Z` or `±HH:MM` / `±HHMM` / `±HH` offset after the time — an absolute instant;
/// - all-digit epoch numbers: 9–10 digits = seconds, 11–13 = milliseconds, 14–16 = microseconds,
///   17–19 = nanoseconds (8 digits is `yyyyMMdd`) — an absolute instant.
enum TimestampParsing {
    enum Kind: UInt8 { case date, naive, absolute }

    /// A parsed stamp: for `.date` the days since 1970-01-01; for `.naive` local nanoseconds since the
    /// local epoch; for `.absolute` UTC nanoseconds.
    struct Stamp { var value: Int64; var kind: Kind }

    @inline(__always)
    static func digit(_ c: UInt8) -> Int64? {
        let d = c &- 48
        return d <= 9 ? Int64(d) : nil
    }

    /// The `n` digits at `p[i...]`; nil for a non-digit or a value beyond `Int64.max` (a 19-digit epoch
    /// such as `9999999999999999999`).
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int64? {
        var v: Int64 = 0
        for k in i..<(i + n) {
            let d = p[k] &- 48
            if d > 9 { return nil }
            let (a, o1) = v.multipliedReportingOverflow(by: 10)
            let (b, o2) = a.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = b
        }
        return v
    }

    /// Absolute instants accepted: 1678-01-01T00:00:00Z up to (not including) 2262-01-01T00:00:00Z, the years
    /// `days` accepts, so every instant a file gives stays far (over 100 days) inside `UnixNanos` and the
    /// arithmetic done on it (zone offsets, bar lengths) cannot overflow.
    static let instantRange: Range<Int64> = (-106_650 * UnixTime.nanosPerDay)..<(106_651 * UnixTime.nanosPerDay)

    /// An epoch number in units of `unit` nanoseconds as an absolute stamp; nil outside `instantRange`.
    @inline(__always)
    static func epoch(_ v: Int64, _ unit: Int64) -> Stamp? {
        let (t, overflow) = v.multipliedReportingOverflow(by: unit)
        guard !overflow, instantRange.contains(t) else { return nil }
        return Stamp(value: t, kind: .absolute)
    }

    /// An absolute stamp (local time minus its offset); nil outside `instantRange`.
    @inline(__always)
    static func absolute(_ t: Int64) -> Stamp? { instantRange.contains(t) ? Stamp(value: t, kind: .absolute) : nil }

    @inline(__always)
    static func days(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64? {
        guard m >= 1, m <= 12, d >= 1, y >= 1678, y <= 2261 else { return nil }
        guard d <= Int64(CivilDate.daysIn(month: Int(m), year: Int(y))) else { return nil }
        // Hinnant's days_from_civil.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = m > 2 ? m - 3 : m + 9
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses a full timestamp field `p[s..<e]`.
    static func parse(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Stamp? {
        let n = e - s
        if n < 6 { return nil }
        // All digits: yyyyMMdd or epoch.
        var allDigits = true
        for k in s..<e where p[k] &- 48 > 9 { allDigits = false; break }
        if allDigits {
            guard let v = number(p, s, n) else { return nil }
            switch n {
            case 8:
                guard let d = days(v / 10_000, (v / 100) % 100, v % 100) else { return nil }
                return Stamp(value: d, kind: .date)
            case 9...10: return epoch(v, UnixTime.nanosPerSecond)
            case 11...13: return epoch(v, UnixTime.nanosPerMillisecond)
            case 14...16: return epoch(v, UnixTime.nanosPerMicrosecond)
            case 17...19: return epoch(v, 1)
            default: return nil
            }
        }
        guard let (day, next) = parseDate(p, s, e) else { return nil }
        if next == e { return Stamp(value: day, kind: .date) }
        let sep = p[next]
        guard sep == UInt8(ascii: " ") || sep == UInt8(ascii: "T") else { return nil }
        guard let (tod, after) = parseTime(p, next + 1, e) else { return nil }
        let local = day * UnixTime.nanosPerDay + tod
        if after == e { return Stamp(value: local, kind: .naive) }
        guard let offset = parseOffset(p, after, e) else { return nil }
        return absolute(local - offset)
    }

    /// A date at `p[s...]`: returns days since the epoch and the index after the date.
    static func parseDate(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> (Int64, Int)? {
        let n = e - s
        if n >= 10, p[s + 4] == UInt8(ascii: "-") || p[s + 4] == UInt8(ascii: "/"), p[s + 7] == p[s + 4] {
            guard let y = number(p, s, 4), let m = number(p, s + 5, 2), let d = number(p, s + 8, 2),
                  let days = days(y, m, d) else { return nil }
            return (days, s + 10)
        }
        if n >= 8, let y = number(p, s, 4), let m = number(p, s + 4, 2), let d = number(p, s + 6, 2),
           n == 8 || p[s + 8] == UInt8(ascii: " ") || p[s + 8] == UInt8(ascii: "T") {
            guard let days = days(y, m, d) else { return nil }
            return (days, s + 8)
        }
        // M/d/yyyy
        var i = s
        func field(_ maxLen: Int) -> Int64? {
            var v: Int64 = 0
            var len = 0
            while i < e, let d = digit(p[i]), len < maxLen { v = v * 10 + d; i += 1; len += 1 }
            return len == 0 ? nil : v
        }
        guard let m = field(2), i < e, p[i] == UInt8(ascii: "/") else { return nil }
        i += 1
        guard let d = field(2), i < e, p[i] == UInt8(ascii: "/") else { return nil }
        i += 1
        let yStart = i
        guard let y = field(4), i - yStart == 4, let days = days(y, m, d) else { return nil }
        return (days, i)
    }

    /// `HH:mm`, `HH:mm:ss`, `HH:mm:ss.f…` or `HHmmss` at `p[s...]`: nanoseconds since midnight and the index after.
    static func parseTime(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> (Int64, Int)? {
        var i = s
        var h: Int64, m: Int64, sec: Int64 = 0
        if e - s >= 5, p[s + 2] == UInt8(ascii: ":") {
            guard let hh = number(p, s, 2), let mm = number(p, s + 3, 2) else { return nil }
            h = hh; m = mm; i = s + 5
            if i < e, p[i] == UInt8(ascii: ":") {
                guard e - i >= 3, let ss = number(p, i + 1, 2) else { return nil }
                sec = ss; i += 3
            }
        } else if e - s >= 6, let hh = number(p, s, 2), let mm = number(p, s + 2, 2), let ss = number(p, s + 4, 2) {
            h = hh; m = mm; sec = ss; i = s + 6
        } else if e - s >= 4, let hh = number(p, s, 2), let mm = number(p, s + 2, 2), e - s == 4 {
            h = hh; m = mm; i = s + 4
        } else {
            return nil
        }
        guard h <= 24, m <= 59, sec <= 60, h < 24 || (m == 0 && sec == 0) else { return nil }
        var frac: Int64 = 0
        if i < e, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",") {
            i += 1
            var scale: Int64 = 100_000_000
            let fs = i
            while i < e, let d = digit(p[i]) {
                frac += d * scale
                scale /= 10
                i += 1
            }
            if i == fs { return nil }
        }
        return ((h * 3600 + m * 60 + sec) * UnixTime.nanosPerSecond + frac, i)
    }

    /// `Z`, `±HH:MM`, `±HHMM` or `±HH` (optionally preceded by a space) covering `p[s..<e]`: seconds east of UTC in nanoseconds.
    static func parseOffset(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int64? {
        var i = s
        if i < e, p[i] == UInt8(ascii: " ") { i += 1 }
        guard i < e else { return nil }
        if p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z") { return i + 1 == e ? 0 : nil }
        guard p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = p[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        let rest = e - i
        var h: Int64, m: Int64 = 0
        if rest == 2, let hh = number(p, i, 2) { h = hh }
        else if rest == 4, let hh = number(p, i, 2), let mm = number(p, i + 2, 2) { h = hh; m = mm }
        else if rest == 5, p[i + 2] == UInt8(ascii: ":"), let hh = number(p, i, 2), let mm = number(p, i + 3, 2) { h = hh; m = mm }
        else { return nil }
        guard h <= 18, m <= 59 else { return nil }
        return sign * (h * 3600 + m * 60) * UnixTime.nanosPerSecond
    }

    /// Combines a separate date field and time-of-day field into one naive stamp.
    static func parse(date p: UnsafePointer<UInt8>, _ ds: Int, _ de: Int, time ts: Int, _ te: Int) -> Stamp? {
        guard let (day, next) = parseDate(p, ds, de), next == de else { return nil }
        guard let (tod, after) = parseTime(p, ts, te) else { return nil }
        if after == te { return Stamp(value: day * UnixTime.nanosPerDay + tod, kind: .naive) }
        guard let offset = parseOffset(p, after, te) else { return nil }
        return absolute(day * UnixTime.nanosPerDay + tod - offset)
    }
}

/// Local → UTC conversion with the zone's offset cached per local day (recomputed only when the
/// day changes; days containing a DST transition fall back to the exact per-instant conversion).
struct ZoneDayCache {
    let zone: ZoneRules
    private var day: Int64 = .min
    private var offsetNanos: Int64 = 0
    private var uniform = false

    init(_ zone: ZoneRules) { self.zone = zone }

    @inline(__always)
    mutating func utc(fromLocal local: Int64) -> Int64 {
        let d = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
        if d != day {
            day = d
            let s0 = d * UnixTime.secondsPerDay
            let s1 = s0 + UnixTime.secondsPerDay - 1
            let o0 = s0 - zone.utcSeconds(fromLocalSeconds: s0)
            let o1 = s1 - zone.utcSeconds(fromLocalSeconds: s1)
            uniform = o0 == o1
            offsetNanos = o0 * UnixTime.nanosPerSecond
        }
        return uniform ? local - offsetNanos : zone.utcNanos(fromLocal: local)
    }
}
