import Foundation
import Testing
@testable import TradewindCore

@Suite struct ZoneRulesTests {
    @Test func theBuiltInUSEasternRulesEqualTheTzDatabaseFrom1967To2099() throws {
        let tz = try ZoneRules.named("America/New_York")
        let built = ZoneRules.usEasternRules
        let from = Int64(CivilDate(year: 1967, month: 1, day: 1)!.daysSinceEpoch) * 86_400
        let to = Int64(CivilDate(year: 2100, month: 1, day: 1)!.daysSinceEpoch) * 86_400
        let changes = tz.transitions.filter { $0 >= from && $0 < to }
        #expect(built.transitions == changes)
        for t in changes + stride(from: from, to: to, by: 86_400 * 17).map { $0 } {
            for s in [t - 1, t, t + 1] {
                #expect(built.offsetSeconds(atUTCSeconds: s) == tz.offsetSeconds(atUTCSeconds: s), "at \(s)")
            }
        }
    }

    /// `offsetSpan` is a lookup per span of constant offset: its offset must be `offsetNanos`' at the instant,
    /// the span must contain the instant, hold that offset up to its last nanosecond and end where it changes.
    @Test(arguments: ["America/New_York", "Europe/London", "Australia/Sydney", "UTC"])
    func offsetSpansAgreeWithPointLookups(_ name: String) throws {
        let zone = try ZoneRules.named(name)
        // Every 7 hours 13 minutes from 1969 to 2031: both sides of every transition in between.
        let step: Int64 = (7 * 60 + 13) * UnixTime.nanosPerMinute
        var t: UnixNanos = -86_400 * 365 * UnixTime.nanosPerSecond
        let stop: UnixNanos = 1_956_528_000 * UnixTime.nanosPerSecond
        var spans = 0
        var last: Int64? = nil
        while t < stop {
            let span = zone.offsetSpan(at: t)
            #expect(span.offset == zone.offsetNanos(at: t))
            #expect(span.start <= t && t < span.end)
            if span.start != .min { #expect(zone.offsetNanos(at: span.start) == span.offset) }
            if span.end != .max {
                #expect(zone.offsetNanos(at: span.end - 1) == span.offset)
                #expect(zone.offsetNanos(at: span.end) != span.offset)
            }
            if span.start != last { spans += 1; last = span.start }
            t += step
        }
        #expect(name == "UTC" ? spans == 1 : spans > 100)
    }

    static let fixtureZones = ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Toronto",
                               "America/Sao_Paulo", "Europe/London", "Europe/Berlin", "Europe/Zurich", "Asia/Tokyo",
                               "Asia/Hong_Kong", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland", "Asia/Jerusalem",
                               "Africa/Johannesburg"]

