import ArgumentParser
import Foundation
import TradewindCore
import TradewindData

/// `tradewind data synth`: deterministic synthetic bars on the NYSE calendar, written as a cache.
struct DataSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate deterministic synthetic market data on the real NYSE calendar.",
        discussion: """
            Geometric Brownian motion with jumps, U-shaped intraday volume and volatility and overnight \
            gaps; each symbol's drift and volatility are drawn from the seed. The same seed, symbols, \
            dates and interval give identical bars whatever the thread count. Symbols are named \
            SYN0000, SYN0001, …
            """
    )

    @Option(help: "Number of symbols (1…100000).") var symbols: Int
    @Option(help: "First date, yyyy-MM-dd (1990-01-01 or later).") var from: String
    @Option(help: "Last date, yyyy-MM-dd (2030-12-31 or earlier).") var to: String
    @Option(help: "Bar interval: an intraday interval such as 1m, 5m, 1h, or 1d.") var interval: String = "1m"
    @Option(help: "Seed (an unsigned 64-bit integer).") var seed: UInt64 = 42
    @Option(help: "Output directory (created if needed).") var out: String
    @Option(help: "Output format: cache (binary columnar, one SYMBOL.twc per symbol) or csv (one SYMBOL.csv per symbol).")
    var format: String = "cache"

    func run() throws {
        do {
            guard format == "cache" || format == "csv" else {
                throw DataError(.badOption, file: "synth", value: format, "--format must be cache or csv")
            }
            guard let fromDate = CivilDate(iso: from) else {
                throw DataError(.badOption, file: "synth", value: from, "--from must be a date yyyy-MM-dd, e.g. 2024-01-02")
            }
            guard let toDate = CivilDate(iso: to) else {
                throw DataError(.badOption, file: "synth", value: to, "--to must be a date yyyy-MM-dd, e.g. 2024-12-31")
            }
            guard let barInterval = BarInterval(interval) else {
                throw DataError(.badOption, file: "synth", value: interval,
                                "--interval must be an interval such as 1m, 5m, 1h or 1d")
            }
            let clock = ContinuousClock()
            let start = clock.now
            let dataset = try SyntheticMarket(seed: seed).generate(
                symbols: symbols, from: fromDate, to: toDate, interval: barInterval)
            let generated = clock.now
            if format == "csv" {
                try CSVBarWriter.write(dataset, toDirectory: out)
            } else {
                try BarCache.write(dataset, toDirectory: out)
            }
            let written = clock.now
            let bars = dataset.series.reduce(0) { $0 + $1.count }
            print("\(dataset.count) symbols, \(bars) bars (\(barInterval)) \(fromDate)…\(toDate), seed \(seed)")
            print("generated in \(seconds(generated - start)) s, written to \(out) in \(seconds(written - generated)) s")
        } catch let error as DataError {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, flags: [.symbolCount: "--symbols", .interval: "--interval"]))\n".utf8))
            throw ExitCode.failure
        }
    }

    private func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return String(format: "%.3f", s)
    }
}
