import Foundation
import Testing
import TradewindStore

/// Every write a running job makes to its own record is fenced on its holder: once another server claimed the job
/// (its lease expired), the former holder's writes are refused with `JobTakenOver` and change nothing of the new
/// holder's record. The same on SQLite and PostgreSQL.
@Suite("Store job fencing on the holder (both backends)")
struct JobFencingStoreTests {
    static let a = "host-a 101 aaaa 4026531836", b = "host-b 202 bbbb 4026531836"

    /// A job A claimed, then lost to B: A's last renewal was a short lease it let expire (a pause, or a cut-off).
    /// `whileHeld` runs while A holds it.
    static func takenOver(_ store: SQLStore, symbols: [String],
                          whileHeld: (JobRecord) async throws -> Void) async throws -> JobRecord {
        let job = try await store.createJob(kind: .optimize, request: "{}")
        _ = try #require(try await store.claimNextJob(owner: a, lease: 30))
        try await store.setJobSymbols(job.id, symbols: symbols)
        try await whileHeld(job)
        #expect(try await store.renewJobLeases(owner: a, lease: 0.2) == [job.id])
        try await Task.sleep(for: .milliseconds(500))
        let claimed = try #require(try await store.claimNextJob(owner: b, lease: 30))
        #expect(claimed.id == job.id && claimed.owner == b)
        return claimed
    }

    @Test(arguments: StoreBackend.allCases)
    func aFormerHoldersWritesAfterATakeoverAreRefusedAndTheNewHoldersRecordIsUnchanged(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        // A stores SPY, then stops renewing (a pause, a cut-off); once its lease expired, B claims the job and
        // checkpoints it.
        var spy: Int64 = 0
        let job = try await Self.takenOver(store, symbols: ["SPY", "QQQ", "IWM"]) { job in
            spy = try await store.finishJobSymbol(job.id, owner: Self.a, symbol: "SPY", evaluations: 40,
                                                  result: StoreSuiteTests.result("SPY", sharpe: 1))
        }
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.b, epoch: 2, bytes: Data([9, 9])))
        let record = try #require(try await store.job(job.id))
        let symbols = try await store.jobSymbols(job.id)

        // A, back, writes what it computed meanwhile and ends the job: every write is refused, typed.
        let refused = JobTakenOver(jobID: job.id, owner: Self.a)
        await #expect(throws: refused) {
            try await store.finishJobSymbol(job.id, owner: Self.a, symbol: "QQQ", evaluations: 50,
                                            result: StoreSuiteTests.result("QQQ", sharpe: 2))
        }
        await #expect(throws: refused) { try await store.markJobSymbol(job.id, owner: Self.a, symbol: "IWM", status: "done") }
        await #expect(throws: refused) { try await store.finishJob(job.id, owner: Self.a, status: .succeeded, failure: nil) }
        await #expect(throws: refused) { try await store.finishJob(job.id, owner: Self.a, status: .failed, failure: "stopped") }
        #expect(try await store.releaseJob(job.id, owner: Self.a) == false)
        #expect(refused.description.contains("job \(job.id) is no longer held by \(Self.a)"))

        // B's record is as B left it: no result stored twice, no status, count or checkpoint changed.
        #expect(try await store.job(job.id) == record)
        #expect(try await store.jobSymbols(job.id) == symbols)
        #expect(try await store.historyCount(HistoryFilter()) == 1)
        #expect(try await store.jobCheckpoint(job.id)?.epoch == 2)

        // B's own writes go through; once B ended the job, B's are refused too.
        let qqq = try await store.finishJobSymbol(job.id, owner: Self.b, symbol: "QQQ", evaluations: 50,
                                                  result: StoreSuiteTests.result("QQQ", sharpe: 2))
        let stored = try await store.result(qqq)
        #expect(qqq != spy && stored?.summary.jobID == job.id)
        try await store.markJobSymbol(job.id, owner: Self.b, symbol: "IWM", status: "failed")
        #expect(try await store.jobSymbols(job.id).map(\.status) == ["done", "done", "failed"])
        #expect(try await store.job(job.id)?.symbolsDone == 2)
        #expect(try await store.job(job.id)?.evaluations == 90)
        try await store.finishJob(job.id, owner: Self.b, status: .succeeded, failure: nil)
        #expect(try await store.jobCheckpoint(job.id) == nil)
        let ended = try #require(try await store.job(job.id))
        #expect(ended.status == .succeeded && ended.owner == nil)
        await #expect(throws: JobTakenOver(jobID: job.id, owner: Self.b)) {
            try await store.finishJob(job.id, owner: Self.b, status: .failed, failure: "late")
        }
        #expect(try await store.job(job.id) == ended)
        #expect(try await store.historyCount(HistoryFilter()) == 2)
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobWhoseCancelWasAskedWhileItsHolderDiedIsEndedCancelledByTheServerThatTakesItOver(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let job = try await Self.takenOver(store, symbols: ["SPY"]) { _ = try await store.cancelJob($0.id) }
        // The cancel asked of A's run is B's to honour: the claim hands it over with the job.
        #expect(job.cancelRequested && job.status == .running)
        // A, back, cannot end it its own way; B ends it cancelled.
        await #expect(throws: JobTakenOver(jobID: job.id, owner: Self.a)) {
            try await store.finishJob(job.id, owner: Self.a, status: .failed, failure: "interrupted")
        }
        try await store.finishJob(job.id, owner: Self.b, status: .cancelled, failure: "cancelled by request")
        let ended = try #require(try await store.job(job.id))
        #expect(ended.status == .cancelled && ended.failure == "cancelled by request" && ended.owner == nil)
        #expect(try await store.claimNextJob(owner: Self.a, lease: 30) == nil)
    }
}
