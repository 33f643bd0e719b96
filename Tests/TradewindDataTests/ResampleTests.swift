import Testing
import TradewindCore
import TradewindData

@Suite struct ResampleTests {
    let week = testMinuteBars(
        [("2024-07-01", hm(9, 30), hm(16, 0)), ("2024-07-02", hm(9, 30), hm(16, 0)),
         ("2024-07-03", hm(9, 30), hm(13, 0)), ("2024-07-05", hm(9, 30), hm(16, 0))],
        withVWAP: true)

    @Test func fifteenMinuteBucketsAreAlignedToTheOpenAndPreserveEveryAggregate() throws {
        let r = try Resampler.resample(week, to: .minutes(15))
        #expect(r.interval == .minutes(15))
        // 26 buckets on full days, 14 on the 13:00 early close.
        #expect(r.count == 26 + 26 + 14 + 26)
        let cal = NYSECalendar.shared
        var j = 0
        for k in 0..<r.count {
            let s = try #require(cal.sessionIndex(containing: r.time[k]).map(cal.session(at:)))
            #expect((r.time[k] - s.open) % (15 * UnixTime.nanosPerMinute) == 0)
            let end = min(r.time[k] + 15 * UnixTime.nanosPerMinute, s.close)
            var hi = -Double.infinity, lo = Double.infinity, vol = 0.0, pv = 0.0, trades = 0.0
            let first = j
            while j < week.count && week.time[j] < end {
                hi = max(hi, week.high[j]); lo = min(lo, week.low[j]); vol += week.volume[j]
                pv += week.vwap![j] * week.volume[j]; trades += week.tradeCount![j]
                j += 1
            }
            #expect(j - first == Int((end - r.time[k]) / UnixTime.nanosPerMinute))
            #expect(r.open[k] == week.open[first] && r.close[k] == week.close[j - 1])
            #expect(r.high[k] == hi && r.low[k] == lo && r.volume[k] == vol && r.tradeCount![k] == trades)
            #expect(abs(r.vwap![k] - pv / vol) < 1e-9)
        }
        #expect(j == week.count)
        #expect(r.volume.reduce(0, +) == week.volume.reduce(0, +))
    }

    @Test func barsAfterAnEarlyCloseAreNotRegularHours() throws {
        let s = testMinuteBars([("2024-07-03", hm(9, 30), hm(16, 0))])
        let r = try Resampler.resample(s, to: .daily)
        #expect(r.count == 1 && r.volume[0] == s.volume[0..<210].reduce(0, +) && r.close[0] == s.close[209])
        let ext = try Resampler.resample(s, to: .daily, hours: .extended)
        #expect(ext.volume[0] == s.volume.reduce(0, +) && ext.close[0] == s.close.last!)
    }

