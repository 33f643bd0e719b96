import ArgumentParser
import Foundation
import TradewindBenchmarks

/// `tradewind bench server`: the server's endpoints and WebSocket fan-out under load, against FastAPI + uvicorn.
struct BenchServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Server endpoints under load (wrk) against a FastAPI + uvicorn peer on the same SQLite file; WebSocket fan-out.",
        discussion: """
            Needs wrk (apt-get install wrk) and, for the peer, Python with fastapi, uvicorn and pandas (--python). \
            Run from the repository root with a release build: swift build -c release; .build/release/tradewind bench server.
            """)

    @Option(help: "Stored results.") var results = 100_000
    @Option(help: "Trades in the result GET /api/history/{id} reads.") var trades = 1_000
    @Option(help: "Seconds of load per endpoint and server.") var seconds = 5
    @Option(help: "Concurrent connections.") var connections = 32
    @Option(help: "WebSocket clients of the fan-out.") var clients = 1_000
    @Option(help: "Python with fastapi, uvicorn, pandas.") var python = "python3"
    @Flag(help: "Skip the FastAPI peer.") var noPeers = false
    @Flag(help: "Measure only the WebSocket fan-out (no endpoint loads, no peer).") var fanOutOnly = false
    @Option(help: "Event-loop threads of the fan-out's measuring clients.") var clientThreads = 2
    @Option(help: "The tradewind executable that serves (default: this one), to compare builds with the same clients.")
    var server: String?
    @Option(help: "The server's --job-priority (default: the server's own, idle): idle, normal or a nice increment 1 to 19.")
    var jobPriority: String?
    @Option(help: "Only store --results results (and one with --trades trades) in this database (a SQLite file or a postgres:// URL), then exit: seeds a server's history (Scripts/browser-test.sh).")
    var seedOnly: String?

    func run() async throws {
        if let seedOnly {
            let id = try await ServerBenchmark.seed(db: seedOnly, results: results, trades: trades)
            print("stored \(results) results and result \(id) with \(trades) trades")
            return
        }
        var c = ServerBenchmark.Configuration()
        c.results = results
        c.trades = trades
        c.seconds = seconds
        c.connections = connections
        c.webSocketClients = clients
        c.python = noPeers ? nil : python
        c.fanOutOnly = fanOutOnly
        c.clientThreads = clientThreads
        c.jobPriority = jobPriority
        if let path = server ?? Bundle.main.executablePath { c.tradewind = path }
        let outcome = try await ServerBenchmark.run(c) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print(ServerBenchmark.format(outcome))
    }
}
