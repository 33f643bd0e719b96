import Foundation
import Testing
import TradewindCore
import TradewindStore
@testable import TradewindServer

/// A server's jobs run below its priority (`--job-priority`): the kernel's view of a running optimisation's threads.
@Suite("Server job priority")
struct JobPriorityTests {
    /// 7 and idle: priorities no other test's server uses (they run jobs at `.normal`), so the threads of jobs running
    /// beside this test are not counted.
    @Test(arguments: [ThreadPriority.lowered(nice: 7), .idle])
    func aRunningOptimizationsThreadsRunAtTheJobPriority(_ priority: ThreadPriority) async throws {
        let store = try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
        let scheduler = try LeaseTestScheduler.make(store, lease: 30, jobPriority: priority)
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        let normal = ThreadPriority.threads().first { $0.name == "tw-relay" }?.nice ?? 0
        func at(_ t: (name: String, nice: Int32, idle: Bool)) -> Bool {
            priority == .idle ? t.idle : (!t.idle && t.nice == normal + 7)
        }
        let seen = try await LeaseTestScheduler.eventually(within: 60) {
            let all = ThreadPriority.threads()
            // At idle the job gets the cores only when nothing else wants them, and while the rest of the suite keeps
            // both cores busy it may still be loading its data a minute later, before it has asked for any helper: its
            // loading thread counts then, and helpers are judged only if they exist (`ThreadPriorityTests` proves at
            // both priorities that a lowered thread's helpers run at its priority). At nice 7 the job keeps a share
            // of the cores, so its optimisation threads and helpers must be seen.
            let helpers = all.filter { $0.name.hasPrefix("tw-helper-\(priority)") }
            if priority == .idle {
                return all.contains { ["tw-job-load", "tw-optimize"].contains($0.name) && at($0) } && helpers.allSatisfy(at)
            }
            let optimizing = all.contains { $0.name == "tw-optimize" && at($0) }
            return optimizing && (KernelThreads.cores < 2 || helpers.contains(where: at))
        }
        #expect(seen, "no optimisation thread at \(priority): \(ThreadPriority.threads().filter { $0.name.hasPrefix("tw-") })")
        // The relay runs at the process's priority, and every lowered thread is one of Tradewind's own job or helper
        // threads: no thread of Swift's pool, Dispatch or NIO (each names its threads) was started by a lowered one.
        let all = ThreadPriority.threads()
        #expect(all.contains { $0.name == "tw-relay" && !$0.idle && $0.nice == normal }, "\(all)")
        // (At this test's own priority: Dispatch runs its background-QoS threads at nice 10 of its own accord.)
        let lowered = all.filter(at)
        #expect(lowered.allSatisfy { $0.name.hasPrefix("tw-") && $0.name != "tw-relay" }, "\(lowered)")
        #expect(scheduler.running.withLock { $0[job.id] } != nil)
        run.cancel()
        _ = try? await run.value
        await store.close()
    }

    @Test func theServerRunsJobsAtIdleUnlessToldOtherwise() {
        #expect(ServerConfiguration(port: 0, home: "/tmp").jobPriority == .idle)
    }
}
