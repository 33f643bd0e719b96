import ArgumentParser
import TradewindBenchmarks
import TradewindEngine

/// `tradewind bench optimizer`: grid throughput vs vectorbt and TPE quality on the real sma-cross surface.
struct BenchOptimizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizer",
        abstract: "sma-cross grid (fast, slow in 2…100, fast < slow: 4,851 pairs) on IBM 2001–2020 daily, fee 0.1 %: combinations/s vs vectorbt; TPE best vs grid optimum.",
        discussion: "Run from the repository root (the vectorbt script is Scripts/bench/vectorbt_sma_grid.py) with a release build."
    )

    @Option(help: "Timed runs of the Tradewind grid (best is kept).") var runs = 3
    @Option(help: "TPE trials per seed.") var trials = 200
    @Option(help: "TPE seeds, comma-separated.") var seeds = "0,1,2,3,4"
    @Flag(help: "Skip the vectorbt peer.") var noPeers = false
    @Option(help: "Market-order fills for both sides: next-open (signals shifted one bar, filled at the open) or close (at the signal bar's close, vectorbt's default).")
    var fill = "next-open"

    func run() throws {
        var c = OptimizerBenchmark.Configuration()
        c.runs = max(1, runs)
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        c.tpeTrials = trials
        let parsed = seeds.split(separator: ",").compactMap { UInt64($0) }
        guard !parsed.isEmpty, parsed.count == seeds.split(separator: ",").count else {
            throw ValidationError("--seeds must be comma-separated non-negative integers, e.g. 0,1,2")
        }
        c.tpeSeeds = parsed
        c.runPeer = !noPeers
        guard let timing = FillTiming(rawValue: fill) else { throw ValidationError("--fill must be next-open or close") }
        c.fill = timing
        print(try OptimizerBenchmark.run(c))
    }
}
