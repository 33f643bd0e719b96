#if canImport(Glibc)
import Glibc
#endif

/// Zone rules read from the system's tz database files (RFC 8536 TZif, version 2 or later): the transitions and
/// offsets the file lists, then the ones its footer's POSIX TZ rule gives up to 2100.
///
/// `ZoneRules.named` reads these first: one small file, parsed in microseconds, where asking ICU for the same 200 years
/// of transitions one at a time cost every process that used New York's zone about 1.3 ms. ICU remains the source
/// where the system has no tz database or a file cannot be used (version 1 only, leap seconds, a rule this reader does
/// not know). `ZoneRulesTests` holds this reader to the tz project's `zdump` on committed files, and the two sources
/// equal from 2000 on (tz releases revise earlier history, so copies of different releases differ there).
extension ZoneRules {
    /// The first and last instants (UTC seconds) of the table: 1900-01-01 and 2100-01-01.
    static let tableStart: Int64 = -2_208_988_800
    static let tableEnd: Int64 = 4_102_444_800

    /// Where tz database files are looked for: `TZDIR`, then the usual places.
    static var databaseDirectories: [String] {
        var directories: [String] = []
        if let custom = getenv("TZDIR") { directories.append(String(cString: custom)) }
        return directories + ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"]
    }

    /// The rules of `identifier` from the system's tz database, or nil where there is no usable file for it. Only
    /// names made of letters, digits, `_`, `-`, `+` and `/` between them are looked up (no `..`, no absolute path).
    static func fromSystemDatabase(_ identifier: String) -> ZoneRules? {
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, identifier.utf8.count <= 255,
              parts.allSatisfy({ part in
                  !part.isEmpty && part != "." && part != ".."
                      && part.utf8.allSatisfy { b in
                          (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2B
                      }
              }) else { return nil }
        for directory in databaseDirectories {
            guard let bytes = readSmallFile(directory + "/" + identifier) else { continue }
            return parseTZif(bytes, identifier: identifier)
        }
        return nil
    }

    /// The bytes of a regular file of at most 1 MB, or nil.
    private static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0, info.st_size <= 1 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    /// Parses TZif bytes into the table `named` keeps (1900–2100, an entry where the UTC offset changes); nil for
    /// anything it does not take: bad magic, version 1 only, leap seconds, a truncated file, an unknown footer.
    static func parseTZif(_ b: [UInt8], identifier: String) -> ZoneRules? {
        func u32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
        func i32(_ at: Int) -> Int32 { Int32(bitPattern: UInt32(u32(at))) }
        func i64(_ at: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(b[at + k]) }
            return Int64(bitPattern: v)
        }
        /// The six counts of the header at `at`: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard at + 44 <= b.count, b[at] == 0x54, b[at + 1] == 0x5A, b[at + 2] == 0x69, b[at + 3] == 0x66 else { return nil }
            return (u32(at + 20), u32(at + 24), u32(at + 28), u32(at + 32), u32(at + 36), u32(at + 40))
        }
        guard let v1 = header(0), b[4] >= 0x32 else { return nil }
        let second = 44 + v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut
        guard let h = header(second), h.leap == 0, h.type >= 1, h.type <= 256 else { return nil }
        let times = second + 44, indices = times + h.time * 8, types = indices + h.time
        let footer = types + h.type * 6 + h.char + h.isstd + h.isut
        guard footer + 2 <= b.count, b[footer] == 0x0A else { return nil }
        guard let footerEnd = b[(footer + 1)...].firstIndex(of: 0x0A) else { return nil }
        let offsetOfType = (0..<h.type).map { i32(types + $0 * 6) }
        var explicit: [(time: Int64, offset: Int32)] = []
        for k in 0..<h.time {
            let type = Int(b[indices + k])
            guard type < h.type else { return nil }
            explicit.append((i64(times + 8 * k), offsetOfType[type]))
        }
        let rule = PosixZoneRule(Array(b[(footer + 1)..<footerEnd]))
        guard footerEnd > footer + 1 ? rule != nil : true else { return nil }

        // The offset at 1900: the last listed transition's at or before it, or the first type's before any.
        var offsets = [explicit.last(where: { $0.time <= tableStart })?.offset ?? offsetOfType[0]]
        var transitions: [Int64] = []
        func change(at time: Int64, to offset: Int32) {
            guard time > tableStart, time < tableEnd, offset != offsets.last! else { return }
            transitions.append(time)
            offsets.append(offset)
        }
        for t in explicit { change(at: t.time, to: t.offset) }
        // After the last listed transition, the footer's rule.
        let after = explicit.last?.time ?? Int64.min
        if let rule {
            if let events = rule.transitions(fromYear: max(1900, CivilDate(daysSinceEpoch: Int(max(after, tableStart) / 86_400)).year - 1),
                                             throughYear: 2099) {
                for e in events where e.time > after { change(at: e.time, to: e.offset) }
            }
        }
        return ZoneRules(identifier: identifier, transitions: transitions, offsets: offsets)
    }
}

