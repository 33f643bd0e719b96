import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite("Data sources, samples, import and summaries")
struct DataSourceTests {
    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "tw-src-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("every bundled sample loads with its conventions and the symbols its SOURCE.txt lists")
    func everySampleLoads() throws {
        let expected: [String: Int] = [
            "spy-daily": 1, "sp500-50": 50, "eqker-1m": 24, "eqker-15m": 24, "eqker-daily": 24, "spy-1m-2011": 1,
        ]
        #expect(SampleCatalog.all.map(\.name).sorted() == expected.keys.sorted())
        for sample in SampleCatalog.all {
            let groups = try sample.files()
            #expect(groups.count == expected[sample.name], "\(sample.name)")
        }
        let spy = try DataSource(parsing: "sample:spy-daily").load()
        #expect(spy.symbols == ["SPY"])
        #expect(spy["SPY"]!.interval == .daily)
    }

    @Test("a sample loads only the symbols asked for, and an unknown symbol is named in the error")
    func sampleSymbolFilter() throws {
        let ds = try DataSource(parsing: "sample:sp500-50").load(symbols: ["AAPL", "MSFT"])
        #expect(ds.symbols == ["AAPL", "MSFT"])
        let e = #expect(throws: DataError.self) { try DataSource(parsing: "sample:sp500-50").load(symbols: ["NOPE"]) }
        #expect(e?.kind == .unknownSymbol)
        #expect(e?.message.contains("AAPL") == true)
    }

    @Test("--data spellings: an unknown sample and a missing path are clear errors")
    func parsingErrors() {
        let unknown = #expect(throws: DataError.self) { try DataSource(parsing: "sample:nope") }
        #expect(unknown?.kind == .unknownSample)
        #expect(unknown?.message.contains("spy-daily") == true)
        let missing = #expect(throws: DataError.self) { try DataSource(parsing: "/no/such/file.csv") }
        #expect(missing?.kind == .fileNotFound)
        #expect(missing?.input == .source && missing?.description.contains("--") == false)
        #expect(#expect(throws: DataError.self) { try DataSource(parsing: "") }?.file == "data source ''")
    }

    @Test("a directory of .twc files is recognised as a cache, a CSV directory as a directory")
    func recognisesKinds() throws {
        let dir = Self.tempDir()
        let summary = try DataImporter.importData(["sample:eqker-daily"], options: LoadOptions(), to: dir + "/cache")
        #expect(summary.symbols.count == 24)
        #expect(try DataSource(parsing: dir + "/cache") == .cache(dir + "/cache"))
        #expect(try DataSource(parsing: dir + "/cache/SPY.twc") == .cache(dir + "/cache/SPY.twc"))
        let samples = try SampleCatalog.rootDirectory()
        #expect(try DataSource(parsing: samples + "/eqker-daily") == .directory(samples + "/eqker-daily"))
        #expect(try DataSource(parsing: samples + "/eqker-daily/SPY_daily.csv") == .file(samples + "/eqker-daily/SPY_daily.csv"))
    }

    @Test("an imported cache reads back exactly what the CSV files held")
    func importRoundTrip() throws {
        let dir = Self.tempDir()
        let fromCSV = try DataSource(parsing: "sample:eqker-1m").load(symbols: ["SPY", "AAPL"])
        _ = try DataImporter.importData(["sample:eqker-1m"], options: LoadOptions(), to: dir)
        let fromCache = try DataSource(parsing: dir).load(symbols: ["SPY", "AAPL"])
        #expect(fromCache == fromCSV)
    }

    @Test("per-year files of one symbol given as separate inputs are merged into one series")
    func importMergesFilesOfOneSymbol() throws {
        let root = try SampleCatalog.rootDirectory() + "/spy-daily/"
        let dir = Self.tempDir()
        let s = try DataImporter.importData(
            [root + "SPY-2007-yahoofinance.csv", root + "SPY-2008-yahoofinance.csv"], options: LoadOptions(), to: dir)
        #expect(s.symbols == ["SPY"])
        let spy = try BarCache.read(path: dir + "/SPY.twc")
        #expect(spy.count == 251 + 253)
        #expect(ISO8601.utc(spy.time.first!).hasPrefix("2007-01-03"))
        #expect(ISO8601.utc(spy.time.last!).hasPrefix("2008-12-31"))
    }

    @Test("the same symbol from two different inputs is refused rather than overwritten")
    func importRefusesCollisions() {
        #expect(throws: DataError.self) {
            try DataImporter.importData(["sample:eqker-daily", "sample:spy-daily"], options: LoadOptions(), to: Self.tempDir())
        }
    }

    @Test("data info's JSON has the documented keys with UTC instants and closes")
    func summaryJSON() throws {
        let spy = try DataSource(parsing: "sample:eqker-1m").load(symbols: ["SPY"])["SPY"]!
        let summary = SeriesSummary(spy)
        #expect(summary.bars == 1950)
        #expect(summary.sessions == 5)
        #expect(summary.start == "2019-02-11T14:30:00Z")
        #expect(summary.end == "2019-02-15T20:59:00Z")
        #expect(summary.lastClose == 277.39)
        let json = SeriesSummary.json([summary])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        for key in ["symbol", "interval", "bars", "sessions", "start", "end", "first_close", "last_close"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["interval"] as? String == "1m")
        let aapl = SeriesSummary(try DataSource(parsing: "sample:sp500-50").load(symbols: ["AAPL"])["AAPL"]!)
        #expect(aapl.splits["2014-06-09"] == 7.00000700001)
    }
}

@Suite("Sample conventions")
struct SampleConventionTests {
    @Test("illiquid eqker minute files keep the 1-minute interval, so every session starts at 09:30")
    func illiquidKeepsInterval() throws {
        let ds = try DataSource(parsing: "sample:eqker-1m").load(symbols: ["UGA", "PPLT"])
        for s in ds.series {
            #expect(s.interval == .minute)
            #expect(ISO8601.utc(s.time.first!) >= "2019-02-11T14:30:00Z", "\(s.symbol)")
        }
        let m15 = try DataSource(parsing: "sample:eqker-15m").load(symbols: ["UGA"])["UGA"]!
        #expect(m15.interval == .minutes(15))
    }
}
