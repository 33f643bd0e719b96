import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TradewindStore
@testable import TradewindServer

/// The job scheduler's side of the leases: a server whose renewals fail (or hang) for a whole lease stops its jobs
/// as lost without writing, and queues them again once the database answers; a graceful shutdown renews the leases
/// until every job has stopped and been released; a job whose cancel was asked while its holder died ends
/// cancelled on the server that takes it over.
@Suite("Job scheduler lease fencing")
struct JobLeaseFencingTests {
    @Test(arguments: [LeaseControlledDatabase.Renewals.fail, .hang])
    func aServerWhoseRenewalsFailForAWholeLeaseStopsItsJobAsLostWithoutWritingAndQueuesItAgainOnceTheDatabaseAnswers(
        _ failure: LeaseControlledDatabase.Renewals
    ) async throws {
        let (store, database) = try await LeaseControlledDatabase.store()
        let scheduler = try LeaseTestScheduler.make(store, lease: 1.5)
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        #expect(try await LeaseTestScheduler.eventually(within: 60) { scheduler.running.withLock { $0[job.id] != nil } },
                "the job never started")

        // The database stops answering renewals (an error, or no answer at all): within about a lease the job stops.
        database.state.withLock { $0.renewals = failure }
        let stopped = try await LeaseTestScheduler.eventually(within: 30) { scheduler.running.withLock { $0.isEmpty } }
        #expect(stopped, "the job kept running with its lease lapsed")
        // Nothing written: the record is still this server's running job, neither released nor ended.
        let record = try #require(try await store.job(job.id))
        #expect(record.status == .running && record.owner == scheduler.owner.text, "\(record)")
        #expect(!(try await LeaseTestScheduler.log(job.id, in: store)).contains { $0.contains("stopped by shutdown") })
        #expect(try await LeaseTestScheduler.eventually(within: 10) { scheduler.lapsed.withLock { $0 } == [job.id] })

        // The database answers again: the job, still held by no one else, is queued again and runs here.
        database.state.withLock { $0.renewals = .pass }
        #expect(try await LeaseTestScheduler.eventually(within: 30) {
            try await LeaseTestScheduler.log(job.id, in: store).contains { $0.hasSuffix("when its lease lapsed unrenewed; queued again") }
        })
        #expect(try await LeaseTestScheduler.eventually(within: 30) { scheduler.running.withLock { $0[job.id] != nil } },
                "the job did not run again")
        run.cancel()
        _ = try? await run.value
        await store.close()
    }

    @Test func aGracefulShutdownRenewsTheLeasesUntilEveryJobHasStoppedAndBeenReleased() async throws {
        let (store, database) = try await LeaseControlledDatabase.store()
        // The release is held back until a renewal succeeded during it (up to 30 s; without renewals during the
        // stop, none comes): a stop that outlasts the lease would otherwise let another server claim the job while
        // this one still writes it. (A long lease: a loaded machine must not let it lapse before the stop.)
        database.state.withLock { $0.releaseWaitsForARenewal = true }
        let scheduler = try LeaseTestScheduler.make(store, lease: 9)
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [scheduler], logger: Logger(label: "tradewind.test")))
        let ended = Ended()
        let run = Task {
            try await group.run()
            ended.value.withLock { $0 = true }
        }
        defer { run.cancel() }
        #expect(try await LeaseTestScheduler.eventually(within: 60) { scheduler.running.withLock { $0[job.id] != nil } },
                "the job never started")
        await group.triggerGracefulShutdown()
        #expect(try await LeaseTestScheduler.eventually(within: 60) { ended.value.withLock { $0 } }, "the scheduler did not stop")
        let log = try await LeaseTestScheduler.log(job.id, in: store)
        #expect(database.state.withLock { $0.renewedWhileReleasing } >= 1, "no lease renewed while the job was being released")
        let record = try #require(try await store.job(job.id))
        #expect(record.status == .queued && record.owner == nil, "\(record); log: \(log)")
        #expect(log.contains { $0.hasPrefix("stopped by shutdown") }, "\(log)")
        await store.close()
    }

    /// A job this server holds but no longer runs (its run ended and the write of its outcome failed, say while the
    /// database restarted) would stay "running" for as long as the server renews its lease: after two renewals it is
    /// queued again, and runs to its end here.
    @Test func aJobHeldHereWithNoRunHereIsQueuedAgainAndRunsToItsEnd() async throws {
        let (store, _) = try await LeaseControlledDatabase.store()
        let job = try await LeaseTestScheduler.queue(Distributed.job(["AAPL"], fast: "fast=2:10:2", slow: "slow=40:60:10"), in: store)
        let scheduler = try LeaseTestScheduler.make(store, lease: 1.5)
        // What such a run leaves: the job running, held by this server, and no run of it here.
        _ = try #require(try await store.claimNextJob(owner: scheduler.owner.text, lease: 1.5))
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        let ended = try await LeaseTestScheduler.eventually(within: 120) { try await store.job(job.id)?.status == .succeeded }
        let record = try await store.job(job.id)
        #expect(ended, "\(String(describing: record))")
        let log = try await LeaseTestScheduler.log(job.id, in: store)
        #expect(log.contains { $0.hasPrefix("held on") && $0.hasSuffix("queued again") }, "\(log)")
        #expect(try await store.jobSymbols(job.id).map(\.status) == ["done"])
        run.cancel()
        _ = try? await run.value
        await store.close()
    }

    @Test(arguments: ["sqlite", "postgresql"])
    func aJobWhoseCancelWasAskedWhileItsHolderDiedEndsCancelledWhenThisServerTakesItOver(_ backend: String) async throws {
        let store = try await SQLStore.open(backend == "sqlite"
            ? (try TestServer.home() as NSString).appendingPathComponent("store.sqlite")
            : Distributed.freshDatabase(try Distributed.baseURL()))
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        // A server on another machine ran it, was asked to cancel it, and died before it could.
        let ghost = "ghost-host 1 dead 4026531836"
        _ = try #require(try await store.claimNextJob(owner: ghost, lease: 0.3))
        #expect(try await store.cancelJob(job.id).cancelRequested)
        try await Task.sleep(for: .milliseconds(600))

        let scheduler = try LeaseTestScheduler.make(store, lease: 5)
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        #expect(try await LeaseTestScheduler.eventually(within: 30) { try await store.job(job.id)?.status.isFinished == true })
        let ended = try #require(try await store.job(job.id))
        #expect(ended.status == .cancelled && ended.failure == "cancelled by request" && ended.owner == nil, "\(ended)")
        let log = try await LeaseTestScheduler.log(job.id, in: store)
        #expect(log.contains("cancelled") && !log.contains { $0.hasPrefix("started on") }, "\(log)")
        run.cancel()
        _ = try? await run.value
        await store.close()
    }
}

