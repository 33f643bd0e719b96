import Foundation
import Testing
import TradewindCore
import TradewindModels
import TradewindStore
@testable import TradewindServer

/// A training job's automatic rollback check as the job scheduler runs it: its status on the training board, and
/// what cancelling it does.
@Suite("Server automatic rollback check")
struct TrainingRollbackCheckTests {
    /// A scheduler over a fresh SQLite store holding v1 (healthy) and v2 (degraded, active, parent v1), and a
    /// queued training job asking for the check.
    static func setUp() async throws -> (JobScheduler, SQLStore, StoreModelRegistry, JobRecord, TrainingRequest) {
        let store = try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
        let registry = try StoreModelRegistry(store: store)
        let s = try StoreAutomaticRollbackTests.scenario()
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        var request = TrainingRequest()
        request.symbols = ["KO"]
        request.automaticRollback = true
        let job = try await store.createJob(kind: .training, request: try JSON.string(JobSubmission(request: .training(request))))
        return (try LeaseTestScheduler.make(store, lease: 30), store, registry, job, request)
    }

    @Test func whileTheCheckRunsTheTrainingStatusSaysSoAndItsLineIsReturned() async throws {
        let (scheduler, store, registry, job, request) = try await Self.setUp()
        defer { Task { await store.close() } }
        let line = try await scheduler.automaticRollback(job, request, registry: registry, zone: .newYork)
        #expect(line.hasPrefix("automatic rollback of universal: "), "\(line)")
        #expect(line.contains("windows on") || line.contains("windows of"), "\(line)")
        let status = scheduler.training.status("universal")
        #expect(status.status == "checking-rollback" && status.jobID == job.id)
        // Training then starts with the check's line as its message.
        scheduler.training.start("universal", job: job.id, epochs: 3, message: line)
        #expect(scheduler.training.status("universal").message == line)
    }

    @Test func aCancelledCheckRollsNothingBackAndEndsCancelled() async throws {
        let (scheduler, store, registry, job, request) = try await Self.setUp()
        defer { Task { await store.close() } }
        let check = Task { try await scheduler.automaticRollback(job, request, registry: registry, zone: .newYork) }
        check.cancel()
        await #expect(throws: CancellationError.self) { try await check.value }
        #expect(try await registry.model("universal").record.version == 2)
        let status = scheduler.training.status("universal")
        #expect(status.status == "cancelled" && status.message == "automatic rollback check stopped")
    }
}
