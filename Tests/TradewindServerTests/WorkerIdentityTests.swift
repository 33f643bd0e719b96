import Foundation
import Testing
import TradewindStore
@testable import TradewindServer

/// A `tradewind worker`'s identity in the queue's worker registry is a job owner's (`HOST PID NONCE PIDNS`): a worker
/// judges a same-named one dead by its pid only when both run in one host and one pid namespace (containers share a
/// host name, not a process table), any other only by its heartbeat; and a worker whose name was taken over writes
/// nothing more to the new holder's row. On the test PostgreSQL (the queue needs it); the namespaces are faked in
/// the identities stored, and `gone` stands for `kill(pid, 0)`.
@Suite("Worker identities and same-named workers (PostgreSQL)")
struct WorkerIdentityTests {
    static func queue() async throws -> (SQLStore, WorkQueue) {
        let store = try await SQLStore.open(Distributed.freshDatabase(try Distributed.baseURL()))
        return (store, try WorkQueue(store: store))
    }

    static func register(_ queue: WorkQueue, _ me: JobOwner, gone: (Int32) -> Bool) async throws {
        try await TaskWorker.register(queue, name: "twin", threads: 1, lease: 30, as: me, gone: gone)
    }

    @Test func aHolderInAnotherPidNamespaceIsNotJudgedDeadByItsPid() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        // Two containers named "box", each worker pid 1 in its own pid namespace.
        let holder = JobOwner(host: "box", pid: 1, nonce: "aaaa", pidNamespace: 111)
        try await Self.register(queue, holder) { _ in false }
        let me = JobOwner(host: "box", pid: 1, nonce: "bbbb", pidNamespace: 222)
        // Here, pid 1 "names no process": that says nothing of the other container's pid 1.
        // Nor is the holder taken for this very process because host and pid agree: the refusal names it.
        let taken = await #expect(throws: WorkerNameTaken.self) { try await Self.register(queue, me) { _ in true } }
        #expect(taken?.identity == holder.text && taken?.host == "box" && taken?.pid == 1)
        // A namespace unknown on either side never matches.
        let unknown = JobOwner(host: "box", pid: 7, nonce: "cccc", pidNamespace: nil)
        await #expect(throws: WorkerNameTaken.self) { try await Self.register(queue, unknown) { _ in true } }
        #expect(try await queue.workers().map(\.identity) == [holder.text])
        #expect(!TaskWorker.holderKnownDead(WorkerNameTaken(name: "twin", host: "box", pid: 1, heartbeatAgeSeconds: 0, identity: nil),
                                            seenFrom: JobOwner(host: "box", pid: 2, nonce: "dddd", pidNamespace: 111)) { _ in true })
    }

    @Test func aHolderInThisHostAndPidNamespaceWhoseProcessIsGoneIsReplacedAtOnce() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        let holder = JobOwner(host: "box", pid: 4242, nonce: "aaaa", pidNamespace: 111)
        try await Self.register(queue, holder) { _ in false }
        // A live holder in the same process table keeps its name.
        let alive = JobOwner(host: "box", pid: 6161, nonce: "cccc", pidNamespace: 111)
        await #expect(throws: WorkerNameTaken.self) { try await Self.register(queue, alive) { _ in false } }
        // Once its process is gone, the name is taken at once (its heartbeat is fresh, its lease long).
        let me = JobOwner(host: "box", pid: 5151, nonce: "bbbb", pidNamespace: 111)
        try await Self.register(queue, me) { $0 == 4242 }
        let workers = try await queue.workers()
        #expect(workers.map(\.identity) == [me.text] && workers.map(\.pid) == [5151])
        // The same process registering again keeps its name.
        try await Self.register(queue, me) { _ in false }
    }

    @Test func aWorkerWhoseNameWasTakenOverByHeartbeatExpiryNoLongerWritesTheNewHoldersRow() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        let holder = JobOwner(host: "box", pid: 1, nonce: "aaaa", pidNamespace: 111)
        try await Self.register(queue, holder) { _ in false }
        // Paused past a lease: a worker in another container takes the name by heartbeat expiry.
        try await Task.sleep(for: .milliseconds(400))
        let me = JobOwner(host: "box", pid: 1, nonce: "bbbb", pidNamespace: 222)
        try await queue.register(worker: "twin", host: me.host, threads: 2, pid: Int(me.pid), identity: me.text, lease: 0.2)
        #expect(try await queue.heartbeat(worker: "twin", identity: me.text, state: "busy", taskID: nil))
        let row = try #require(try await queue.workers().first)
        #expect(row.identity == me.text && row.state == "busy" && row.threads == 2)

        // The former holder, back: its heartbeat and its sign-off are refused and leave the new holder's row alone.
        #expect(try await queue.heartbeat(worker: "twin", identity: holder.text, state: "idle", taskID: nil) == false)
        try await queue.unregister(worker: "twin", identity: holder.text)
        let after = try #require(try await queue.workers().first)
        #expect(after.identity == me.text && after.state == "busy")
        try await queue.unregister(worker: "twin", identity: me.text)
        #expect(try await queue.workers().isEmpty)
    }
}
