import Foundation
import Testing
import TradewindCore
@testable import TradewindData

/// Every kind of bad input is refused with a `DataError` that names the file, line, column and value.
@Suite struct BadInputTests {
    let header = "timestamp,open,high,low,close,volume\n"

    func error(_ text: String, name: String = "BAD.csv", options: LoadOptions = .init()) -> DataError? {
        loadError { () throws(DataError) in try CSVBarReader.read(text: text, name: name, options: options) }
    }

    @Test func unparsableNumberNamesLineColumnAndValue() throws {
        let e = try #require(error(header + "2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,1.5x,100\n"))
        #expect(e.kind == .badNumber)
        #expect(e.file == "BAD.csv")
        #expect(e.line == 3)
        #expect(e.column == "close")
        #expect(e.value == "1.5x")
        #expect(e.description.hasPrefix("BAD.csv:3: column 'close': '1.5x': "))
    }

    @Test func emptyRequiredFieldIsABadNumber() throws {
        let e = try #require(error(header + "2020-01-02,1,,0.5,1.5,100\n"))
        #expect(e.kind == .badNumber)
        #expect(e.column == "high")
        #expect(e.line == 2)
    }

    @Test func unparsableDate() throws {
        let e = try #require(error(header + "2020-01-02,1,2,0.5,1.5,100\n2020-13-03,1,2,0.5,1.5,100\n"))
        #expect(e.kind == .badTimestamp)
        #expect(e.line == 3)
        #expect(e.column == "timestamp")
        #expect(e.value == "2020-13-03")
        let e2 = try #require(error(header + "yesterday,1,2,0.5,1.5,100\n"))
        #expect(e2.kind == .badTimestamp)
        let e3 = try #require(error(header + "2020-01-02 25:00:00,1,2,0.5,1.5,100\n"))
        #expect(e3.kind == .badTimestamp)
    }

    @Test func missingRequiredColumns() throws {
        let e = try #require(error("timestamp,open,high,close,volume\n2020-01-02,1,2,1.5,100\n"))
        #expect(e.kind == .missingColumn)
        #expect(e.line == 1)
        #expect(e.message.contains("low"))
        let e2 = try #require(error("open,high,low,close\n1,2,0.5,1.5\n"))
        #expect(e2.kind == .missingColumn)
        #expect(e2.message.contains("time column"))
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(error("")?.kind == .emptyFile)
        #expect(error("\n\n  \n")?.kind == .emptyFile)
        let e = try #require(error(header))
        #expect(e.kind == .emptyFile)
        #expect(e.message.contains("header but no rows"))
    }

    @Test func highBelowLow() throws {
        let e = try #require(error(header + "2020-01-02,1,0.5,2,1,100\n"))
        #expect(e.kind == .invalidPrice)
        #expect(e.column == "high")
        #expect(e.message == "high 0.5 is below low 2.0")
    }

    @Test func nonPositivePrices() throws {
        let e = try #require(error(header + "2020-01-02,1,2,0,1.5,100\n"))
        #expect(e.kind == .invalidPrice)
        #expect(e.column == "low")
        #expect(e.value == "0")
        let e2 = try #require(error(header + "2020-01-02,-1,2,0.5,1.5,100\n"))
        #expect(e2.kind == .invalidPrice)
        #expect(e2.column == "open")
    }