/// A POSIX TZ string as a TZif footer holds it (`EST5EDT,M3.2.0,M11.1.0`, `<+0330>-3:30`, `AEST-10AEDT,M10.1.0,M4.1.0/3`):
/// the standard offset and, with daylight time, its offset and the rules of its start and end.
struct PosixZoneRule {
    /// UTC offsets in seconds (east positive).
    let standard: Int32
    let daylight: (offset: Int32, start: DateRule, end: DateRule)?

    /// A day of the year and the local time of day (seconds, may be negative or past 24 h) at which a change happens.
    struct DateRule {
        enum Day { case julianNoLeap(Int), zeroBased(Int), monthWeekDay(month: Int, week: Int, weekday: Int) }
        let day: Day
        let time: Int

        /// The local seconds since 1970-01-01 (in the offset in effect before the change) of the change in `year`.
        func localSeconds(in year: Int) -> Int64 {
            let days: Int
            switch day {
            case .julianNoLeap(let n):
                days = CivilDate(year: year, month: 1, day: 1)!.daysSinceEpoch + n - 1 + (CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0)
            case .zeroBased(let n):
                days = CivilDate(year: year, month: 1, day: 1)!.daysSinceEpoch + n
            case .monthWeekDay(let month, let week, let weekday):
                let first = CivilDate(year: year, month: month, day: 1)!
                var day = first.daysSinceEpoch + (weekday - first.weekday + 7) % 7 + 7 * (week - 1)
                let nextMonth = month == 12 ? CivilDate(year: year + 1, month: 1, day: 1)! : CivilDate(year: year, month: month + 1, day: 1)!
                while day >= nextMonth.daysSinceEpoch { day -= 7 }
                days = day
            }
            return Int64(days) * 86_400 + Int64(time)
        }
    }

    /// Parses `text`; nil for anything this reader does not take.
    init?(_ text: [UInt8]) {
        var p = 0
        func name() -> Bool {
            if p < text.count, text[p] == 0x3C {  // <...>
                guard let close = text[p...].firstIndex(of: 0x3E), close > p + 1 else { return false }
                p = close + 1
                return true
            }
            let start = p
            while p < text.count, (text[p] | 0x20) >= 0x61, (text[p] | 0x20) <= 0x7A { p += 1 }
            return p - start >= 3
        }
        func number() -> Int? {
            let start = p
            var v = 0
            while p < text.count, text[p] >= 0x30, text[p] <= 0x39, p - start < 4 { v = v * 10 + Int(text[p] - 0x30); p += 1 }
            return p > start ? v : nil
        }
        /// `[+-]hh[:mm[:ss]]` in seconds.
        func time() -> Int? {
            var sign = 1
            if p < text.count, text[p] == 0x2B || text[p] == 0x2D { sign = text[p] == 0x2D ? -1 : 1; p += 1 }
            guard let hours = number(), hours <= 167 else { return nil }
            var seconds = hours * 3600
            for unit in [60, 1] {
                guard p < text.count, text[p] == 0x3A else { break }
                p += 1
                guard let v = number(), v < 60 else { return nil }
                seconds += v * unit
            }
            return sign * seconds
        }
        func dateRule() -> DateRule? {
            guard p < text.count else { return nil }
            let day: DateRule.Day
            if text[p] == 0x4D {  // Mm.w.d
                p += 1
                guard let m = number(), (1...12).contains(m), p < text.count, text[p] == 0x2E else { return nil }
                p += 1
                guard let w = number(), (1...5).contains(w), p < text.count, text[p] == 0x2E else { return nil }
                p += 1
                guard let d = number(), (0...6).contains(d) else { return nil }
                day = .monthWeekDay(month: m, week: w, weekday: d)
            } else if text[p] == 0x4A {  // Jn
                p += 1
                guard let n = number(), (1...365).contains(n) else { return nil }
                day = .julianNoLeap(n)
            } else {
                guard let n = number(), (0...365).contains(n) else { return nil }
                day = .zeroBased(n)
            }
            var at = 7200
            if p < text.count, text[p] == 0x2F {
                p += 1
                guard let t = time() else { return nil }
                at = t
            }
            return DateRule(day: day, time: at)
        }
        guard name(), let std = time() else { return nil }
        standard = Int32(-std)
        if p == text.count {
            daylight = nil
            return
        }
        guard name() else { return nil }
        var dst = -std + 3600
        if p < text.count, text[p] != 0x2C {
            guard let t = time() else { return nil }
            dst = -t
        }
        guard p < text.count, text[p] == 0x2C else { return nil }
        p += 1
        guard let start = dateRule(), p < text.count, text[p] == 0x2C else { return nil }
        p += 1
        guard let end = dateRule(), p == text.count else { return nil }
        daylight = (Int32(dst), start, end)
    }

    /// Every change of offset the rule gives in `first...last`, in time order, as UTC seconds and the offset after it
    /// (nil without daylight time).
    func transitions(fromYear first: Int, throughYear last: Int) -> [(time: Int64, offset: Int32)]? {
        guard let daylight, first <= last else { return nil }
        var events: [(time: Int64, offset: Int32)] = []
        for year in first...last {
            // The start is given in standard time, the end in daylight time.
            events.append((daylight.start.localSeconds(in: year) - Int64(standard), daylight.offset))
            events.append((daylight.end.localSeconds(in: year) - Int64(daylight.offset), standard))
        }
        return events.sorted { $0.time < $1.time }
    }
}
