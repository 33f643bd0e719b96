import ArgumentParser
import Foundation
import TradewindBenchmarks

/// `tradewind bench queue`: the PostgreSQL work queue's ceiling and a distributed job end to end.
struct BenchQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Work-queue claims+commits/s with 1, 4, 16 claimers; a 372-symbol momentum job on 1 and 2 tradewind worker processes.",
        discussion: """
            Needs a PostgreSQL server (--database; each run uses a fresh schema in it). Run from the repository root \
            with a release build: swift build -c release; .build/release/tradewind bench queue --database postgres://…
            """)

    @Option(help: "PostgreSQL server: postgres://user:pass@host:port/db.") var database: String
    @Option(help: "Tasks per ceiling run.") var tasks = 2_000
    @Option(help: "Symbols of the end-to-end job (0: skip it).") var symbols = 372
    @Option(help: "Trading days of minute bars per symbol.") var days = 10

    func run() async throws {
        var c = QueueBenchmark.Configuration()
        c.database = database
        c.tasks = tasks
        c.symbols = symbols
        c.days = days
        if let path = Bundle.main.executablePath { c.tradewind = path }
        let outcome = try await QueueBenchmark.run(c) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print(QueueBenchmark.format(outcome))
    }
}
