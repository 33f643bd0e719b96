import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore
import TradewindData

/// `tradewind bench engine`: sma-cross bars/second through Tradewind and backtesting.py on the same bars.
struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Event-driven engine speed: sma-cross through Tradewind and backtesting.py (same data, same run).",
        discussion: """
            Cases: 21.5 years of AAPL daily bars (sample:sp500-50, real, split+dividend adjusted), one year (2023) of synthetic 1-minute \
            bars on the NYSE calendar (SyntheticMarket seed 7: the bundled real minute data is shorter than a year), \
            the real SPY minute sample (sample:spy-1m-2011: Jan and Mar 2011 with extended hours), and all 50 \
            sp500-50 symbols at once (Tradewind only: backtesting.py is single-asset). Build with -c release.
            """
    )

    @Flag(help: "Skip backtesting.py.") var noPeer = false
    @Option(help: "Minimum seconds of repeated Tradewind runs per case.") var minSeconds: Double = 1
    @Option(help: "Only the cases whose name contains this text.") var only: String?

    func run() throws {
        // Split+dividend adjusted, so every side (engine, kernel, backtesting.py, which ignores splits) trades the same prices.
        let raw = try DataSource(parsing: "sample:sp500-50").load(symbols: ["AAPL"])
        let daily = MarketDataset(raw.series.map { $0.adjusted(.splitAndDividend) })
        let minute = try DataSource(parsing: "sample:spy-1m-2011").load()
        let year = try SyntheticMarket(seed: 7).generate(
            symbols: 1, from: CivilDate(year: 2023, month: 1, day: 3)!, to: CivilDate(year: 2023, month: 12, day: 29)!,
            interval: .minute)
        let fifty = try DataSource(parsing: "sample:sp500-50").load()
        let cases: [EngineBenchmark.Case] = [
            .init(name: "AAPL daily 1999-2021 adj", data: daily),
            .init(name: "synthetic 1m 2023", data: year),
            .init(name: "SPY 1m Jan+Mar 2011", data: minute),
            .init(name: "50 symbols daily", data: fifty),
        ]
        let selected = cases.filter { only == nil || $0.name.localizedCaseInsensitiveContains(only!) }
        let rows = try EngineBenchmark.run(selected, peer: !noPeer, minimumSeconds: minSeconds)
        print(EngineBenchmark.report(rows))
        for r in rows {
            var line = "  \(r.name): Tradewind final equity \(String(format: "%.2f", r.tradewindFinalEquity)), \(r.tradewindTrades) trades"
            if let e = r.peerFinalEquity, let t = r.peerTrades {
                line += "; backtesting.py \(String(format: "%.2f", e)), \(t) trades (whole shares, its own fill rules)"
            }
            print(line)
        }
    }
}