    /// The TZif reader against the tz project's own `zdump` on the same files: `Tests/Fixtures/tzif/` holds the files
    /// of tzdata 2026f and, per zone, every change of the UTC offset that `zdump -v -c 1900,2100` reads from the file
    /// (`Scripts/fixtures/tzif_zdump.py`). The table must list exactly those changes, the listed ones and those the
    /// footer's POSIX rule gives after them, with the offset in effect at 1900 first.
    @Test(arguments: fixtureZones)
    func theTZifReaderGivesZdumpsTable(_ name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let base = root.appendingPathComponent("Fixtures/tzif/" + name.replacingOccurrences(of: "/", with: "__"))
        let bytes = try [UInt8](Data(contentsOf: base.appendingPathExtension("tzif")))
        let golden = try String(contentsOf: base.appendingPathExtension("txt"), encoding: .utf8)
        var initial: Int32? = nil
        var times: [Int64] = [], offsets: [Int32] = []
        for line in golden.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ")
            if f[0] == "initial" { initial = Int32(f[1]) } else { times.append(Int64(f[0])!); offsets.append(Int32(f[1])!) }
        }
        let rules = try #require(ZoneRules.parseTZif(bytes, identifier: name), "the reader refused \(name)'s file")
        let kept = rules.transitions.prefix { $0 < ZoneRules.tableEnd }  // 2100-01-01T00:00Z, where zdump's range ends
        #expect(Array(kept) == times)
        #expect(Array(rules.offsets.prefix(kept.count + 1)) == [try #require(initial)] + offsets)
    }

    /// The system's tz database is read first (`ZoneRules+TZif.swift`); ICU's copy is the fallback. The two agree from
    /// 2000 on for these zones; earlier history differs where one copy is a tz release with corrections the other
    /// lacks (tzdata 2026f revised São Paulo's 1965–66 changes, which the toolchain's ICU does not have), so only the
    /// fixtures above pin the whole table. (`.ci/run` installs tzdata: a missing file is a failure here.)
    @Test(arguments: fixtureZones)
    func theSystemTzDatabaseAndICUAgreeFrom2000On(_ name: String) throws {
        let file = try #require(ZoneRules.fromSystemDatabase(name), "no usable tz database file for \(name)")
        let icu = try ZoneRules.fromICU(name)
        let start: Int64 = 946_684_800  // 2000-01-01T00:00Z
        func modern(_ z: ZoneRules) -> [Int64] { z.transitions.filter { $0 >= start } }
        #expect(modern(file) == modern(icu))
        for t in modern(file) + [start] {
            for s in [t - 1, t] { #expect(file.offsetSeconds(atUTCSeconds: s) == icu.offsetSeconds(atUTCSeconds: s), "at \(s)") }
        }
        #expect(try ZoneRules.named(name) == file)
    }

    @Test func onlyPlainZoneNamesAreLookedUpAsFiles() throws {
        for name in ["../etc/passwd", "/etc/localtime", "America/../America/New_York", "America//New_York", "", "zone.tab",
                     "America/New York", "leapseconds"] {
            #expect(ZoneRules.fromSystemDatabase(name) == nil, "\(name)")
        }
        #expect(throws: ZoneError.unknownZone("Mars/Olympus_Mons")) { try ZoneRules.named("Mars/Olympus_Mons") }
    }

    /// Footers' POSIX rules against dates from the governments' published rules (UTC instants of 2024's changes).
    @Test func posixRulesGiveTheChangesOfTheirYears() throws {
        func changes(_ text: String, _ year: Int) throws -> [String] {
            let rule = try #require(PosixZoneRule(Array(text.utf8)), "\(text)")
            return try #require(rule.transitions(fromYear: year, throughYear: year)).map {
                ISO8601.utc($0.time * UnixTime.nanosPerSecond) + " \($0.offset)"
            }
        }
        // US: second Sunday of March 02:00 EST, first Sunday of November 02:00 EDT.
        #expect(try changes("EST5EDT,M3.2.0,M11.1.0", 2024) == ["2024-03-10T07:00:00Z -14400", "2024-11-03T06:00:00Z -18000"])
        // Sydney: ends the first Sunday of April 03:00 AEDT, starts the first Sunday of October 02:00 AEST.
        #expect(try changes("AEST-10AEDT,M10.1.0,M4.1.0/3", 2024) == ["2024-04-06T16:00:00Z 36000", "2024-10-05T16:00:00Z 39600"])
        // Israel: the Friday before the last Sunday of March at 02:00 (Thursday 26:00), the last Sunday of October.
        #expect(try changes("IST-2IDT,M3.4.4/26,M10.5.0", 2024) == ["2024-03-29T00:00:00Z 10800", "2024-10-26T23:00:00Z 7200"])
        // Greenland (America/Nuuk): a negative time of day; both changes at 01:00 UTC, as the EU's.
        #expect(try changes("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2024) == ["2024-03-31T01:00:00Z -3600", "2024-10-27T01:00:00Z -7200"])
        // Day numbers: J60 is March 1 in every year; 59 (zero-based) is February 29 in a leap year.
        #expect(try changes("XST5XDT,J60/0,59/0", 2024) == ["2024-02-29T04:00:00Z -18000", "2024-03-01T05:00:00Z -14400"])
        let fixed = try #require(PosixZoneRule(Array("<+0530>-5:30".utf8)))
        #expect(fixed.standard == 19_800 && fixed.daylight == nil)
        for bad in ["", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
                    "EST5EDT,J0,J365", "EST999", "<+03"] {
            #expect(PosixZoneRule(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    /// Damaged TZif files (truncated, bytes changed, counts inflated) are refused or read, never a trap.
    @Test func damagedTzifFilesNeverTrap() throws {
        let path = try #require(ZoneRules.databaseDirectories.map { $0 + "/America/New_York" }
            .first { FileManager.default.fileExists(atPath: $0) }, "no tz database installed")
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(ZoneRules.parseTZif(original, identifier: "America/New_York") == (try ZoneRules.fromICU("America/New_York")))
        func count(_ at: Int) -> Int { original[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        // The second (64-bit) header follows the version-1 block, whose length its counts give.
        let second = 44 + count(32) * 5 + count(36) * 6 + count(40) + count(28) * 8 + count(24) + count(20)
        var rng = SplitMix64(seed: 17)
        for k in 0..<3000 {
            var bytes = original
            switch k % 3 {
            case 0: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            case 1: for _ in 0...(rng.next() % 8) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            default:
                // A count field of either header set to a large or odd value.
                let header = rng.next() % 2 == 0 ? 0 : second
                let field = header + 20 + 4 * Int(rng.next() % 6)
                if field + 4 <= bytes.count { for b in 0..<4 { bytes[field + b] = UInt8(truncatingIfNeeded: rng.next()) } }
            }
            _ = ZoneRules.parseTZif(bytes, identifier: "X")
        }
    }
}
