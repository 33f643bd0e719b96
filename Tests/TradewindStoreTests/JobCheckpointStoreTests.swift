import Foundation
import Testing
import TradewindStore

/// Jobs' leases (how servers on one database hand a job over) and their stored checkpoints, the same on SQLite and
/// PostgreSQL.
@Suite("Store job leases and checkpoints (both backends)")
struct JobCheckpointStoreTests {
    static let a = "host-a 101 aaaa", b = "host-b 202 bbbb"

    /// Bytes that stand for a checkpoint: `count` of them, from a seeded generator.
    static func bytes(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobIsHeldUnderALeaseAndTakenOverOnlyOnceItExpires(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let job = try await store.createJob(kind: .training, request: "{}")
        let held = try #require(try await store.claimNextJob(owner: Self.a, lease: 30))
        #expect(held.id == job.id && held.owner == Self.a)
        // While A renews, B claims nothing.
        #expect(try await store.claimNextJob(owner: Self.b, lease: 30) == nil)
        #expect(try await store.renewJobLeases(owner: Self.a, lease: 30) == [job.id])
        #expect(try await store.claimNextJob(owner: Self.b, lease: 30) == nil)
        // A's last renewal is a short one, then it stops renewing (it died): once that lease expired, B takes the
        // job over, its first start time kept. (Leases are short here only so that the test is; a slow machine
        // only lets it expire further.)
        #expect(try await store.renewJobLeases(owner: Self.a, lease: 0.2) == [job.id])
        try await Task.sleep(for: .milliseconds(500))
        let taken = try #require(try await store.claimNextJob(owner: Self.b, lease: 30))
        #expect(taken.id == job.id && taken.owner == Self.b && taken.startedAt == held.startedAt)
        // A, back, no longer holds it: its renewal, release and checkpoint writes do nothing.
        #expect(try await store.renewJobLeases(owner: Self.a, lease: 30).isEmpty)
        #expect(try await store.releaseJob(job.id, owner: Self.a) == false)
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: 3, bytes: Data([1, 2, 3])) == false)
        #expect(try await store.jobCheckpoint(job.id) == nil)
        #expect(try await store.requeueJobs(heldBy: [Self.a]).isEmpty)
        // B stops gracefully: the job is queued again at once, for anyone.
        #expect(try await store.releaseJob(job.id, owner: Self.b))
        let released = try #require(try await store.job(job.id))
        #expect(released.status == .queued && released.owner == nil)
        #expect(try await store.claimNextJob(owner: Self.a, lease: 30)?.id == job.id)
    }

    @Test(arguments: StoreBackend.allCases)
    func aServerNeverClaimsAgainAJobItHoldsWhoseLeaseExpired(_ backend: StoreBackend) async throws {
        // A server paused for longer than its lease comes back still running the job: its own claim must not start
        // a second run of it, while another server's claim takes it over.
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let job = try await store.createJob(kind: .training, request: "{}")
        _ = try #require(try await store.claimNextJob(owner: Self.a, lease: 0.2))
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await store.claimNextJob(owner: Self.a, lease: 30) == nil)
        #expect(try await store.claimNextJob(owner: Self.b, lease: 30)?.id == job.id)
    }

    @Test(arguments: StoreBackend.allCases)
    func aCheckpointIsWrittenReplacedReadAndRemovedWithItsJob(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let job = try await store.createJob(kind: .training, request: "{}")
        _ = try await store.claimNextJob(owner: Self.a, lease: 30)
        #expect(try await store.jobCheckpoint(job.id) == nil)
        // Several megabytes, as the default universal model's checkpoint, kept bit for bit.
        let first = Self.bytes(3_000_000, seed: 1), second = Self.bytes(3_000_001, seed: 2)
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: 1, bytes: first))
        let one = try #require(try await store.jobCheckpoint(job.id))
        #expect(one.epoch == 1 && one.bytes == first && one.jobID == job.id && one.writtenAt > 0)
        #expect(one.sha256.count == 64 && one.sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: 2, bytes: second))
        let two = try #require(try await store.jobCheckpoint(job.id))
        #expect(two.epoch == 2 && two.bytes == second && two.sha256 != one.sha256)
        #expect(try await store.jobCheckpoint(job.id + 1) == nil)
        await #expect(throws: StoreError.self) { try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: -1, bytes: first) }

        try await store.deleteJobCheckpoint(job.id)
        #expect(try await store.jobCheckpoint(job.id) == nil)
        // Ending the job removes its checkpoint; so does deleting it.
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: 3, bytes: first))
        try await store.finishJob(job.id, owner: Self.a, status: .succeeded, failure: nil)
        #expect(try await store.jobCheckpoint(job.id) == nil)
        let other = try await store.createJob(kind: .training, request: "{}")
        _ = try await store.claimNextJob(owner: Self.b, lease: 30)
        #expect(try await store.saveJobCheckpoint(other.id, owner: Self.b, epoch: 1, bytes: second))
        // A queued job cancelled by request loses its checkpoint at once.
        #expect(try await store.releaseJob(other.id, owner: Self.b))
        #expect(try await store.jobCheckpoint(other.id)?.epoch == 1)
        _ = try await store.cancelJob(other.id)
        #expect(try await store.jobCheckpoint(other.id) == nil)
        try await store.deleteJob(other.id)
        let rows = try await store.database.read(SQLStatement("SELECT COUNT(*) FROM job_checkpoints"))
        #expect(rows.first?.values.first == .integer(0))
    }

    @Test(arguments: StoreBackend.allCases)
    func aCheckpointWhoseBytesNoLongerMatchTheirSHA256IsRefusedNamingBoth(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let job = try await store.createJob(kind: .training, request: "{}")
        _ = try await store.claimNextJob(owner: Self.a, lease: 30)
        let bytes = Self.bytes(4096, seed: 3)
        #expect(try await store.saveJobCheckpoint(job.id, owner: Self.a, epoch: 4, bytes: bytes))
        let stored = try #require(try await store.jobCheckpoint(job.id)).sha256
        // One byte changes in the database (a damaged row): the read is refused, never handed to the trainer.
        var damaged = bytes
        damaged[100] ^= 0xFF
        _ = try await store.database.write(SQLStatement("UPDATE job_checkpoints SET bytes = ? WHERE job_id = ?", [.blob(damaged), .integer(job.id)]))
        do {
            _ = try await store.jobCheckpoint(job.id)
            Issue.record("a damaged checkpoint was read")
        } catch let error as CorruptJobCheckpoint {
            #expect(error.jobID == job.id && error.epoch == 4 && error.stored == stored && error.computed != stored)
            #expect(error.description.contains("job \(job.id)") && error.description.contains(stored))
        }
        try await store.deleteJobCheckpoint(job.id)
        #expect(try await store.jobCheckpoint(job.id) == nil)
    }
}
