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
}
