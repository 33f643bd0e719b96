import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite struct CSVDialectTests {
    func utc(_ s: BarSeries) -> [String] { s.time.map(ISO8601.utc) }

    @Test func headerlessSemicolonFileWithSeparateDateAndTimeFields() throws {
        let text = "2020-01-02;10:00:00;1;2;0.5;1.5;100\n2020-01-02;10:01:00;1;2;0.5;1.5;100\n2020-01-02;10:02:00;1;2;0.5;1.5\n"
        // The third row lacks volume: not allowed once the first row had it.
        #expect(loadError { () throws(DataError) in try CSVBarReader.read(text: text, options: LoadOptions(label: .start)) }?.kind == .tooFewFields)
        let ok = "2020-01-02;10:00:00;1;2;0.5;1.5;100\n2020-01-02;10:01:00;1;2;0.5;1.5;100\n"
        let s = try CSVBarReader.read(text: ok, options: LoadOptions(label: .start))
        #expect(utc(s) == ["2020-01-02T15:00:00Z", "2020-01-02T15:01:00Z"])
        #expect(s.interval == .minute)
    }

    @Test func tabSeparatedCRLFWithoutFinalNewlineAndQuotedFields() throws {
        let text = "\u{FEFF}\"Date\"\t\"Open\"\t\"High\"\t\"Low\"\t\"Close\"\t\"Volume\"\r\n\"2020-01-03\"\t1\t2\t0.5\t1.5\t10\r\n2020-01-02\t1\t2\t0.5\t1.25\t20"
        let s = try CSVBarReader.read(text: text)
        #expect(s.close == [1.25, 1.5])
        #expect(s.volume == [20, 10])
        #expect(s.interval == .daily)
        #expect(utc(s) == ["2020-01-02T14:30:00Z", "2020-01-03T14:30:00Z"])
    }

    @Test func headerlessDailyWithoutVolumeGetsZeroVolume() throws {
        let s = try CSVBarReader.read(text: "20200102,1,2,0.5,1.5\n20200103,1,2,0.5,1.5\n")
        #expect(s.volume == [0, 0])
        #expect(utc(s) == ["2020-01-02T14:30:00Z", "2020-01-03T14:30:00Z"])
    }

    @Test func everyTimestampFormNamesTheSameInstant() throws {
        // 2020-07-01 10:15 New York (EDT, UTC-4) = 14:15Z; each file has a second bar one minute later.
        let forms: [(String, String, LoadOptions)] = [
            ("2020-07-01 10:15:00", "2020-07-01 10:16:00", .init(label: .start)),
            ("2020-07-01T10:15:00", "2020-07-01T10:16:00", .init(label: .start)),
            ("2020-07-01 10:15:00.000", "2020-07-01 10:16:00.000", .init(label: .start)),
            ("2020-07-01 10:15", "2020-07-01 10:16", .init(label: .start)),
            ("2020-07-01T14:15:00Z", "2020-07-01T14:16:00Z", .init(label: .start)),
            ("2020-07-01T10:15:00-04:00", "2020-07-01T10:16:00-04:00", .init(label: .start)),
            ("2020-07-01 16:15:00+0200", "2020-07-01 16:16:00+0200", .init(label: .start)),
            ("7/1/2020 10:15", "7/1/2020 10:16", .init(label: .start)),
            ("20200701 141500", "20200701 141600", .init(zone: .utc, label: .start)),
            ("1593612900", "1593612960", .init(label: .start)),
            ("1593612900000", "1593612960000", .init(label: .start)),
            ("1593612900000000", "1593612960000000", .init(label: .start)),
            ("1593612900000000000", "1593612960000000000", .init(label: .start)),
        ]
        for (a, b, opts) in forms {
            let s = try CSVBarReader.read(text: "time,open,high,low,close\n\(a),1,2,0.5,1.5\n\(b),1,2,0.5,1.5\n", options: opts)
            #expect(utc(s) == ["2020-07-01T14:15:00Z", "2020-07-01T14:16:00Z"], "\(a)")
            #expect(s.interval == .minute, "\(a)")
        }
        let frac = try CSVBarReader.read(text: "timestamp,open,high,low,close\n2020-07-01T14:15:00.25Z,1,2,0.5,1.5\n2020-07-01T14:15:01.25Z,1,2,0.5,1.5\n",
                                         options: .init(label: .start))
        #expect(utc(frac) == ["2020-07-01T14:15:00.25Z", "2020-07-01T14:15:01.25Z"])
        #expect(frac.interval == BarInterval(seconds: 1))
        for d in ["2020-07-01", "7/1/2020", "20200701", "2020/07/01"] {
            let s = try CSVBarReader.read(text: "Date,Open,High,Low,Close\n\(d),1,2,0.5,1.5\n")
            #expect(utc(s) == ["2020-07-01T13:30:00Z"], "\(d)")
            #expect(s.interval == .daily)
        }
    }

    @Test func naiveTimestampsUseTheOptionZone() throws {
        let text = "datetime,open,high,low,close\n2020-01-02 09:30:00,1,2,0.5,1.5\n2020-01-02 09:31:00,1,2,0.5,1.5\n"
        let ny = try CSVBarReader.read(text: text, options: .init(label: .start))
        #expect(utc(ny).first == "2020-01-02T14:30:00Z")
        let london = try CSVBarReader.read(text: text, options: .init(zone: try ZoneRules.named("Europe/London"), label: .start))
        #expect(utc(london).first == "2020-01-02T09:30:00Z")
        // Across the DST change the offset follows the zone.
        let dst = "datetime,open,high,low,close\n2020-03-06 09:30:00,1,2,0.5,1.5\n2020-03-09 09:30:00,1,2,0.5,1.5\n"
        #expect(utc(try CSVBarReader.read(text: dst, options: .init(label: .start, interval: .minutes(30)))) ==
                ["2020-03-06T14:30:00Z", "2020-03-09T13:30:00Z"])
    }

    @Test func dailyBarsWrittenAsLocalMidnightBecomeSessionOpens() throws {
        let text = "Date,Open,High,Low,Close\n2020-01-02 00:00:00,1,2,0.5,1.5\n2020-01-03 00:00:00,1,2,0.5,1.5\n2020-01-06 00:00:00,1,2,0.5,1.5\n"
        let s = try CSVBarReader.read(text: text)
        #expect(s.interval == .daily)
        #expect(utc(s) == ["2020-01-02T14:30:00Z", "2020-01-03T14:30:00Z", "2020-01-06T14:30:00Z"])
    }

    @Test func columnAliasesInAnyCase() throws {
        let text = "Unnamed: 0,DateTime,O,H,L,C,V,VWAP,n,Dividends,Stock Splits,Adj Close,symbol\n"
            + "0,2020-01-02,1,2,0.5,1.5,10,1.2,7,0,0,1.4,XYZ\n1,2020-01-03,1,2,0.5,1.5,10,1.3,8,0.1,2,1.45,XYZ\n"
        let s = try CSVBarReader.read(text: text, options: .init(symbol: "XYZ"))
        #expect(s.vwap == [1.2, 1.3])
        #expect(s.tradeCount == [7, 8])
        #expect(s.dividend == [0, 0.1])
        #expect(s.splitCoefficient == [1, 2])  // yfinance's 0 = no split
        #expect(s.sourceAdjustedClose == [1.4, 1.45])
        // pandas to_csv with an unnamed DatetimeIndex: the empty first column is the time.
        let pandas = ",open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,10\n"
        #expect(try CSVBarReader.read(text: pandas).count == 1)
        // Alpha Vantage / Quandl spellings.
        let q = "Date,Open,High,Low,Close,Volume,Ex-Dividend,Split Ratio,Adj. Close\n2020-01-02,1,2,0.5,1.5,10,0.5,1.0,1.2\n"
        let qs = try CSVBarReader.read(text: q)
        #expect(qs.dividend == [0.5])
        #expect(qs.sourceAdjustedClose == [1.2])
    }

    @Test func numbersParseExactly() throws {
        // Values that need the slow path (more than 19 digits, big exponents) and the fast path.
        let texts = ["0.1", "123.456", "1e3", "2.5E-3", "+7", "0.30000000000000004", "123456789012345678901234.5",
                     "1.7976931348623157e308", "4.9406564584124654e-320", "9007199254740993", "0.000000000000000000000000001"]
        for t in texts {
            let v = t.utf8.withContiguousStorageIfAvailable { b in DecimalParsing.parse(b.baseAddress!, 0, b.count) }!
            #expect(v == Double(t), "\(t)")
        }
        for bad in ["", "-", ".", "1.2.3", "1e", "12a", "0x10"] {
            let v = Array(bad.utf8).withUnsafeBufferPointer { b in b.count == 0 ? nil : DecimalParsing.parse(b.baseAddress!, 0, b.count) }
            #expect(v == nil, "\(bad)")
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let x = Double.random(in: 0.0001...100_000, using: &rng)
            for t in [x.description, String(format: "%.2f", x), String(format: "%.6f", x)] {
                let v = Array(t.utf8).withUnsafeBufferPointer { b in DecimalParsing.parse(b.baseAddress!, 0, b.count) }
                #expect(v == Double(t), "\(t)")
            }
        }
    }
}

