import Foundation
import Testing
@testable import TradewindStore

/// The distributed work queue's writes are fenced: a server's writes of a job's tasks (`enqueue`, `cancel`,
/// `failExhausted`) on its holding the job, a worker's failure of a task on its holding the task, and a commit on the
/// job still taking results. A refused write throws its typed error and changes nothing. PostgreSQL only: the queue
/// needs it (`FOR UPDATE SKIP LOCKED`, `LISTEN`/`NOTIFY`).
@Suite("Work queue writes fenced on their holder (PostgreSQL)")
struct WorkQueueFencingTests {
    static func queue() async throws -> (SQLStore, WorkQueue) {
        let store = try await StoreBackend.postgresql.makeStore()
        return (store, try WorkQueue(store: store))
    }

    @Test func aFormerHoldersQueueWritesAfterATakeoverAreRefusedAndTheNewHoldersSucceed() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        let (a, b) = (JobFencingStoreTests.a, JobFencingStoreTests.b)
        // A queues the job's tasks; SPY's is claimed until its attempts are spent, each lease expiring (its workers
        // died). Then A stops renewing the job and B takes it over.
        let job = try await JobFencingStoreTests.takenOver(store, symbols: ["SPY", "QQQ", "IWM"]) { job in
            try await queue.enqueue(jobID: job.id, owner: a, symbols: ["SPY", "QQQ", "IWM"])
            for attempt in 1...WorkQueue.maxAttempts {
                let task = try #require(try await queue.claim(worker: "w\(attempt)", lease: 0.001))
                #expect(task.symbol == "SPY" && task.attempt == attempt)
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let before = try await queue.progress(jobID: job.id)
        #expect(before.queued == 2 && before.running == 1 && before.failed == 0)

        // A, back, queues, cancels and fails tasks: each refused, typed, and nothing changed.
        let refused = JobTakenOver(jobID: job.id, owner: a)
        await #expect(throws: refused) { try await queue.enqueue(jobID: job.id, owner: a, symbols: ["SPY", "QQQ", "IWM", "DIA"]) }
        await #expect(throws: refused) { try await queue.cancel(jobID: job.id, owner: a) }
        await #expect(throws: refused) { try await queue.failExhausted(jobID: job.id, owner: a) }
        #expect(try await queue.progress(jobID: job.id) == before)

        // B's go through.
        #expect(try await queue.failExhausted(jobID: job.id, owner: b) == 1)
        try await queue.enqueue(jobID: job.id, owner: b, symbols: ["SPY", "QQQ", "IWM", "DIA"])
        var after = try await queue.progress(jobID: job.id)
        #expect(after.queued == 3 && after.running == 0 && after.failed == 1)
        #expect(after.failure?.contains("claimed \(WorkQueue.maxAttempts) times") == true)
        #expect(try await queue.cancel(jobID: job.id, owner: b) == 3)
        after = try await queue.progress(jobID: job.id)
        #expect(after.queued == 0 && after.cancelled == 3 && after.failed == 1)

        // Once B ended the job, B's are refused too.
        try await store.finishJob(job.id, owner: b, status: .failed, failure: "a task failed")
        await #expect(throws: JobTakenOver(jobID: job.id, owner: b)) { try await queue.enqueue(jobID: job.id, owner: b, symbols: ["XLF"]) }
        #expect(try await queue.progress(jobID: job.id) == after)
    }

    @Test func aWorkersFailureOfATaskAnotherWorkerClaimedIsRefusedAndTheHoldersSucceeds() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        let owner = JobFencingStoreTests.a
        let job = try await store.createJob(kind: .optimize, request: "{}")
        _ = try #require(try await store.claimNextJob(owner: owner, lease: 30))
        try await store.setJobSymbols(job.id, symbols: ["SPY"])
        try await queue.enqueue(jobID: job.id, owner: owner, symbols: ["SPY"])
        // w1's lease expires (paused) and w2 claims the task.
        let first = try #require(try await queue.claim(worker: "w1", lease: 0.001))
        try await Task.sleep(for: .milliseconds(50))
        let second = try #require(try await queue.claim(worker: "w2", lease: 30))
        #expect(second.id == first.id && second.attempt == 2)

        await #expect(throws: TaskTakenOver(taskID: first.id, worker: "w1")) {
            try await queue.fail(taskID: first.id, worker: "w1", reason: "SPY: bad input")
        }
        #expect(try await queue.renew(taskID: first.id, worker: "w1", lease: 30) == false)
        var progress = try await queue.progress(jobID: job.id)
        #expect(progress.running == 1 && progress.failed == 0 && progress.computing.map(\.worker) == ["w2"])

