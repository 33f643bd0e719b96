import ArgumentParser
import TradewindBenchmarks
import TradewindCore
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
            (extrapolated). Then, for every strategy with an exact kernel, the optimizer's trial evaluations per \
            second through the kernel and through the engine on the same grid (engine on a sample), their ratio, and \
            whether the figures are equal. Use a release build (swift build -c release) for meaningful figures.
            """
    )

    @Option(help: "Number of synthetic symbols.") var symbols = 372
    @Option(help: "Parallel workers (default: all cores).") var workers: Int?
    @Option(name: .customLong("brute-force-sample"), help: "Combinations timed with the brute force.") var bruteForceSample = 60
    @Option(help: "Random seed of the synthetic data.") var seed: UInt64 = 42

    @Flag(help: "Only the per-strategy table (kernel vs engine), not the momentum universe.") var strategiesOnly = false
    @Flag(help: "Only the momentum universe, not the per-strategy table.") var universeOnly = false
    @Option(help: "Engine runs timed per strategy.") var engineSample = 24
    @Option(help: "Comma-separated strategies for the per-strategy table (default: every one with a kernel).") var strategies: String?

    func run() throws {
        if !strategiesOnly {
            var b = KernelBenchmark(symbols: symbols, bruteForceCombinations: bruteForceSample, seed: seed)
            if let w = workers { b.workers = max(1, w) }
            print(try b.run())
        }
        if !universeOnly {
            let threads = workers.map { ThreadBudget(max(1, $0)) } ?? .all
            let only = strategies.map { Set($0.split(separator: ",").map(String.init)) }
            let rows = try StrategyKernelsBenchmark.run(enginePoints: max(1, engineSample), threads: threads, only: only)
            print(StrategyKernelsBenchmark.table(rows, threads: threads.threads))
        }
    }
}
