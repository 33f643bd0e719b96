import TradewindCore

/// The spacing of date ticks, from minutes to decades.
public enum DateStep: Sendable, Equatable, CustomStringConvertible {
    case minutes(Int)
    case hours(Int)
    case days(Int)
    /// Weeks starting on Monday.
    case weeks
    /// `months(3)` is quarters, `months(6)` half-years; aligned to January.
    case months(Int)
    case years(Int)

    /// Candidate steps in increasing length.
    public static let ladder: [DateStep] = [
        .minutes(1), .minutes(2), .minutes(5), .minutes(10), .minutes(15), .minutes(30),
        .hours(1), .hours(2), .hours(3), .hours(6), .hours(12),
        .days(1), .days(2), .weeks, .months(1), .months(3), .months(6),
        .years(1), .years(2), .years(5), .years(10), .years(20), .years(50), .years(100),
    ]

    /// Approximate length in nanoseconds (months count 30.44 days).
    public var nominalNanos: Double {
        let day = Double(UnixTime.nanosPerDay)
        switch self {
        case .minutes(let n): return Double(n) * Double(UnixTime.nanosPerMinute)
        case .hours(let n): return Double(n) * Double(UnixTime.nanosPerHour)
        case .days(let n): return Double(n) * day
        case .weeks: return 7 * day
        case .months(let n): return Double(n) * 30.44 * day
        case .years(let n): return Double(n) * 365.25 * day
        }
    }

    public var isSubDaily: Bool {
        switch self {
        case .minutes, .hours: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .minutes(let n): return "\(n)min"
        case .hours(let n): return "\(n)h"
        case .days(let n): return "\(n)d"
        case .weeks: return "1w"
        case .months(3): return "quarter"
        case .months(let n): return "\(n)mo"
        case .years(let n): return "\(n)y"
        }
    }

    /// The index of the step-long bucket (in local time of `zone`) that contains `instant`.
    public func bucket(of instant: UnixNanos, zone: ZoneRules) -> Int64 {
        let local = zone.localNanos(fromUTC: instant)
        switch self {
        case .minutes(let n): return UnixTime.floorDiv(local, Int64(n) * UnixTime.nanosPerMinute)
        case .hours(let n): return UnixTime.floorDiv(local, Int64(n) * UnixTime.nanosPerHour)
        case .days(let n): return UnixTime.floorDiv(UnixTime.floorDiv(local, UnixTime.nanosPerDay), Int64(n))
        case .weeks: return UnixTime.floorDiv(UnixTime.floorDiv(local, UnixTime.nanosPerDay) + 3, 7)
        case .months(let n):
            let d = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(local, UnixTime.nanosPerDay)))
            return UnixTime.floorDiv(Int64(d.year * 12 + d.month - 1), Int64(n))
        case .years(let n):
            let d = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(local, UnixTime.nanosPerDay)))
            return UnixTime.floorDiv(Int64(d.year), Int64(n))
        }
    }

    /// The instant at which bucket `k` starts.
    public func start(ofBucket k: Int64, zone: ZoneRules) -> UnixNanos {
        switch self {
        case .minutes(let n): return zone.utcNanos(fromLocal: k * Int64(n) * UnixTime.nanosPerMinute)
        case .hours(let n): return zone.utcNanos(fromLocal: k * Int64(n) * UnixTime.nanosPerHour)
        case .days(let n): return zone.utcNanos(fromLocal: k * Int64(n) * UnixTime.nanosPerDay)
        case .weeks: return zone.utcNanos(fromLocal: (k * 7 - 3) * UnixTime.nanosPerDay)
        case .months(let n):
            let m = k * Int64(n)
            let y = Int(UnixTime.floorDiv(m, 12)), mo = Int(UnixTime.floorMod(m, 12)) + 1
            return zone.instant(CivilDate(year: y, month: mo, day: 1)!, hour: 0, minute: 0)
        case .years(let n):
            return zone.instant(CivilDate(year: Int(k) * n, month: 1, day: 1)!, hour: 0, minute: 0)
        }
    }
}

/// A tick on a time axis: its instant and its label.
public struct DateTick: Sendable, Equatable {
    public let time: UnixNanos
    public let label: String
}

/// Tick generation for time axes: picks the shortest step of the ladder that yields at most
/// `target` ticks over the span, aligns ticks to calendar boundaries in the given zone (whole
/// years, quarters, months, Mondays, days, hours, minutes) and labels them at that granularity.
public enum DateTicks {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The step used for a span of `from...to` with about `target` ticks.
    public static func step(from: UnixNanos, to: UnixNanos, target: Int) -> DateStep {
        let span = Double(max(to - from, 1))
        for s in DateStep.ladder where span / s.nominalNanos <= Double(max(target, 1)) { return s }
        return .years(100)
    }