@Suite struct LoaderLabelTests {
    /// Minute bars of one session in New York local time, `from`..<`to` minutes after midnight.
    func session(_ date: String, minutes: ClosedRange<Int>, volume: (Int) -> Double) -> String {
        var out = ""
        for m in minutes {
            let hh = m / 60, mm = m % 60
            out += "\(date) \(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm):00,1,2,0.5,1.5,\(Int(volume(m)))\n"
        }
        return out
    }

    @Test func regularHoursStartLabelledData() throws {
        let text = "datetime,open,high,low,close,volume\n" + session("2020-01-02", minutes: 570...959) { _ in 100 }
        let (s, r) = try CSVBarReader.readWithReport(path: write(text))
        #expect(r.label.label == .start)
        #expect(r.label.startVotes == 1)
        #expect(ISO8601.utc(s.time[0]) == "2020-01-02T14:30:00Z")
    }

    @Test func regularHoursEndLabelledDataIsShiftedToStarts() throws {
        let text = "datetime,open,high,low,close,volume\n" + session("2020-01-02", minutes: 571...960) { _ in 100 }
            + session("2020-01-03", minutes: 571...960) { _ in 100 }
        let (s, r) = try CSVBarReader.readWithReport(path: write(text))
        #expect(r.label.label == .end)
        #expect(r.label.endVotes == 2)
        #expect(ISO8601.utc(s.time[0]) == "2020-01-02T14:30:00Z")
        #expect(ISO8601.utc(s.time[389]) == "2020-01-02T20:59:00Z")
        // Forcing start keeps the stamps.
        let forced = try CSVBarReader.read(path: write(text), options: .init(label: .start))
        #expect(ISO8601.utc(forced.time[0]) == "2020-01-02T14:31:00Z")
    }

