import ArgumentParser
import TradewindBenchmarks
import TradewindModels

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

/// `tradewind bench ml-train`: full universal training on 62 symbols' windows against PyTorch and TensorFlow.
struct BenchMLTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-train",
        abstract: "Full universal BiGRU training (62 symbols, fixed epochs) in samples/s vs PyTorch CPU and TensorFlow CPU on the same windows (release build).")

    @Option(help: "Threads for OpenBLAS and for the peers.") var threads = 2
    @Option(help: "Epochs (no early stopping).") var epochs = 1
    @Option(help: "Newest decision dates per symbol whose windows train (85 %) and validate.") var days = 250
    @Option(help: "Symbols: the bundled sp500-50, then synthetic ones.") var symbols = 62
    @Flag(help: "Skip the PyTorch and TensorFlow peers.") var noPeers = false

    func run() throws {
        var c = MLTrainBenchmark.Configuration()
        c.threads = threads
        c.epochs = epochs
        c.days = days
        c.symbols = symbols
        c.peers = !noPeers
        do {
            print(MLTrainBenchmark.format(try MLTrainBenchmark.run(c) { print($0) }))
        } catch let e as ModelError {
            throw ValidationError(e.description)
        }
    }
}
