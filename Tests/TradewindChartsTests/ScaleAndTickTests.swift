import Testing
import TradewindCore
@testable import TradewindCharts

@Suite struct ScaleAndTickTests {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks.step(span: 100, target: 5) == 20)
        #expect(NiceTicks.step(span: 1, target: 5) == 0.2)
        #expect(NiceTicks.step(span: 37, target: 5) == 10)
        #expect(NiceTicks.step(span: 0.003, target: 6) == 0.0005)
        #expect(NiceTicks.linear(0.13, 0.97, target: 5) == [0.2, 0.4, 0.6, 0.8])
        #expect(NiceTicks.linear(-3, 3, target: 6) == [-3, -2, -1, 0, 1, 2, 3])
    }

    @Test func niceDomainWidensToWholeSteps() {
        let d = NiceTicks.niceDomain(97_432, 131_870, target: 5)
        #expect(d.step == 10_000)
        #expect(d.lo == 90_000)
        #expect(d.hi == 140_000)
        let flat = NiceTicks.niceDomain(5, 5, target: 5)
        #expect(flat.lo < 5 && flat.hi > 5)
    }

    @Test func logTicksArePowersOfTenOrTheirOneTwoFiveMultiples() {
        #expect(NiceTicks.log(1, 100_000, target: 5) == [1, 10, 100, 1_000, 10_000, 100_000])
        #expect(NiceTicks.log(80, 1_200, target: 5) == [100, 200, 500, 1_000])
    }

    @Test func linearAndLogScalesMapAndInvert() {
        let lin = AxisScale(kind: .linear, domain: 0...100, range: (300, 0))
        #expect(lin.position(25) == 225)
        #expect(abs(lin.value(at: 225) - 25) < 1e-12)
        let log = AxisScale(kind: .log, domain: 10...1000, range: (0, 200))
        #expect(abs(log.position(100) - 100) < 1e-9)
        #expect(abs(log.value(at: 50) - 31.6227766) < 1e-6)
    }

    @Test func dateTicksPickCalendarStepsForTheSpan() {
        let zone = ZoneRules.utc
        let t0 = zone.instant(CivilDate(year: 2004, month: 3, day: 17)!, hour: 0, minute: 0)
        let t20y = zone.instant(CivilDate(year: 2024, month: 6, day: 1)!, hour: 0, minute: 0)
        let years = DateTicks.ticks(from: t0, to: t20y, target: 7, zone: zone)
        #expect(years.map(\.label) == ["2005", "2010", "2015", "2020"])
        let t1y = zone.instant(CivilDate(year: 2005, month: 3, day: 1)!, hour: 0, minute: 0)
        let quarters = DateTicks.ticks(from: t0, to: t1y, target: 7, zone: zone)
        #expect(quarters.map(\.label) == ["Apr 2004", "Jul", "Oct", "2005"])
        let day = zone.instant(CivilDate(year: 2011, month: 1, day: 3)!, hour: 9, minute: 30)
        let hours = DateTicks.ticks(from: day, to: day + 390 * UnixTime.nanosPerMinute, target: 7, zone: zone)
        #expect(hours.map(\.label) == ["Jan 3 10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"])
    }

    @Test func dateTicksFollowTheLocalZone() throws {
        let ny = ZoneRules.newYork
        let open = ny.instant(CivilDate(year: 2011, month: 7, day: 5)!, hour: 9, minute: 30)
        let ticks = DateTicks.ticks(from: open, to: open + 6 * UnixTime.nanosPerHour, target: 4, zone: ny)
        #expect(ticks.map(\.label) == ["Jul 5 10:00", "12:00", "14:00"])
        // 10:00 in New York in July is 14:00 UTC.
        #expect(ISO8601.utc(ticks[0].time) == "2011-07-05T14:00:00Z")
    }

    @Test func ordinalTicksMarkTheFirstBarOfEachPeriod() {
        let zone = ZoneRules.utc
        var times: [UnixNanos] = []
        for d in 3...7 {
            let open = zone.instant(CivilDate(year: 2011, month: 1, day: d)!, hour: 14, minute: 30)
            for m in 0..<390 { times.append(open + Int64(m) * UnixTime.nanosPerMinute) }
        }
        let ticks = DateTicks.ordinalTicks(times: times, target: 6, zone: zone)
        #expect(ticks.map(\.index) == [0, 390, 780, 1170, 1560])
        #expect(ticks.map(\.label) == ["Jan 3, 2011", "Jan 4", "Jan 5", "Jan 6", "Jan 7"])
    }
}
