import ArgumentParser
import TradewindBenchmarks

/// `tradewind bench ml`: the universal BiGRU's training and inference throughput against PyTorch and TensorFlow.
struct BenchML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Universal BiGRU training/inference samples/s vs PyTorch CPU and TensorFlow CPU, and GEMM GFLOP/s (release build).")

    @Option(help: "Threads for OpenBLAS and for the peers.") var threads = 2
    @Option(help: "Timed training steps (batch 64).") var trainSteps = 20
    @Option(help: "Timed inference runs (batch 256).") var inferenceRuns = 10
    @Flag(help: "Skip the PyTorch and TensorFlow peers.") var noPeers = false

    func run() throws {
        guard threads >= 1, trainSteps >= 1, inferenceRuns >= 1 else {
            throw ValidationError("--threads, --train-steps and --inference-runs must be at least 1")
        }
        var c = MLBenchmark.Configuration()
        c.threads = threads
        c.trainSteps = trainSteps
        c.inferenceRuns = inferenceRuns
        c.peers = !noPeers
        print(MLBenchmark.format(try MLBenchmark.run(c) { print($0) }))
    }
}
