import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore

/// `tradewind bench …`: the benchmarks behind BENCHMARKS.md. Build with `-c release` for figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark against its peers in the same run (use a release build).",
        subcommands: [BenchData.self, BenchAlpaca.self, BenchAnalytics.self, BenchEngine.self, BenchEngines.self, BenchFetch.self, BenchIndicators.self, BenchKernels.self, BenchLive.self, BenchML.self, BenchMLTrain.self, BenchOptimizer.self, BenchQueue.self, BenchServer.self, BenchTPE.self]
    )
}

struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "CSV parsing and cache reads on synthetic minute bars, against pandas.read_csv.")

    @Option(help: "Number of synthetic symbols.") var symbols = 372
    @Option(help: "First date.") var from = "2023-01-03"
    @Option(help: "Last date.") var to = "2023-12-29"
    @Option(help: "Timed runs per reader (best is kept).") var runs = 3
    @Option(help: "Scratch directory (removed afterwards).") var dir = NSTemporaryDirectory() + "tradewind-bench-data"
    @Flag(help: "Skip the pandas peer.") var noPeers = false

    func run() throws {
        var c = DataBenchmark.Configuration()
        c.symbols = symbols
        guard let f = CivilDate(iso: from), let t = CivilDate(iso: to) else {
            throw ValidationError("--from and --to take yyyy-MM-dd dates")
        }
        c.from = f
        c.to = t
        c.runs = runs
        c.directory = dir
        c.peers = !noPeers
        let outcome = try DataBenchmark.run(c) { print($0) }
        print(DataBenchmark.format(outcome))
    }
}

struct BenchAnalytics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics", abstract: "Cost of the analytics metrics per call on a returns series.")

    @Option(help: "Bars in the returns series.") var bars = 5_000

    func run() throws {
        let rows = try AnalyticsBenchmark.run(bars: bars)
        print(AnalyticsBenchmark.format(rows, bars: bars))
    }
}
