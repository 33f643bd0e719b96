import ArgumentParser
import Dispatch
import Foundation
import Logging
import TradewindServer

/// `tradewind worker`: computes the tasks of distributed optimisation jobs from a server's PostgreSQL queue
/// (TradewindServer's `TaskWorker`). Parses flags only.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Compute optimisation tasks from a Tradewind server's PostgreSQL queue.",
        discussion: """
            A server started with --database postgres://… cuts each optimisation job into one task per symbol; any \
            number of workers, on any machines, claim them (FOR UPDATE SKIP LOCKED), hold each under a lease renewed \
            by heartbeats, and commit results idempotently. A worker killed with -9 loses nothing: its lease expires \
            and another worker redoes the task. SIGTERM or SIGINT drains: the task in hand is finished, then the \
            worker exits. Data comes from the job's path resolved under --home (a shared path), or from the server \
            with --server (cached under HOME/cache and verified).
            """
    )

    @Option(help: "The server's PostgreSQL database: postgres://user:pass@host:port/db (default: $TRADEWIND_DATABASE, which keeps the password out of the process list).")
    var database: String?
    @Option(help: "Threads per task (default: every core).") var threads: Int?
    @Option(help: "Name shown in GET /api/workers (default: HOST-PID).") var name: String?
    @Option(help: "Directory relative data paths resolve under, and the data cache (default: $TRADEWIND_HOME or ~/.tradewind).")
    var home: String?
    @Option(help: "Fetch data from this server (http://host:port) instead of a shared path.") var server: String?
    @Option(help: "API token for --server (default: $TRADEWIND_TOKEN).") var token: String?
    @Option(help: "Seconds a task's lease lasts without a heartbeat.") var lease: Double = 30
    @Option(help: "Seconds between heartbeats (default: a third of the lease).") var heartbeat: Double?

    func run() async throws {
        guard let database = database ?? ProcessInfo.processInfo.environment["TRADEWIND_DATABASE"], !database.isEmpty else {
            throw ValidationError("--database: give the server's postgres://user:pass@host:port/db URL, or set TRADEWIND_DATABASE")
        }
        var configuration = WorkerConfiguration(database: database, name: name, server: server,
                                                token: token ?? ProcessInfo.processInfo.environment["TRADEWIND_TOKEN"],
                                                leaseSeconds: lease, heartbeatSeconds: heartbeat)
        if let threads { configuration.threads = threads }
        if let home { configuration.home = home }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let worker: TaskWorker
        do {
            worker = try await TaskWorker.make(configuration, catalog: strategyCatalog)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { worker.drain() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        do {
            try await worker.run()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