        try await queue.fail(taskID: second.id, worker: "w2", reason: "SPY: bad input")
        progress = try await queue.progress(jobID: job.id)
        #expect(progress.running == 0 && progress.failed == 1 && progress.failure == "SPY: bad input")
        // A failed task is no one's: a second failure is refused and the first reason stays.
        await #expect(throws: TaskTakenOver(taskID: second.id, worker: "w2")) {
            try await queue.fail(taskID: second.id, worker: "w2", reason: "again")
        }
        #expect(try await queue.progress(jobID: job.id) == progress)
        #expect(TaskTakenOver(taskID: 7, worker: "w1").description.contains("task 7 is no longer held by worker w1"))
    }

    @Test func aResultCommittedAfterItsJobEndedIsDiscardedAndStoresNothing() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        let owner = JobFencingStoreTests.a
        let job = try await store.createJob(kind: .optimize, request: "{}")
        _ = try #require(try await store.claimNextJob(owner: owner, lease: 30))
        try await store.setJobSymbols(job.id, symbols: ["SPY", "QQQ"])
        try await queue.enqueue(jobID: job.id, owner: owner, symbols: ["SPY", "QQQ"])
        let task = try #require(try await queue.claim(worker: "w1", lease: 30))
        // The server failed the job without reaching the queue (its tasks were not cancelled).
        try await store.finishJob(job.id, owner: owner, status: .failed, failure: "the queue was unreachable")
        let ended = try #require(try await store.job(job.id))

        let commit = try await queue.complete(taskID: task.id, worker: "w1", evaluations: 40, computeSeconds: 1,
                                              result: StoreSuiteTests.result(task.symbol, sharpe: 1))
        #expect(commit == .discarded)
        #expect(try await store.historyCount(HistoryFilter()) == 0)
        #expect(try await store.jobSymbols(job.id).map(\.status) == ["pending", "pending"])
        #expect(try await store.job(job.id) == ended)
    }

    @Test func aWorkerRowWrittenBeforeIdentitiesStaysReadableAndIsFreedOnlyByItsHeartbeat() async throws {
        let (store, queue) = try await Self.queue()
        defer { Task { await store.close() } }
        // A row as a worker older than migration 019 left it: no identity.
        try await store.write("queue", """
            INSERT INTO workers (name, host, threads, pid, started_at, heartbeat_at, state) VALUES (?, ?, ?, ?, ?, ?, 'idle')
            """, [.text("old"), .text("box"), .int(4), .int(1), .integer(StoreClock.now()), .integer(StoreClock.now())])
        let row = try #require(try await queue.workers().first)
        #expect(row.name == "old" && row.host == "box" && row.pid == 1 && row.threads == 4 && row.identity == nil)
        // Same host and pid (two containers' pid 1) is not "the same process" any more: refused while it beats.
        let taken = await #expect(throws: WorkerNameTaken.self) {
            try await queue.register(worker: "old", host: "box", threads: 2, pid: 1, identity: "box 1 bbbb 222", lease: 30)
        }
        #expect(taken?.identity == nil && taken?.host == "box" && taken?.pid == 1)
        try await Task.sleep(for: .milliseconds(300))
        try await queue.register(worker: "old", host: "box", threads: 2, pid: 1, identity: "box 1 bbbb 222", lease: 0.2)
        #expect(try await queue.workers().map(\.identity) == ["box 1 bbbb 222"])
    }
}
