import ArgumentParser
import TradewindBenchmarks
import TradewindStrategies

/// `tradewind bench kernels`: speed of the exact intraday kernel against the bar-by-bar brute force.
struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Benchmark the momentum kernel: N synthetic symbols × 1 year of minute bars × 13,775 combinations.",
        discussion: """
            Generates deterministic synthetic minute bars on the NYSE calendar, evaluates the 13,775-combination \
            momentum grid (buy_trigger 0.1…9.5 % × sell_trigger 0.1…2.9 % × stop_loss {0,0.5,1,1.5,2} %) on every \
            symbol with the fast kernel, and times the bar-by-bar brute force on a sample of combinations \
            (extrapolated). Use a release build (swift build -c release) for meaningful figures.
            """
    )

    @Option(help: "Number of synthetic symbols.") var symbols = 372
    @Option(help: "Parallel workers (default: all cores).") var workers: Int?
    @Option(name: .customLong("brute-force-sample"), help: "Combinations timed with the brute force.") var bruteForceSample = 60
    @Option(help: "Random seed of the synthetic data.") var seed: UInt64 = 42

    func run() throws {
        var b = KernelBenchmark(symbols: symbols, bruteForceCombinations: bruteForceSample, seed: seed)
        if let w = workers { b.workers = max(1, w) }
        print(try b.run())
    }
}