    /// Ticks on a continuous time axis over `from...to`.
    public static func ticks(from: UnixNanos, to: UnixNanos, target: Int, zone: ZoneRules = .utc) -> [DateTick] {
        guard to >= from else { return [] }
        let s = step(from: from, to: to, target: target)
        var k = s.bucket(of: from, zone: zone)
        if s.start(ofBucket: k, zone: zone) < from { k += 1 }
        let last = s.bucket(of: to, zone: zone)
        var out: [DateTick] = []
        var previous: UnixNanos?
        while k <= last && out.count <= target * 3 {
            let t = s.start(ofBucket: k, zone: zone)
            if t >= from && t <= to {
                out.append(DateTick(time: t, label: label(t, step: s, zone: zone, previous: previous)))
                previous = t
            }
            k += 1
        }
        return out
    }

    /// Ticks on an ordinal (bar-index) axis: the indices of the bars that open a new step-long
    /// bucket (the first bar always counts), labelled with those bars' times. Gaps between
    /// sessions take no room on such an axis.
    public static func ordinalTicks(times: [UnixNanos], target: Int, zone: ZoneRules = .utc) -> [(index: Int, label: String)] {
        guard let first = times.first, let lastTime = times.last else { return [] }
        var chosen: DateStep = .years(100)
        var chosenIdx: [Int] = []
        // The first step whose bucket changes number at most `target`.
        let span = Double(max(lastTime - first, 1))
        // 6 h and 12 h buckets cut trading sessions at arbitrary points: go from 3 h straight to days.
        for s in DateStep.ladder where s != .hours(6) && s != .hours(12) {
            if span / s.nominalNanos > Double(target) * 40 { continue }  // far too many: skip the scan
            var idx: [Int] = []
            var prev = Int64.min
            for (i, t) in times.enumerated() {
                let b = s.bucket(of: t, zone: zone)
                if b != prev {
                    idx.append(i)
                    prev = b
                    if idx.count > target { break }
                }
            }
            if idx.count <= target {
                chosen = s
                chosenIdx = idx
                break
            }
        }
        if chosenIdx.isEmpty { chosenIdx = [0] }
        var previous: UnixNanos?
        return chosenIdx.map { i in
            let l = label(times[i], step: chosen, zone: zone, previous: previous)
            previous = times[i]
            return (i, l)
        }
    }

    /// The label of a tick at `t` for `step`; the first tick (no `previous`) and ticks that start a
    /// new year or day carry that context.
    public static func label(_ t: UnixNanos, step: DateStep, zone: ZoneRules, previous: UnixNanos?) -> String {
        let local = zone.localNanos(fromUTC: t)
        let d = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(local, UnixTime.nanosPerDay)))
        let prevDate = previous.map { p in
            CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(zone.localNanos(fromUTC: p), UnixTime.nanosPerDay)))
        }
        let mon = monthNames[d.month - 1]
        switch step {
        case .years: return String(d.year)
        case .months:
            if prevDate == nil || prevDate!.year != d.year { return d.month == 1 ? String(d.year) : "\(mon) \(d.year)" }
            return mon
        case .days, .weeks:
            if prevDate == nil || prevDate!.year != d.year { return "\(mon) \(d.day), \(d.year)" }
            return "\(mon) \(d.day)"
        case .minutes, .hours:
            let inDay = UnixTime.floorMod(local, UnixTime.nanosPerDay) / UnixTime.nanosPerMinute
            let hm = two(inDay / 60) + ":" + two(inDay % 60)
            if prevDate == nil || prevDate! != d { return "\(mon) \(d.day) \(hm)" }
            return hm
        }
    }

    /// A full timestamp for tooltips: `2015-03-05` for daily data, `2015-03-05 09:30` intraday.
    public static func tooltip(_ t: UnixNanos, intraday: Bool, zone: ZoneRules) -> String {
        let local = zone.localNanos(fromUTC: t)
        let d = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(local, UnixTime.nanosPerDay)))
        if !intraday { return d.description }
        let inDay = UnixTime.floorMod(local, UnixTime.nanosPerDay) / UnixTime.nanosPerMinute
        return d.description + " " + two(inDay / 60) + ":" + two(inDay % 60)
    }

    private static func two(_ v: Int64) -> String { v < 10 ? "0" + String(v) : String(v) }
}
