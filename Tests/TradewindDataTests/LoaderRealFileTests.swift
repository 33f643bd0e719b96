import Foundation
import Testing
import TradewindCore
import TradewindData

@Suite struct LoaderRealFileTests {
    @Test func pyalgotradeMinuteFileGivesTheKnownClosesAtEasternTimes() throws {
        let path = LoaderPaths.samples + "/spy-1m-2011/nt-spy-minute-2011-03.csv"
        let (s, report) = try CSVBarReader.readWithReport(path: path, options: LoadOptions(zone: .utc))
        #expect(s.symbol == "SPY")
        #expect(s.interval == .minute)
        #expect(report.hasHeader == false)
        #expect(report.delimiter == ";")
        #expect(report.label.label == .end)
        #expect(report.label.source == .detected)
        #expect(s.count == 17_577)
        // pyalgotrade's testLocalizeAndFilter: bar stamped (end) 09:31 ET closes 132.35 → starts 09:30.
        let known: [(String, Double)] = [
            ("2011-03-09 09:30", 132.35), ("2011-03-09 15:59", 132.39),
            ("2011-03-10 09:30", 130.81), ("2011-03-10 15:59", 129.92),
            ("2011-03-11 09:30", 129.72), ("2011-03-11 15:59", 130.84),
        ]
        var found: [String: Double] = [:]
        for i in 0..<s.count { found[eastern(s.time[i])] = s.close[i] }
        for (time, close) in known { #expect(found[time] == close, "close at \(time) ET") }
        // Stamp 20110309 143100 is the 09:30–09:31 EST bar: start instant 14:30Z.
        let i = s.firstIndex(atOrAfter: ZoneRules.utc.instant(CivilDate(year: 2011, month: 3, day: 9)!, hour: 14, minute: 30))
        #expect(ISO8601.utc(s.time[i]) == "2011-03-09T14:30:00Z")
        #expect(s.close[i] == 132.35)
    }

    @Test func eqkerMinuteFilesStartSessionsAt0930AndEndAt1559() throws {
        for sym in ["SPY", "AAPL", "MSFT", "QQQ", "JPM"] {
            let (s, report) = try CSVBarReader.readWithReport(path: LoaderPaths.samples + "/eqker-1m/\(sym)_1min.csv")
            #expect(s.symbol == sym)
            #expect(report.rowOrder == .descending)
            #expect(report.label.label == .end, "\(sym): \(report.label)")
            #expect(s.interval == .minute)
            var firstOfDay: [String: String] = [:]
            var lastOfDay: [String: String] = [:]
            var bars: [String: Int] = [:]
            for t in s.time {
                let e = eastern(t)
                let day = String(e.prefix(10)), hm = String(e.suffix(5))
                if firstOfDay[day] == nil { firstOfDay[day] = hm }
                lastOfDay[day] = hm
                bars[day, default: 0] += 1
            }
            #expect(firstOfDay.count == 5)
            for (day, hm) in firstOfDay {
                #expect(hm == "09:30", "\(sym) \(day) starts \(hm)")
                #expect(lastOfDay[day] == "15:59", "\(sym) \(day) ends \(lastOfDay[day] ?? "")")
                // SPY and JPM have every minute; AAPL, MSFT and QQQ miss two minutes on 2019-02-14 in the source.
                #expect(bars[day] == 390 || (day == "2019-02-14" && bars[day] == 388), "\(sym) \(day): \(bars[day] ?? 0) bars")
            }
            // Sorted ascending although the file is newest first.
            #expect(zip(s.time, s.time.dropFirst()).allSatisfy { $0 < $1 })
        }
        // SPY's last bar of 2019-02-15 (stamped 16:00, covers 15:59–16:00) has volume 2,689,895.
        let spy = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-1m/SPY_1min.csv")
        #expect(spy.volume.last == 2_689_895)
        #expect(spy.close.last == 277.39)
        #expect(eastern(spy.time.last!) == "2019-02-15 15:59")
    }

    @Test func everyEqkerIntradayFileIsDetectedAsEndLabelled() throws {
        for folder in ["eqker-1m", "eqker-15m"] {
            let dir = LoaderPaths.samples + "/" + folder
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".csv") {
                let (s, r) = try CSVBarReader.readWithReport(path: dir + "/" + name)
                #expect(r.label.label == .end, "\(name): \(r.label)")
                // Sparse files (UGA: mostly 2–3 minute gaps) still give their true interval.
                #expect(s.interval == (folder == "eqker-1m" ? .minute : .minutes(15)), "\(name): \(s.interval)")
                #expect(r.label.endVotes > 0 && r.label.startVotes == 0, "\(name): \(r.label)")
                // After the shift no bar starts at or after 16:00 or before 09:30.
                #expect(s.time.allSatisfy { let hm = eastern($0).suffix(5); return hm >= "09:30" && hm < "16:00" }, "\(name)")
            }
        }
    }