/// Whether a task has ended.
final class Ended: Sendable {
    let value = Mutex(false)
}

/// Which holder a server judges dead by its pid: only one in its own process table (same host name, same pid
/// namespace); an owner text without a namespace (written before they were recorded) only by its lease.
@Suite("Job owner identity")
struct JobOwnerTests {
    @Test func anOwnerTextNamesHostPidNonceAndPidNamespaceAndOldThreeFieldTextsStillParse() {
        let owner = JobOwner(host: "box", pid: 42, nonce: "ab12cd34", pidNamespace: 4_026_531_836)
        #expect(owner.text == "box 42 ab12cd34 4026531836")
        #expect(JobOwner(text: owner.text) == owner)
        #expect(JobOwner(text: "box 42 ab12cd34") == JobOwner(host: "box", pid: 42, nonce: "ab12cd34", pidNamespace: nil))
        #expect(JobOwner(text: "box 42 ab12cd34 -")?.pidNamespace == nil)
        #expect(JobOwner(host: "box", pid: 42, nonce: "n", pidNamespace: nil).text == "box 42 n -")
        for bad in ["", "box", "box 42", "box x n", "box 42 n pid:[1]", "box 42 n 1 extra"] {
            #expect(JobOwner(text: bad) == nil, "\(bad)")
        }
        #expect(JobOwner.pidNamespace(linkTarget: "pid:[4026531836]") == 4_026_531_836)
        #expect(JobOwner.pidNamespace(linkTarget: "net:[4026531836]") == nil)
        #expect(JobOwner.pidNamespace(linkTarget: "pid:[]") == nil)
        #if os(Linux)
        #expect(JobOwner.thisPidNamespace != nil)
        #expect(JobOwner.current().pidNamespace == JobOwner.thisPidNamespace)
        #endif
    }

    @Test func onlyAHolderInThisProcessTableIsJudgedDeadByItsPid() {
        let ns: UInt64 = 4_026_531_836
        let gone: (Int32) -> Bool = { _ in true }
        let holder = JobOwner(host: "box", pid: 42, nonce: "n", pidNamespace: ns)
        #expect(holder.died(seenFrom: "box", pidNamespace: ns, gone: gone))
        #expect(!holder.died(seenFrom: "box", pidNamespace: ns, gone: { _ in false }))
        // Another container with the same host name: its pid 42 is not ours to test.
        #expect(!holder.died(seenFrom: "box", pidNamespace: ns + 1, gone: gone))
        #expect(!holder.died(seenFrom: "other", pidNamespace: ns, gone: gone))
        #expect(!holder.died(seenFrom: "box", pidNamespace: nil, gone: gone))
        // An old owner text: its namespace is unknown, so only its lease can free the job.
        let old = JobOwner(text: "box 42 n")!
        #expect(!old.died(seenFrom: "box", pidNamespace: ns, gone: gone))
    }

    @Test func aProcessThatExitedInThisNamespaceIsDeadAndThisOneIsNot() throws {
        #expect(!JobOwner.current().diedOnThisHost)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        var gone = JobOwner.current()
        gone.pid = child.processIdentifier
        #if os(Linux)
        #expect(gone.diedOnThisHost)
        #endif
        gone.pidNamespace = nil
        #expect(!gone.diedOnThisHost)
    }
}
