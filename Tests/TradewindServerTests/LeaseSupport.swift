import Foundation
import Logging
import Synchronization
import Testing
import TradewindCore
import TradewindProviders
import TradewindStore
@testable import TradewindServer

/// A real SQLite database whose job-lease statements the test controls: renewals that fail or hang (a server cut off
/// from its database), a release that takes its time (a slow stop). Every other statement goes to SQLite as it is.
final class LeaseControlledDatabase: SQLDatabase {
    /// What a renewal of the leases does.
    enum Renewals: Sendable, CustomTestStringConvertible {
        case pass, fail, hang
        var testDescription: String { "\(self)" }
    }

    struct State {
        var renewals = Renewals.pass
        /// Whether a release waits (up to 30 s) until a renewal succeeded during it: a stop that outlasts a renewal.
        var releaseWaitsForARenewal = false
        var releasing = false
        /// Renewals that succeeded while a release was held back.
        var renewedWhileReleasing = 0
    }

    let base: any SQLDatabase
    let state = Mutex(State())

    /// A fresh, migrated SQLite store over this database.
    static func store() async throws -> (SQLStore, LeaseControlledDatabase) {
        let path = (try TestServer.home() as NSString).appendingPathComponent("store.sqlite")
        await (try await SQLStore.open(path)).close()
        let database = LeaseControlledDatabase(base: try SQLiteDatabase(path: path))
        return (SQLStore(database: database), database)
    }

    init(base: any SQLDatabase) { self.base = base }

    var dialect: SQLDialect { base.dialect }

    struct CutOff: Error, CustomStringConvertible {
        var description: String { "the database does not answer (the test cut it off)" }
    }

    func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        if statement.sql.contains("UPDATE jobs SET lease_until") {
            switch state.withLock({ $0.renewals }) {
            case .pass: break
            case .fail: throw CutOff()
            case .hang:
                while state.withLock({ $0.renewals }) == .hang { try await Task.sleep(for: .milliseconds(50)) }
            }
            let rows = try await base.write(statement)
            state.withLock { if $0.releasing { $0.renewedWhileReleasing += 1 } }
            return rows
        }
        if statement.sql.contains("SET status = 'queued', owner = NULL") && statement.sql.contains("WHERE id = ? AND owner = ?") {
            let waits = state.withLock { s -> Bool in
                s.releasing = true
                return s.releaseWaitsForARenewal
            }
            defer { state.withLock { $0.releasing = false } }
            let deadline = ContinuousClock.now + .seconds(30)
            while waits, state.withLock({ $0.renewedWhileReleasing == 0 }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            return try await base.write(statement)
        }
        return try await base.write(statement)
    }

    func read(_ statement: SQLStatement) async throws -> [SQLRow] { try await base.read(statement) }
    func transaction(_ statements: [SQLStatement]) async throws -> [SQLRow] { try await base.transaction(statements) }
    func transactions(_ groups: [[SQLStatement]]) async throws -> [Result<[SQLRow], any Error>] {
        try await base.transactions(groups)
    }
    func ping() async -> Bool { await base.ping() }
    func close() async { await base.close() }
}

/// A job scheduler over a given store, as the server builds it, with a short lease.
enum LeaseTestScheduler {
    /// An optimisation long enough to be running for several seconds (it stops at its next batch when asked).
    static let longOptimization = Distributed.job(["AAPL", "MSFT", "AMD", "AMZN", "BA", "C", "CAT", "CSCO"],
                                                  fast: "fast=2:40:1", slow: "slow=40:200:5")

    static func make(_ store: any TradewindStore, lease: Double, jobPriority: ThreadPriority = .normal) throws -> JobScheduler {
        let metrics = ServerMetrics()
        let loader = MarketLoader(home: try TestServer.home())
        let backtests = BacktestRun(loader: loader, times: Timestamps(zone: .utc), catalog: .builtIn)
        return JobScheduler(store: store, hub: EventHub(metrics: metrics), metrics: metrics, workers: 1, loader: loader,
                            backtests: backtests, catalog: .builtIn, queue: nil, providers: ProviderEnvironment([:]),
                            logger: Logger(label: "tradewind.test.leases"), jobLease: lease, jobPriority: jobPriority)
    }

    /// Queues `body` (a `POST /api/jobs` body) as the routes do.
    static func queue(_ body: String, in store: any TradewindStore) async throws -> JobRecord {
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(body.utf8))
        return try await store.createJob(kind: submission.kind, request: try JSON.string(submission))
    }

    /// Waits until `condition` holds, up to `seconds`; whether it held.
    static func eventually(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// The messages of job `id`'s log.
    static func log(_ id: Int64, in store: any TradewindStore) async throws -> [String] {
        try await store.jobLog(id, page: PageRequest(limit: 1000)).items.map(\.message)
    }
}