    @Test func hourlyBucketsAreCutAtTheEarlyClose() throws {
        let r = try Resampler.resample(testMinuteBars([("2024-07-02", hm(9, 30), hm(16, 0)),
                                                       ("2024-07-03", hm(9, 30), hm(16, 0))]), to: .hours(1))
        let july3 = r.time.filter { ZoneRules.newYork.localDate(of: $0) == CivilDate(iso: "2024-07-03")! }
        #expect(july3.map { ISO8601.local($0, in: .newYork) } == [
            "2024-07-03T09:30:00-04:00", "2024-07-03T10:30:00-04:00", "2024-07-03T11:30:00-04:00",
            "2024-07-03T12:30:00-04:00",
        ])
        // The last bucket holds 12:30–12:59 only.
        let i = try #require(r.time.firstIndex(of: july3[3]))
        let src = testMinuteBars([("2024-07-02", hm(9, 30), hm(16, 0)), ("2024-07-03", hm(9, 30), hm(16, 0))])
            .between(july3[3], july3[3] + UnixTime.nanosPerHour)
        #expect(r.close[i] == src.close[29])
        #expect(r.volume[i] == src.volume[0..<30].reduce(0, +))
        // Full days: 09:30 … 15:30 (7 buckets, the last 30 minutes long).
        #expect(r.count == 7 + 4)
    }

    @Test func dailyBarsAreStampedAtTheSessionOpen() throws {
        let r = try Resampler.resample(week, to: .daily)
        #expect(r.time.map(ISO8601.utc) == [
            "2024-07-01T13:30:00Z", "2024-07-02T13:30:00Z", "2024-07-03T13:30:00Z", "2024-07-05T13:30:00Z",
        ])
        #expect(r.interval == .daily)
        #expect(r.high.allSatisfy { $0 >= 100 })
        #expect(r.volume.reduce(0, +) == week.volume.reduce(0, +))
        let w = try Resampler.resample(week, to: .weekly)
        #expect(w.count == 1 && w.time[0] == r.time[0] && w.close[0] == week.close.last!)
        #expect(w.high[0] == week.high.max()! && w.low[0] == week.low.min()!)
        let m = try Resampler.resample(testMinuteBars([("2024-06-28", hm(9, 30), hm(9, 40)),
                                                       ("2024-07-01", hm(9, 30), hm(9, 40))]), to: .monthly)
        #expect(m.count == 2)
    }

    @Test func extendedHoursBucketsAlignBackwardFromTheOpenAndForwardFromTheClose() throws {
        let s = testMinuteBars([("2024-07-01", hm(0, 10), hm(0, 12)), ("2024-07-01", hm(8, 59), hm(9, 31)),
                                ("2024-07-01", hm(15, 59), hm(16, 31))])
        let rth = try Resampler.resample(s, to: .hours(1))
        #expect(rth.time.map { ISO8601.local($0, in: .newYork) } == ["2024-07-01T09:30:00-04:00", "2024-07-01T15:30:00-04:00"])
        let ext = try Resampler.resample(s, to: .hours(1), hours: .extended)
        #expect(ext.time.map { ISO8601.local($0, in: .newYork) } == [
            "2024-07-01T00:00:00-04:00",  // the 23:30–00:30 grid slot, cut at midnight
            "2024-07-01T08:30:00-04:00", "2024-07-01T09:30:00-04:00", "2024-07-01T15:30:00-04:00",
            "2024-07-01T16:00:00-04:00",
        ])
        #expect(ext.volume.reduce(0, +) == s.volume.reduce(0, +))
        let day = try Resampler.resample(s, to: .daily, hours: .extended)
        #expect(day.count == 1 && day.open[0] == s.open[0] && day.close[0] == s.close.last!)
        #expect(ISO8601.utc(day.time[0]) == "2024-07-01T13:30:00Z")
    }

    @Test func emptyBucketsAndClosedDaysAreNotEmitted() throws {
        let s = testMinuteBars([("2024-07-01", hm(9, 30), hm(9, 35)), ("2024-07-01", hm(11, 0), hm(11, 5)),
                                ("2024-07-04", hm(10, 0), hm(10, 5))])
        let r = try Resampler.resample(s, to: .minutes(30))
        #expect(r.time.map { ISO8601.local($0, in: .newYork) } == ["2024-07-01T09:30:00-04:00", "2024-07-01T11:00:00-04:00"])
        #expect(try Resampler.resample(s, to: .minutes(30), hours: .extended).count == 2)
    }

    @Test func badTargetsAreRejectedWithTheReason() throws {
        let s = testMinuteBars([("2024-07-01", hm(9, 30), hm(10, 0))], step: 15)
        #expect(throws: DataError.self) { try Resampler.resample(s, to: .minutes(20)) }
        #expect(throws: DataError.self) { try Resampler.resample(s, to: .minutes(5)) }
        var daily = s
        daily.interval = .daily
        #expect(throws: DataError.self) { try Resampler.resample(daily, to: .weekly) }
        #expect(try Resampler.resample(s, to: .minutes(30)).count == 1)
        let early = testMinuteBars([("1989-12-29", hm(9, 30), hm(9, 31)), ("1990-01-02", hm(9, 30), hm(9, 31))])
        #expect(throws: DataError.self) { try Resampler.resample(early, to: .daily) }
    }
}

@Suite struct ResampleDatasetTests {
    @Test func everySymbolIsResampledLikeItsOwnSeries() throws {
        let data = try SyntheticMarket(seed: 2).generate(
            symbols: 5, from: CivilDate(iso: "2024-11-25")!, to: CivilDate(iso: "2024-12-06")!)
        let r = try Resampler.resample(data, to: .minutes(30))
        #expect(r.symbols == data.symbols)
        for s in data.series { #expect(r[s.symbol] == (try Resampler.resample(s, to: .minutes(30)))) }
        var daily = data.series[0]
        daily.interval = .daily
        #expect(throws: DataError.self) { try Resampler.resample(MarketDataset([daily]), to: .weekly) }
    }
}
