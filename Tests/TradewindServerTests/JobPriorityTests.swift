import Foundation
import Testing
import TradewindCore
import TradewindStore
@testable import TradewindServer

/// A server's jobs run below its priority (`--job-nice`): the kernel's view of a running optimisation's threads.
@Suite("Server job priority")
struct JobPriorityTests {
    @Test func aRunningOptimizationsThreadsRunAtTheJobNiceIncrement() async throws {
        let store = try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
        // 7: a value no other test's server uses, so threads of jobs running beside this test are not counted.
        let scheduler = try LeaseTestScheduler.make(store, lease: 30, jobNice: 7)
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        let lowered = min(19, ThreadPriority.processNice + 7)
        let seen = try await LeaseTestScheduler.eventually(within: 60) {
            let all = ThreadPriority.threads()
            let optimizing = all.contains { $0.name == "tw-optimize" && $0.nice == lowered }
            let helping = KernelThreads.cores < 2 || all.contains { $0.name.hasPrefix("tw-helper-\(lowered)") && $0.nice == lowered }
            return optimizing && helping
        }
        #expect(seen, "no optimisation thread at nice \(lowered): \(ThreadPriority.threads().filter { $0.name.hasPrefix("tw-") })")
        // The relay runs at the process's priority, and every lowered thread is one of Tradewind's own job or helper
        // threads: no thread of Swift's pool, Dispatch or NIO (each names its threads) was started by a lowered one.
        let all = ThreadPriority.threads()
        #expect(all.contains { $0.name == "tw-relay" && $0.nice == ThreadPriority.processNice }, "\(all)")
        #expect(all.filter { $0.nice > ThreadPriority.processNice }.allSatisfy { $0.name.hasPrefix("tw-") && $0.name != "tw-relay" },
                "\(all.filter { $0.nice > ThreadPriority.processNice })")
        #expect(scheduler.running.withLock { $0[job.id] } != nil)
        run.cancel()
        _ = try? await run.value
        await store.close()
    }

    @Test func theJobNiceIncrementIsCheckedAtStart() {
        var c = ServerConfiguration(port: 0, home: "/tmp")
        c.jobNice = 20
        #expect(throws: APIError.self) { try c.validate() }
        c.jobNice = 0
        #expect(throws: Never.self) { try c.validate() }
    }
}
