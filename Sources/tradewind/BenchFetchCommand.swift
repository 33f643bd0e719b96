import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore

/// `tradewind bench fetch`: `data fetch`'s download against the Python clients users would use, on loopback.
struct BenchFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Market-data download: tradewind data fetch (cold and warm cache) vs requests and alpaca-py, from a loopback Alpaca-shaped server.",
        discussion: """
            Every symbol serves the same year of synthetic 1-minute bars (SyntheticMarket seed 7), pre-encoded as \
            Alpaca's bars JSON so the server is not the bottleneck. Peers run Scripts/bench/fetch_peers.py with \
            python3 on PATH (requests, and alpaca-py for its peer: put .venv-alpaca-py/bin first on PATH; \
            Scripts/alpaca-py.sh creates it). Build with -c release.
            """)

    @Option(help: "Number of symbols.") var symbols = 372
    @Option(help: "First date.") var from = "2023-01-03"
    @Option(help: "Last date.") var to = "2023-12-29"
    @Option(help: "Symbols in flight at once (Tradewind) and threads (peers).") var concurrency = 20
    @Option(help: "Python peers, comma-separated: requests, alpaca-py, or none.") var peers = "requests,alpaca-py"

    func run() async throws {
        var c = FetchBenchmark.Configuration()
        guard let f = CivilDate(iso: from), let t = CivilDate(iso: to), f <= t else {
            throw ValidationError("--from and --to take yyyy-MM-dd dates, --from first")
        }
        guard (1...10_000).contains(symbols) else { throw ValidationError("--symbols: give 1 to 10000") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency: give 1 to 256") }
        let names = peers == "none" ? [] : peers.split(separator: ",").map(String.init)
        for p in names where p != "requests" && p != "alpaca-py" {
            throw ValidationError("--peers: '\(p)' is not requests, alpaca-py or none")
        }
        c.symbols = symbols
        c.from = f
        c.to = t
        c.concurrency = concurrency
        c.peers = names
        let report = try await FetchBenchmark.run(c) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print(FetchBenchmark.text(report, c))
    }
}