    @Test func nanAndInfinityAreRefused() throws {
        for bad in ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"] {
            let e = try #require(error(header + "2020-01-02,1,2,0.5,\(bad),100\n"), "\(bad)")
            #expect(e.kind == .badNumber, "\(bad)")
            #expect(e.column == "close")
        }
        let v = try #require(error(header + "2020-01-02,1,2,0.5,1.5,nan\n"))
        #expect(v.kind == .badNumber)
        #expect(v.column == "volume")
    }

    @Test func openOrCloseOutsideTheBarRange() throws {
        let e = try #require(error(header + "2020-01-02,2.5,2,0.5,1.5,100\n"))
        #expect(e.kind == .invalidPrice)
        #expect(e.column == "open")
        let e2 = try #require(error(header + "2020-01-02,1,2,0.5,0.4,100\n"))
        #expect(e2.kind == .invalidPrice)
        #expect(e2.column == "close")
        #expect(e2.message.contains("outside"))
    }

    @Test func negativeVolumeIsRefusedButZeroIsFine() throws {
        let e = try #require(error(header + "2020-01-02,1,2,0.5,1.5,-3\n"))
        #expect(e.kind == .invalidValue)
        #expect(e.column == "volume")
        #expect(error(header + "2020-01-02,1,2,0.5,1.5,0\n") == nil)
    }

    @Test func duplicateTimestampsAreAnErrorByDefaultAndKeepLastKeepsTheLater() throws {
        let text = header + "2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,1.6,100\n2020-01-02,1,2,0.5,1.7,200\n"
        let e = try #require(error(text))
        #expect(e.kind == .duplicateTimestamp)
        #expect(e.line == 2)
        #expect(e.message.contains("line 4"))
        let s = try CSVBarReader.read(text: text, options: LoadOptions(duplicates: .keepLast))
        #expect(s.count == 2)
        #expect(s.close == [1.7, 1.6])
        #expect(s.volume == [200, 100])
        // Newest-first files too: "last" means last in the file.
        let desc = header + "2020-01-03,1,2,0.5,1.6,100\n2020-01-02,1,2,0.5,1.5,100\n2020-01-02,1,2,0.5,1.7,200\n"
        #expect(try CSVBarReader.read(text: desc, options: LoadOptions(duplicates: .keepLast)).close == [1.7, 1.6])
    }

    @Test func duplicatesAcrossFilesOfOneSymbol() throws {
        let dir = LoaderPaths.tempDir()
        let a = dir + "/XYZ-2020a.csv", b = dir + "/XYZ-2020b.csv"
        try (header + "2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,1.6,100\n").write(toFile: a, atomically: true, encoding: .utf8)
        try (header + "2020-01-03,1,2,0.5,1.9,300\n2020-01-06,1,2,0.5,1.8,100\n").write(toFile: b, atomically: true, encoding: .utf8)
        let e = try #require(loadError { () throws(DataError) in try CSVBarReader.readSymbol(paths: [a, b]) })
        #expect(e.kind == .duplicateTimestamp)
        #expect(e.file == a)
        #expect(e.message.contains(b + ":2"))
        let s = try CSVBarReader.readSymbol(paths: [a, b], options: LoadOptions(duplicates: .keepLast))
        #expect(s.symbol == "XYZ")
        #expect(s.close == [1.5, 1.9, 1.8])
    }

    @Test func naiveAndOffsetTimestampsMixed() throws {
        let e = try #require(error(header + "2020-01-02 10:00:00,1,2,0.5,1.5,100\n2020-01-02T10:01:00Z,1,2,0.5,1.5,100\n"))
        #expect(e.kind == .mixedTimezones)
        #expect(e.line == 3)
        #expect(e.value == "2020-01-02T10:01:00Z")
        // Offsets that change with DST are fine.
        let ok = header + "2020-03-06T09:30:00-05:00,1,2,0.5,1.5,100\n2020-03-09T09:30:00-04:00,1,2,0.5,1.5,100\n"
        #expect(error(ok, options: LoadOptions(interval: .daily)) == nil)
    }

    @Test func rowsWithTooFewFields() throws {
        let e = try #require(error(header + "2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5\n"))
        #expect(e.kind == .tooFewFields)
        #expect(e.line == 3)
        #expect(e.value == "2020-01-03,1,2,0.5")
    }

    @Test func truncatedGzipIsAnErrorNotAShortSeries() throws {
        let path = LoaderPaths.samples + "/sp500-50/DA-KO-T-2021-04-21.csv.gz"
        let full = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        for cut in [full.count - 4, full.count / 2, 20] {
            let e = try #require(loadError { () throws(DataError) in
                try CSVBarReader.read(bytes: full.prefix(cut), name: "DA-KO-T-2021-04-21.csv.gz")
            })
            #expect(e.kind == .truncatedGzip, "cut at \(cut): \(e)")
        }
        var corrupt = full
        for k in 100..<200 { corrupt[k] ^= 0x5A }
        let e = try #require(loadError { () throws(DataError) in try CSVBarReader.read(bytes: corrupt, name: "KO.csv.gz") })
        #expect(e.kind == .unreadable || e.kind == .truncatedGzip)
    }

    @Test func concatenatedGzipMembersAreAllInflated() throws {
        // `cat KO.gz KO.gz`: the second member is read too, so its header shows up as a bad row after the first file.
        let gz = try Array(Data(contentsOf: URL(fileURLWithPath: LoaderPaths.samples + "/sp500-50/DA-KO-T-2021-04-21.csv.gz")))
        let e = try #require(loadError { () throws(DataError) in try CSVBarReader.read(bytes: gz + gz, name: "KO.csv.gz") })
        #expect(e.kind == .badTimestamp)
        #expect(e.line == 5404)
        #expect(e.value == "timestamp")
    }

    @Test func binaryGarbageIsNotText() throws {
        let e = try #require(loadError { () throws(DataError) in
            try CSVBarReader.read(bytes: Array("timestamp,open\n".utf8) + [0, 0, 0, 1, 2], name: "X.csv")
        })
        #expect(e.kind == .notText)
        #expect(e.line == 2)
        var rng = SystemRandomNumberGenerator()
        var random = [UInt8](repeating: 0, count: 4096)
        for k in random.indices { random[k] = UInt8.random(in: 0...255, using: &rng) }
        random[0] = 0x41  // not the gzip magic
        random[17] = 0
        let e2 = try #require(loadError { () throws(DataError) in try CSVBarReader.read(bytes: random, name: "R.csv") })
        #expect(e2.kind == .notText)
    }

    @Test func aLineOfManyMegabytesIsRefusedQuickly() throws {
        var big = Array(header.utf8)
        big += [UInt8](repeating: UInt8(ascii: "7"), count: 8 << 20)
        let start = Date()
        let e = try #require(loadError { () throws(DataError) in try CSVBarReader.read(bytes: big, name: "BIG.csv") })
        #expect(e.kind == .lineTooLong)
        #expect(e.line == 2)
        #expect(Date().timeIntervalSince(start) < 5)
        let onlyLine = [UInt8](repeating: UInt8(ascii: "a"), count: 3 << 20)
        #expect(loadError { () throws(DataError) in try CSVBarReader.read(bytes: onlyLine, name: "ONE.csv") }?.kind == .lineTooLong)
    }

    @Test func missingFileAndUnknownSymbol() throws {
        let e = try #require(loadError { () throws(DataError) in try CSVBarReader.read(path: "/nonexistent/SPY.csv") })
        #expect(e.kind == .fileNotFound)
        let e2 = try #require(loadError { () throws(DataError) in try CSVBarReader.read(text: header + "2020-01-02,1,2,0.5,1.5,1\n", name: "2020.csv") })
        #expect(e2.kind == .badOption)
        #expect(e2.input == .symbol && e2.message.contains("give its symbol"))
        #expect(!e2.description.contains("--"), "library errors name inputs, not flags: \(e2)")
    }

    @Test func badSplitAndDividendValues() throws {
        let h = "date,open,high,low,close,volume,dividend_amount,split_coefficient\n"
        #expect(error(h + "2020-01-02,1,2,0.5,1.5,1,-0.1,1\n")?.kind == .invalidValue)
        #expect(error(h + "2020-01-02,1,2,0.5,1.5,1,0,-2\n")?.column == "split_coefficient")
    }
}