    @Test func extendedHoursVoteOnTheOpeningAuctionVolume() throws {
        // Opening bar (09:30–09:31) has 50× the volume of its neighbours.
        let startLabelled = session("2020-01-02", minutes: 480...1100) { $0 == 570 ? 50_000 : 1_000 }
        let r1 = try CSVBarReader.readWithReport(path: write("datetime,open,high,low,close,volume\n" + startLabelled)).report
        #expect(r1.label.label == .start)
        #expect(r1.label.startVotes == 1)
        let endLabelled = session("2020-01-02", minutes: 480...1100) { $0 == 571 ? 50_000 : 1_000 }
        let r2 = try CSVBarReader.readWithReport(path: write("datetime,open,high,low,close,volume\n" + endLabelled)).report
        #expect(r2.label.label == .end)
        // No clear winner (equal volumes): no vote, default start.
        let flat = session("2020-01-02", minutes: 480...1100) { _ in 1_000 }
        let r3 = try CSVBarReader.readWithReport(path: write("datetime,open,high,low,close,volume\n" + flat)).report
        #expect(r3.label.label == .start)
        #expect(r3.label.startVotes + r3.label.endVotes == 0)
    }

    @Test func dailyBarsIgnoreTheLabelOption() throws {
        let (s, r) = try CSVBarReader.readWithReport(path: write("date,open,high,low,close\n2020-01-02,1,2,0.5,1.5\n2020-01-03,1,2,0.5,1.5\n"),
                                                     options: .init(label: .end))
        #expect(r.label.source == .notApplicable)
        #expect(ISO8601.utc(s.time[0]) == "2020-01-02T14:30:00Z")
    }

