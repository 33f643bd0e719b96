import Foundation
import Testing
import TradewindCore
import TradewindData

@Suite struct CSVWriterTests {
    @Test func writtenDailyFileWithCorporateActionsReadsBackIdentically() throws {
        let original = try CSVBarReader.read(path: LoaderPaths.samples + "/sp500-50/DA-AAPL-T-2021-04-21.csv.gz")
        let path = LoaderPaths.tempDir() + "/AAPL.csv"
        try CSVBarWriter.write(original, to: path)
        let back = try CSVBarReader.read(path: path)
        #expect(back == original)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("timestamp,open,high,low,close,volume,dividend,split_coefficient,adjusted_close\n1999-11-01T14:30:00Z,80.0,"))
        #expect(text.hasSuffix("\n"))
    }

    @Test func endLabelledIntradayRoundTrip() throws {
        let original = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-1m/SPY_1min.csv")
        let dir = LoaderPaths.tempDir()
        try CSVBarWriter.write(original, to: dir + "/SPY.csv")
        #expect(try CSVBarReader.read(path: dir + "/SPY.csv") == original)
        try CSVBarWriter.write(original, to: dir + "/SPY_end.csv", label: .end)
        #expect(try CSVBarReader.read(path: dir + "/SPY_end.csv", options: .init(label: .end)) == original)
        #expect(try CSVBarReader.read(path: dir + "/SPY_end.csv") == original)  // detected: RTH with 16:00 stamps
    }

    @Test func bitExactDoublesAndOptionalColumnsSurvive() throws {
        var rng = SystemRandomNumberGenerator()
        let n = 500
        var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        for _ in 0..<n {
            let lo = Double.random(in: 1e-3...1e5, using: &rng)
            let hi = lo * Double.random(in: 1...1.1, using: &rng)
            l.append(lo); h.append(hi)
            o.append(Double.random(in: lo...hi, using: &rng)); c.append(Double.random(in: lo...hi, using: &rng))
            v.append(Double.random(in: 0...1e9, using: &rng))
        }
        let t = (0..<n).map { Int64(1_600_000_000 + 60 * $0) * UnixTime.nanosPerSecond + 123_456_789 }
        let s = BarSeries(symbol: "RND", interval: .minute, time: t, open: o, high: h, low: l, close: c, volume: v,
                          vwap: c.map { $0 * (1 + 1e-9) }, tradeCount: (0..<n).map { Double($0) },
                          dividend: (0..<n).map { $0 % 100 == 5 ? 0.123456789 : 0 },
                          splitCoefficient: (0..<n).map { $0 == 250 ? 7.00000700001 : 1 },
                          sourceAdjustedClose: c.map { $0 / 3 })
        let path = LoaderPaths.tempDir() + "/RND.csv"
        try CSVBarWriter.write(s, to: path)
        let back = try CSVBarReader.read(path: path, options: .init(label: .start))
        #expect(back == s)
        for i in 0..<n { #expect(back.close[i].bitPattern == s.close[i].bitPattern) }
    }

    @Test func writeIsAtomicAndReportsUnwritableDirectories() throws {
        let s = try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-daily/SPY_daily.csv")
        let dir = LoaderPaths.tempDir()
        try CSVBarWriter.write(s, to: dir + "/SPY.csv")
        try CSVBarWriter.write(s, to: dir + "/SPY.csv")  // replaces
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files == ["SPY.csv"])  // no temporary file left behind
        let e = try #require(loadError { () throws(DataError) in
            try CSVBarWriter.write(s, to: "/nonexistent-dir/SPY.csv"); return s
        })
        #expect(e.kind == .io)
    }
}