    @Test func eqkerFifteenMinuteAndDailyFiles() throws {
        let m15 = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-15m/SPY_15min.csv")
        #expect(m15.interval == .minutes(15))
        #expect(eastern(m15.time.first!).hasSuffix("09:30"))
        #expect(eastern(m15.time.last!).hasSuffix("15:45"))
        let daily = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-daily/SPY_daily.csv")
        #expect(daily.interval == .daily)
        #expect(daily.count == 283)  // 283 data rows in the file (2018-01-02 … 2019-02-15)
        #expect(eastern(daily.time.first!) == "2018-01-02 09:30")
        #expect(ISO8601.utc(daily.time.last!) == "2019-02-15T14:30:00Z")
        let vix = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-1m/VIX_1min.csv")
        #expect(vix.volume.allSatisfy { $0 == 0 })
    }

    @Test func yahooDailyFilesOfOneSymbolMerge() throws {
        let dir = LoaderPaths.samples + "/spy-daily"
        let paths = (2007...2013).map { "\(dir)/SPY-\($0)-yahoofinance.csv" }
        let s = try CSVBarReader.readSymbol(paths: paths)
        #expect(s.symbol == "SPY")
        #expect(s.interval == .daily)
        #expect(s.sourceAdjustedClose != nil)
        #expect(eastern(s.time.first!) == "2007-01-03 09:30")
        #expect(zip(s.time, s.time.dropFirst()).allSatisfy { $0 < $1 })
        // First row of SPY-2007 (newest first): 2007-12-31 close 146.21, adj 127.37.
        let i = s.firstIndex(atOrAfter: ZoneRules.newYork.instant(CivilDate(year: 2007, month: 12, day: 31)!, hour: 9, minute: 30))
        #expect(s.close[i] == 146.21)
        #expect(s.sourceAdjustedClose![i] == 127.37)
        #expect(s.count == 251 + 253 + 252 + 252 + 252 + 250 + 252)
    }

    @Test func sp500GzipWithDividendsAndSplits() throws {
        let s = try CSVBarReader.read(path: LoaderPaths.samples + "/sp500-50/DA-AAPL-T-2021-04-21.csv.gz")
        #expect(s.symbol == "AAPL")
        #expect(s.interval == .daily)
        #expect(s.count == 5_402)  // 5,403 lines including the header
        #expect(s.dividend != nil && s.splitCoefficient != nil && s.sourceAdjustedClose != nil)
        let split = ZoneRules.newYork.instant(CivilDate(year: 2014, month: 6, day: 9)!, hour: 9, minute: 30)
        let k = s.firstIndex(atOrAfter: split)
        #expect(s.time[k] == split)
        #expect(s.close[k - 1] == 645.57)
        #expect(s.close[k] == 93.7)
        #expect(s.splitCoefficient![k] == 7.00000700001)
        #expect(s.splitCoefficient!.filter { $0 != 1 }.count == 4)
    }

    @Test func wikiQuandlFixtureWithExDividendAndSplitRatio() throws {
        let s = try CSVBarReader.read(path: LoaderPaths.fixtures + "/WIKI-AAPL-2012-quandl.csv")
        #expect(s.symbol == "AAPL")
        #expect(s.dividend != nil)
        #expect(s.splitCoefficient!.allSatisfy { $0 == 1 })
        #expect(s.sourceAdjustedClose != nil)
        // AAPL's first dividend of the modern era: ex-date 2012-08-09, $2.65.
        let exDate = ZoneRules.newYork.instant(CivilDate(year: 2012, month: 8, day: 9)!, hour: 9, minute: 30)
        let k = s.firstIndex(atOrAfter: exDate)
        #expect(s.time[k] == exDate)
        #expect(s.dividend![k] == 2.65)
    }

    @Test func directoryLoadGroupsFilesBySymbolAndSkipsSymbolLists() throws {
        let ds = try CSVBarReader.readDirectory(path: LoaderPaths.samples + "/sp500-50", symbols: ["AAPL", "BRK.B", "TSLA"])
        #expect(ds.symbols == ["AAPL", "BRK.B", "TSLA"])
        let all = try CSVBarReader.readDirectory(path: LoaderPaths.samples + "/eqker-1m")
        #expect(all.count == 24)
        #expect(all["SPY"]?.count == 1950)
        let sp = try CSVBarReader.readDirectory(path: LoaderPaths.samples + "/sp500-50")
        #expect(sp.count == 50)
        #expect(sp["CONSTITUENTS"] == nil)
    }
}