@Suite struct LoaderEntryPointTests {
    @Test func rawBufferEntryPointAndDirectoryErrors() throws {
        let text = "timestamp,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,100\n"
        let s = try Array(text.utf8).withUnsafeBytes { (b) throws(DataError) in try CSVBarReader.read(bytes: b, name: "QQQ.csv") }
        #expect(s.symbol == "QQQ")
        #expect(s.count == 1)
        #expect(s.interval == .daily)
        let dirAsFile = try #require(loadError { () throws(DataError) in try CSVBarReader.read(path: LoaderPaths.samples + "/eqker-1m", options: .init(symbol: "X")) })
        #expect(dirAsFile.kind == .unreadable)
        let missing = try #require(loadError { () throws(DataError) in
            _ = try CSVBarReader.readDirectory(path: LoaderPaths.samples + "/eqker-1m", symbols: ["SPY", "NOPE"]); return s
        })
        #expect(missing.kind == .unknownSymbol)
        #expect(missing.value == "NOPE")
        let noDir = try #require(loadError { () throws(DataError) in _ = try CSVBarReader.readDirectory(path: "/nonexistent-dir"); return s })
        #expect(noDir.kind == .fileNotFound)
    }

    @Test func filesOfOneSymbolWithDifferentIntervalsAreRefused() throws {
        let e = try #require(loadError { () throws(DataError) in
            try CSVBarReader.readSymbol(paths: [LoaderPaths.samples + "/eqker-1m/SPY_1min.csv", LoaderPaths.samples + "/eqker-daily/SPY_daily.csv"])
        })
        #expect(e.kind == .badOption)
        #expect(e.message.contains("1d"))
    }
}
