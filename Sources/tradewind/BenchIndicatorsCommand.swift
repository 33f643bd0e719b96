import ArgumentParser
import TradewindBenchmarks

/// `tradewind bench indicators`: core indicators on 1,000,000 bars, Tradewind vs Python TA-Lib in one run.
struct BenchIndicators: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Time the core indicators on a 1,000,000-bar series against Python TA-Lib (C), same data, one run.",
        discussion: "Build with -c release. TA-Lib runs through `python3` when the talib package is installed; otherwise its column is skipped.")

    @Option(help: "Bars in the synthetic series.") var bars: Int = 1_000_000
    @Option(help: "Runs per indicator (best is reported).") var runs: Int = 5
    @Option(help: "Python interpreter for the TA-Lib peer.") var python: String = "python3"

    func run() throws {
        print(try IndicatorBenchmark.run(bars: bars, runs: runs, python: python).table())
    }
}
