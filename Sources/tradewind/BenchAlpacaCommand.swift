import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore

/// `tradewind bench alpaca`: the Alpaca adapters against `tradewind exchange` on loopback.
struct BenchAlpaca: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alpaca",
        abstract: "Alpaca adapters against tradewind exchange: bars download throughput vs alpaca-py, order round trip p50/p99.",
        discussion: """
            Synthetic 1-minute bars (SyntheticMarket seed 7) served by an in-process tradewind exchange on loopback. \
            Bars: every symbol over the whole period through TradewindProviders' AlpacaBarsClient, then alpaca-py's \
            StockHistoricalDataClient on the same server, a million bars' worth of symbols per call (python3 on PATH must import alpaca: put \
            .venv-alpaca-py/bin first on PATH; Scripts/alpaca-py.sh creates it). Round trip: --orders limit orders, \
            each timed from submit to its `new` event on trade_updates. Build with -c release.
            """
    )

    @Option(help: "Number of synthetic symbols.") var symbols = 372
    @Option(help: "First date.") var from = "2023-01-03"
    @Option(help: "Last date.") var to = "2023-12-29"
    @Option(help: "Orders timed for the round trip.") var orders = 500
    @Option(help: "Symbol batches Tradewind's bars client pages concurrently (1-16).") var batches = 4
    @Flag(help: "Skip the alpaca-py peer.") var noPeers = false
    @Option(help: "alpaca-py downloads only the first N symbols over the whole period (throughput is compared); default every symbol.")
    var peerSymbols: Int?

    func run() async throws {
        var c = AlpacaBenchmark.Configuration()
        guard let f = CivilDate(iso: from), let t = CivilDate(iso: to), f <= t else {
            throw ValidationError("--from and --to take yyyy-MM-dd dates, --from first")
        }
        guard symbols > 0, orders > 0 else { throw ValidationError("--symbols and --orders must be positive") }
        guard (1...16).contains(batches) else { throw ValidationError("--batches must be in 1...16, got \(batches)") }
        c.concurrentBatches = batches
        c.symbols = symbols
        c.from = f
        c.to = t
        c.orders = orders
        c.peer = !noPeers
        if let peerSymbols {
            guard peerSymbols > 0 else { throw ValidationError("--peer-symbols must be positive, got \(peerSymbols)") }
            c.peerSymbols = peerSymbols
        }
        print(AlpacaBenchmark.text(try await AlpacaBenchmark.run(c), c))
    }
}
