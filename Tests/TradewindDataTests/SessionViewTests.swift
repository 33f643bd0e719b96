import Testing
import TradewindCore
import TradewindData

@Suite struct SessionViewTests {
    @Test func rthBarsAreGroupedPerSessionAndExtendedHoursAreMinusOne() {
        // 2024-07-01 with pre-market and after-hours bars, then 2024-07-02 regular hours only.
        let s = testMinuteBars([("2024-07-01", hm(8, 0), hm(17, 0)), ("2024-07-02", hm(9, 30), hm(16, 0))])
        let v = SessionView(series: s)
        #expect(v.sessionCount == 2)
        #expect(v.dates.map(\.description) == ["2024-07-01", "2024-07-02"])
        #expect(v.firstBar[0] == 90)  // 08:00 + 90 minutes
        #expect(v.endBar[0] == 90 + 390)
        #expect(v.bars(ofSession: 1) == (540..<930))
        #expect(v.sessionOfBar[89] == -1 && v.sessionOfBar[90] == 0 && v.sessionOfBar[479] == 0)
        #expect(v.sessionOfBar[480] == -1)  // 16:00 after-hours bar
        #expect(v.sessionOfBar[540] == 1 && v.sessionOfBar[929] == 1)
        #expect(v.open[0] == s.time[90])
        #expect(v.previousClose[0].isNaN)
        // The previous close is the last regular-hours bar (15:59), not the after-hours 16:59 bar.
        #expect(v.previousClose[1] == s.close[479])
        #expect(v.previousClose[1] != s.close[539])
    }

    @Test func earlyCloseEndsWithThe1259Bar() {
        let s = testMinuteBars([("2024-07-03", hm(9, 30), hm(16, 0))])
        let v = SessionView(series: s)
        #expect(v.sessionCount == 1)
        let last = v.lastBar(ofSession: 0)
        #expect(ISO8601.local(s.time[last], in: .newYork) == "2024-07-03T12:59:00-04:00")
        #expect(v.endBar[0] == 210)
        #expect(v.sessionOfBar[210] == -1)
        #expect(ISO8601.utc(v.close[0]) == "2024-07-03T17:00:00Z")
    }

    @Test func missingSessionsAndClosedDaysAreSkipped() {
        // 2024-07-04 is a holiday (bars there are outside any session); 2024-07-02/03 are absent.
        let s = testMinuteBars([
            ("2024-07-01", hm(15, 58), hm(16, 0)), ("2024-07-04", hm(10, 0), hm(10, 2)),
            ("2024-07-05", hm(9, 30), hm(9, 32)),
        ])
        let v = SessionView(series: s)
        #expect(v.dates.map(\.description) == ["2024-07-01", "2024-07-05"])
        #expect(Array(v.sessionOfBar) == [0, 0, -1, -1, 1, 1])
        #expect(v.previousClose[1] == s.close[1])
    }

    @Test func emptySeriesGivesAnEmptyView() {
        let v = SessionView(series: BarSeries(symbol: "X", interval: .minute))
        #expect(v.sessionCount == 0 && v.sessionOfBar.isEmpty)
    }
}
