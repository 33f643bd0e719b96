import Foundation
import Testing
import TradewindCore
@testable import TradewindData

/// Loading, generating, writing and resampling give the same data on every thread budget.
@Suite struct ThreadBudgetDataTests {
    static let budgets: [ThreadBudget] = [.single, 2, 5]

    func market(seed: UInt64, symbols: Int) throws -> MarketDataset {
        try SyntheticMarket(seed: seed).generate(symbols: symbols, from: CivilDate(iso: "2021-03-01")!,
                                                 to: CivilDate(iso: "2021-03-05")!, interval: .minutes(5), threads: .single)
    }

    @Test func syntheticDataIsTheSameOnEveryBudget() throws {
        let one = try market(seed: 3, symbols: 7)
        for threads in Self.budgets.dropFirst() {
            let other = try SyntheticMarket(seed: 3).generate(symbols: 7, from: CivilDate(iso: "2021-03-01")!,
                                                              to: CivilDate(iso: "2021-03-05")!, interval: .minutes(5),
                                                              threads: threads)
            #expect(other == one, "\(threads)")
        }
    }

    @Test(arguments: [(UInt64(1), 1), (UInt64(8), 4), (UInt64(21), 9)])
    func aCSVDirectoryReadsTheSameOnEveryBudget(seed: UInt64, symbols: Int) throws {
        let data = try market(seed: seed, symbols: symbols)
        let dir = LoaderPaths.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CSVBarWriter.write(data, toDirectory: dir, threads: 3)
        var reads: [MarketDataset] = []
        for threads in Self.budgets {
            reads.append(try CSVBarReader.readDirectory(path: dir, options: LoadOptions(threads: threads)))
            reads.append(try DataSource.directory(dir).load(LoadOptions(threads: threads)))
        }
        #expect(reads[0].symbols == data.symbols)
        for r in reads { #expect(r == reads[0]) }
        #expect(reads[0].series.map(\.close) == data.series.map(\.close))
    }

    @Test func chunkedParsingGivesTheSameRowsOnEveryBudget() throws {
        let text = try String(contentsOfFile: LoaderPaths.samples + "/eqker-1m/SPY_1min.csv", encoding: .utf8)
        let bytes = Array(text.utf8)
        func parse(_ threads: ThreadBudget) throws(DataError) -> RawBars {
            try bytes.withUnsafeBufferPointer { (b) throws(DataError) in
                try CSVTableParser.parse(b, name: "X.csv", options: LoadOptions(threads: threads), chunkBytes: 2_000)
            }
        }
        let one = try parse(.single)
        for threads in Self.budgets.dropFirst() {
            let other = try parse(threads)
            #expect(other.time == one.time)
            #expect(other.close == one.close)
            #expect(other.line == one.line)
        }
    }

    @Test func samplesCachesAndResamplingAreTheSameOnEveryBudget() throws {
        let samples = try Self.budgets.map { try DataSource.sample("eqker-1m").load(LoadOptions(threads: $0)) }
        for s in samples { #expect(s == samples[0]) }

        let data = try market(seed: 5, symbols: 6)
        let dir = LoaderPaths.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try BarCache.write(data, toDirectory: dir, threads: 2)
        for threads in Self.budgets {
            #expect(try BarCache.readDirectory(dir, threads: threads) == data)
        }
        let hourly = try Self.budgets.map { try Resampler.resample(data, to: .hours(1), threads: $0) }
        for h in hourly { #expect(h == hourly[0]) }
        #expect(hourly[0].series.count == 6)
    }
}