    func write(_ text: String) throws -> String {
        let path = LoaderPaths.tempDir() + "/TEST_1min.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite struct LoaderSymbolNameTests {
    @Test func inferenceRule() {
        let cases: [(String, String?)] = [
            ("SPY_1min.csv", "SPY"), ("SPY-2007-yahoofinance.csv", "SPY"), ("AAPL.csv.gz", "AAPL"),
            ("DA-AAPL-T-2021-04-21.csv.gz", "AAPL"), ("BRK.B.csv", "BRK.B"), ("DA-BRK.B-T-2021-04-21.csv.gz", "BRK.B"),
            ("/data/x/WIKI-yhoo-2011-quandl.csv", "YHOO"), ("nt-spy-minute-2011.csv", "SPY"), ("spy.csv", "SPY"),
            ("2011.csv", nil), ("1min.csv", nil), ("", nil), ("DA.csv", "DA"),
        ]
        for (name, symbol) in cases { #expect(SymbolName.infer(fromFileName: name) == symbol, "\(name)") }
    }
}

@Suite struct CSVChunkedParseTests {
    func parse(_ bytes: [UInt8], chunk: Int, options: LoadOptions = .init()) throws(DataError) -> RawBars {
        try bytes.withUnsafeBufferPointer { (b) throws(DataError) in
            try CSVTableParser.parse(b, name: "X.csv", options: options, chunkBytes: chunk)
        }
    }

    @Test func parallelChunksGiveTheSameRowsAndLineNumbers() throws {
        let text = try String(contentsOfFile: LoaderPaths.samples + "/eqker-1m/SPY_1min.csv", encoding: .utf8)
        let bytes = Array(text.utf8)
        let whole = try parse(bytes, chunk: 1 << 30)
        for chunk in [1, 100, 4096, 50_000] {
            let parts = try parse(bytes, chunk: chunk)
            #expect(parts.time == whole.time)
            #expect(parts.close == whole.close)
            #expect(parts.volume == whole.volume)
            #expect(parts.line == whole.line)
        }
        #expect(whole.line.first == 2)
        #expect(whole.line.last == 1951)
    }

    @Test func errorsInLaterChunksNameTheRightLine() throws {
        var text = "timestamp,open,high,low,close,volume\n"
        for i in 0..<2000 { text += "2020-01-02T10:\(String(format: "%02d:%02d", (i / 60) % 60, i % 60))Z,1,2,0.5,1.5,100\n" }
        text += "2020-01-02T11:00:00Z,1,2,0.5,oops,100\n"
        let e = try #require(loadErrorRaw { () throws(DataError) in _ = try parse(Array(text.utf8), chunk: 1000) })
        #expect(e.kind == .badNumber)
        #expect(e.line == 2002)
        // Naive stamp far into the file after absolute ones: mixed, found across chunks.
        var mixed = "timestamp,open,high,low,close,volume\n"
        for i in 0..<500 { mixed += "2020-01-02T10:\(String(format: "%02d:%02d", (i / 60) % 60, i % 60))Z,1,2,0.5,1.5,100\n" }
        mixed += "2020-01-02 11:00:00,1,2,0.5,1.5,100\n"
        let e2 = try #require(loadErrorRaw { () throws(DataError) in _ = try parse(Array(mixed.utf8), chunk: 1000) })
        #expect(e2.kind == .mixedTimezones)
        #expect(e2.line == 502)
    }

    func loadErrorRaw(_ body: () throws(DataError) -> Void) -> DataError? {
        do throws(DataError) { try body(); return nil } catch { return error }
    }
}
