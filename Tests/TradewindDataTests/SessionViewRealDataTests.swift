import Testing
import TradewindCore
import TradewindData

/// SessionView and Resampler on real minute bars with pre- and post-market trading: SPY, Jan and
/// Mar 2011 (NinjaTrader export via pyalgotrade, UTC, bars labelled by their end).
@Suite struct SessionViewRealDataTests {
    static func spy() throws -> BarSeries {
        let sample = try SampleCatalog.named("spy-1m-2011")
        var options = sample.options
        options.interval = .minute
        return try CSVBarReader.readSymbol(paths: try #require(try sample.files().first).paths, options: options)
    }

    @Test func regularHoursOfEverySessionAreFoundAmongExtendedHoursBars() throws {
        let spy = try Self.spy()
        let view = SessionView(series: spy)
        let cal = NYSECalendar.shared
        let expected = try cal.sessions(from: CivilDate(iso: "2011-01-03")!, to: CivilDate(iso: "2011-01-31")!)  // the file ends with Jan 31 post-market (01:00 UTC Feb 1)
            + cal.sessions(from: CivilDate(iso: "2011-03-01")!, to: CivilDate(iso: "2011-03-31")!)
        #expect(view.dates == expected.map(\.date))
        #expect(view.sessionOfBar.contains(-1))  // pre- and post-market bars
        for s in 0..<view.sessionCount {
            let bars = view.bars(ofSession: s)
            #expect(bars.allSatisfy { spy.time[$0] >= view.open[s] && spy.time[$0] < view.close[s] })
            if bars.lowerBound > 0 { #expect(spy.time[bars.lowerBound - 1] < view.open[s]) }
            if bars.upperBound < spy.count { #expect(spy.time[bars.upperBound] >= view.close[s]) }
            #expect(bars.count <= 390)
            if s > 0 { #expect(view.previousClose[s] == spy.close[view.lastBar(ofSession: s - 1)]) }
        }
    }

    @Test func matchesPyalgotradesReferenceCloses() throws {
        // pyalgotrade's ninjatraderfeed_test: closes of the 09:31 and 16:00 (end-labelled) bars, New York time.
        let spy = try Self.spy()
        let view = SessionView(series: spy)
        let reference: [(String, Double, Double)] = [
            ("2011-03-09", 132.35, 132.39), ("2011-03-10", 130.81, 129.92), ("2011-03-11", 129.72, 130.84),
        ]
        for (date, first, last) in reference {
            let s = try #require(view.dates.firstIndex(of: CivilDate(iso: date)!))
            #expect(spy.close[view.firstBar[s]] == first, "\(date)")
            #expect(spy.close[view.lastBar(ofSession: s)] == last, "\(date)")
        }
        let march10 = try #require(view.dates.firstIndex(of: CivilDate(iso: "2011-03-10")!))
        #expect(view.previousClose[march10] == 132.39)
        #expect(view.previousClose[march10 + 1] == 129.92)
        // Daily bars from regular hours close at the 16:00 print; extended hours add volume, not RTH closes.
        let daily = try Resampler.resample(spy, to: .daily)
        let extended = try Resampler.resample(spy, to: .daily, hours: .extended)
        #expect(daily.close[march10] == 129.92 && daily.open[march10] == spy.open[view.firstBar[march10]])
        #expect(daily.count == extended.count)
        #expect((0..<daily.count).allSatisfy { extended.volume[$0] >= daily.volume[$0] })
        #expect(extended.volume.reduce(0, +) > daily.volume.reduce(0, +))
    }
}
