import Testing
import TradewindCore
@testable import TradewindAnalytics

@Suite("Return series and annualisation")
struct ReturnSeriesTests {
    let day = UnixTime.nanosPerDay

    @Test("rejects mismatched lengths, non-finite returns and unsorted times with the index")
    func validation() {
        #expect(throws: AnalyticsError.lengthMismatch(what: "times", expected: 2, actual: 1)) {
            try ReturnSeries(returns: [0.1, 0.2], times: [0])
        }
        #expect(throws: AnalyticsError.nonFinite(what: "returns", index: 1, value: .infinity)) {
            try ReturnSeries(returns: [0.1, .infinity], times: [0, day])
        }
        #expect(throws: AnalyticsError.unsortedTimes(index: 2, previous: 2 * day, current: day)) {
            try ReturnSeries(returns: [0, 0, 0], times: [0, 2 * day, day])
        }
        let nan = (try? ReturnSeries(returns: [.nan], times: [0])) == nil
        #expect(nan)
    }

    @Test("droppingMissing removes NaN observations with their times")
    func dropMissing() throws {
        let s = try ReturnSeries.droppingMissing(returns: [0.1, .nan, -0.05], times: [0, day, 2 * day])
        #expect(s.returns == [0.1, -0.05] && s.times == [0, 2 * day])
    }

    @Test("equity curve becomes returns stamped at the later bar; non-positive equity is rejected")
    func fromEquity() throws {
        let s = try ReturnSeries(equity: [100, 110, 99], times: [0, day, 2 * day])
        #expect(s.times == [day, 2 * day])
        #expect(close(s.returns[0], 0.1, rel: 1e-15) && close(s.returns[1], -0.1, rel: 1e-15))
        #expect(throws: AnalyticsError.nonPositiveEquity(index: 1, value: 0)) {
            try ReturnSeries(equity: [100, 0], times: [0, day])
        }
    }

    @Test("periods per year from the bar interval and the NYSE calendar")
    func periodsPerYear() {
        #expect(Annualization.periodsPerYear(for: .daily) == 252)
        #expect(Annualization.periodsPerYear(for: .minute) == 252 * 390)
        #expect(Annualization.periodsPerYear(for: .minutes(15)) == 252 * 26)
        #expect(Annualization.periodsPerYear(for: .hours(1)) == 252 * 6.5)
        #expect(Annualization.periodsPerYear(for: .weekly) == 52)
        #expect(Annualization.periodsPerYear(for: .monthly) == 12)
        #expect(Annualization.periodsPerYear(for: .hours(1), sessionsPerYear: 365, sessionMinutes: 1440) == 8760)
        #expect(Annualization.nyseMinute == 98_280)
        #expect(throws: AnalyticsError.self) { try Annualization.validate(0) }
    }

    @Test("risk-free rate is de-annualised geometrically")
    func perPeriodRate() {
        #expect(close(Annualization.perPeriodRate(annual: 0.02, periodsPerYear: 252),
                      Foundation.pow(1.02, 1.0 / 252) - 1, rel: 1e-15))
        #expect(Annualization.perPeriodRate(annual: 0, periodsPerYear: 252) == 0)
    }

    @Test("the QuantStats drawdown convention drops a lone drawdown that starts on the first bar; complete keeps it")
    func drawdownConventions() throws {
        let s = try ReturnSeries(returns: [-0.1, 0.05, 0.0], times: [0, day, 2 * day])
        #expect(Performance.drawdownPeriods(s, convention: .quantStats).isEmpty)
        let all = Performance.drawdownPeriods(s, convention: .complete)
        #expect(all.count == 1 && all[0].startIndex == 0 && all[0].endIndex == 2 && all[0].recovery == nil)
        #expect(close(all[0].depth, 0.1, rel: 1e-12) && all[0].days == 3)
    }
}

import Foundation

@Suite("Benchmark alignment")
struct BenchmarkAlignmentTests {
    @Test("picks the benchmark's returns on the strategy's times and names a missing one")
    func align() throws {
        let s = try ReturnSeries(returns: [0.1, 0.2], times: [10, 30])
        #expect(try s.alignedBenchmark(returns: [1, 2, 3, 4], times: [0, 10, 20, 30]) == [2, 4])
        #expect(throws: AnalyticsError.missingBenchmarkObservation(time: 30)) {
            try s.alignedBenchmark(returns: [1, 2, 3], times: [0, 10, 20])
        }
        #expect(throws: AnalyticsError.missingBenchmarkObservation(time: 10)) {
            try s.alignedBenchmark(returns: [1, .nan, 3], times: [0, 10, 30])
        }
    }
}

@Suite("Period tables")
struct PeriodTableTests {
    @Test("months and years follow the civil date in the given zone")
    func zoneBoundaries() throws {
        // 2021-01-31T23:30 New York is 2021-02-01T04:30Z: January in New York, February in UTC.
        let t0 = ZoneRules.newYork.instant(CivilDate(year: 2021, month: 1, day: 31)!, hour: 23, minute: 30)
        let t1 = ZoneRules.newYork.instant(CivilDate(year: 2021, month: 2, day: 1)!, hour: 10, minute: 0)
        let t2 = ZoneRules.newYork.instant(CivilDate(year: 2022, month: 2, day: 3)!, hour: 10, minute: 0)
        let s = try ReturnSeries(returns: [0.1, 0.2, -0.5], times: [t0, t1, t2])
        let ny = Performance.monthlyReturns(s, zone: .newYork)
        #expect(ny.map(\.month) == [1, 2, 2] && ny.map(\.year) == [2021, 2021, 2022])
        let utc = Performance.monthlyReturns(s)
        #expect(utc.count == 2 && utc[0].month == 2 && close(utc[0].value, 1.1 * 1.2 - 1, rel: 1e-15))
        let years = Performance.yearlyReturns(s)
        #expect(years.map(\.year) == [2021, 2022] && years[1].value == -0.5)
    }
}
