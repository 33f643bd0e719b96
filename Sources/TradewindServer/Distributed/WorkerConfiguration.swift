import Foundation
import TradewindCore

/// How `tradewind worker` runs: its flags.
public struct WorkerConfiguration: Sendable {
    /// The server's PostgreSQL database (`postgres://user:pass@host:port/db`).
    public var database: String
    /// Threads each task's optimisation uses (default: every core).
    public var threads: Int
    /// The worker's name in `GET /api/workers` (default `HOST-PID`); unique among running workers.
    public var name: String
    /// Where relative data paths of jobs resolve (a shared path: the server's home, mounted alike), and where the
    /// data fetched from the server is cached (`cache/`).
    public var home: String
    /// The server to fetch data from (`GET /api/data/{dataset}/{symbol}`) instead of reading it from a shared path.
    public var server: String?
    /// An API token for `server` (when it has users).
    public var token: String?
    /// Seconds a claimed task's lease lasts without a heartbeat; another worker may take the task after that.
    public var leaseSeconds: Double
    /// Seconds between heartbeats (default: a third of the lease).
    public var heartbeatSeconds: Double

    public init(database: String, threads: Int = ThreadBudget.all.threads, name: String? = nil,
                home: String = ServerConfiguration.defaultHome(), server: String? = nil, token: String? = nil,
                leaseSeconds: Double = 30, heartbeatSeconds: Double? = nil) {
        self.database = database
        self.threads = threads
        self.name = name ?? "\(WorkerConfiguration.hostName())-\(ProcessInfo.processInfo.processIdentifier)"
        self.home = home
        self.server = server
        self.token = token
        self.leaseSeconds = leaseSeconds
        self.heartbeatSeconds = heartbeatSeconds ?? leaseSeconds / 3
    }

    /// This machine's host name.
    public static func hostName() -> String {
        ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
    }

    /// Checks the flags' values.
    public func validate() throws {
        guard database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") else {
            throw APIError.badRequest("--database: expected a postgres://user:pass@host:port/db URL (workers share the server's PostgreSQL queue)",
                                      field: "database")
        }
        guard (1...1024).contains(threads) else {
            throw APIError.badRequest("--threads \(threads): expected 1 to 1024", field: "threads")
        }
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ !$0.isNewline }) else {
            throw APIError.badRequest("--name: expected 1 to 200 characters on one line", field: "name")
        }
        guard leaseSeconds >= 0.5, leaseSeconds <= 3_600 else {
            throw APIError.badRequest("--lease \(leaseSeconds): expected 0.5 to 3600 seconds", field: "lease")
        }
        guard heartbeatSeconds > 0, heartbeatSeconds < leaseSeconds else {
            throw APIError.badRequest("--heartbeat \(heartbeatSeconds): expected more than 0 and less than the lease (\(leaseSeconds) s)",
                                      field: "heartbeat")
        }
        if let server {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw APIError.badRequest("--server \(server): expected http://host:port", field: "server")
            }
        }
    }
}
