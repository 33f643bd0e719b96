import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore
import TradewindData

/// `tradewind bench live`: the live runtime's replay throughput and tick-to-order latency.
struct BenchLive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Live runtime: paper replay bars/second against the backtest on the same bars, and tick-to-order latency.",
        discussion: """
            sma-cross (10/30, fee 0.1 %) replayed through the live runtime with the paper broker at full speed, \
            against the backtest engine on the same bars (process CPU seconds, best of --runs; the two must agree \
            on fills and final equity). Cases: one year (2023) of synthetic 1-minute bars (SyntheticMarket seed 7), \
            the 50 sp500-50 symbols' daily bars. Latency: the synthetic year with a journal in --directory (fsync \
            per write; the flush is reported apart and excluded). Build with -c release.
            """
    )

    @Option(help: "Replays and backtests per case (the best is kept).") var runs = 3
    @Option(help: "Directory for the latency run's journal (its device's fsync is timed).") var directory = NSTemporaryDirectory()

    func run() async throws {
        let year = try SyntheticMarket(seed: 7).generate(
            symbols: 1, from: CivilDate(year: 2023, month: 1, day: 3)!, to: CivilDate(year: 2023, month: 12, day: 29)!,
            interval: .minute)
        let fifty = try DataSource(parsing: "sample:sp500-50").load()
        let minuteCase = LiveBenchmark.Case(name: "synthetic 1m 2023", data: year)
        let rows = try await LiveBenchmark.throughput([minuteCase, .init(name: "50 symbols daily", data: fifty)], runs: runs)
        let latency = try await LiveBenchmark.latency(minuteCase, directory: directory)
        print(LiveBenchmark.report(rows, latency: (minuteCase.name, latency)))
    }
}
