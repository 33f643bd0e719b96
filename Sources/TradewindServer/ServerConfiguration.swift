import Foundation
import TradewindCore

/// How `tradewind serve` runs: its flags.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0: any free port (tests).
    public var port: Int
    /// The server's directory: the default database, the token key, relative data paths.
    public var home: String
    /// A SQLite file path or a `postgres://` URL (default: `home/tradewind.sqlite`).
    public var database: String?
    /// Jobs run at once.
    public var workers: Int
    /// Allow a non-loopback address without users.
    public var insecure: Bool
    /// The one origin allowed by CORS (nil: CORS off).
    public var corsOrigin: String?
    /// `/metrics` without a token.
    public var publicMetrics: Bool
    /// The data `GET /api/prices` reads when the request names none.
    public var defaultData: String
    /// The zone of times in responses (default UTC, written `+00:00`).
    public var zone: ZoneRules
    /// Seconds an access token lives.
    public var accessTokenLifetime: Int
    /// bcrypt cost of new password hashes (4…31).
    public var bcryptCost: UInt8
    /// Failed logins per address per minute before 429.
    public var loginAttemptsPerMinute: Int
    /// Seconds a running job's lease lasts without renewal (renewed every third of it): how long after a crash
    /// another server on the same database takes the job over.
    public var jobLease: Double = 30
    /// The priority of the jobs' threads (`ThreadPriority`): `idle` by default, so the event loops, the WebSocket and
    /// the routes preempt a busy job at once; `.lowered(nice:)` gives jobs a share of a busy core; `.normal` runs
    /// them at the server's priority.
    public var jobPriority: ThreadPriority = .idle
    /// Messages a WebSocket client's queue holds while its socket cannot take more (progress coalesced per job).
    public var webSocketQueueCapacity = 256
    /// Messages dropped from a full WebSocket client queue before the client is disconnected.
    public var webSocketDropLimit = 1024
    /// Continual learning run by the server (`ContinualRunner`); nil (the default): off.
    public var continual: ContinualConfiguration?
    /// The clock continual learning's schedule reads (tests give their own).
    public var continualClock: any ContinualClock = SystemContinualClock()

    public init(host: String = "127.0.0.1", port: Int = 8080, home: String = ServerConfiguration.defaultHome(),
                database: String? = nil, workers: Int = 2, insecure: Bool = false, corsOrigin: String? = nil,
                publicMetrics: Bool = false, defaultData: String = "sample:spy-daily", zone: ZoneRules = .utc,
                accessTokenLifetime: Int = 900, bcryptCost: UInt8 = 12, loginAttemptsPerMinute: Int = 10) {
        self.host = host
        self.port = port
        self.home = home
        self.database = database
        self.workers = workers
        self.insecure = insecure
        self.corsOrigin = corsOrigin
        self.publicMetrics = publicMetrics
        self.defaultData = defaultData
        self.zone = zone
        self.accessTokenLifetime = accessTokenLifetime
        self.bcryptCost = bcryptCost
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
    }

    /// `$TRADEWIND_HOME`, else `~/.tradewind`.
    public static func defaultHome() -> String {
        if let home = ProcessInfo.processInfo.environment["TRADEWIND_HOME"], !home.isEmpty { return home }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".tradewind")
    }

    /// The database location: `database`, else `home/tradewind.sqlite`.
    public var databaseLocation: String {
        database ?? (home as NSString).appendingPathComponent("tradewind.sqlite")
    }

    /// Whether `host` is a loopback address.
    public var bindsLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Checks the flags' values.
    public func validate() throws {
        guard (0...65_535).contains(port) else {
            throw APIError.badRequest("--port \(port): expected 0 to 65535", field: "port")
        }
        guard (1...64).contains(workers) else {
            throw APIError.badRequest("--workers \(workers): expected 1 to 64", field: "workers")
        }
        guard jobLease.isFinite, (1...3600).contains(jobLease) else {
            throw APIError.badRequest("--job-lease \(jobLease): expected 1 to 3600 seconds", field: "job_lease")
        }
        guard (4...31).contains(bcryptCost) else {
            throw APIError.badRequest("bcrypt cost \(bcryptCost): expected 4 to 31", field: "bcrypt_cost")
        }
        guard webSocketQueueCapacity >= 1, webSocketDropLimit >= 0 else {
            throw APIError.badRequest("WebSocket queue capacity \(webSocketQueueCapacity) and drop limit \(webSocketDropLimit): "
                                      + "expected a capacity of at least 1 and a limit of at least 0", field: "websocket_queue")
        }
    }
}
