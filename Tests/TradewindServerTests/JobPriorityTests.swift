import Foundation
import Testing
import TradewindCore
import TradewindStore
@testable import TradewindServer

/// A server's jobs run below its priority (`--job-nice`): the kernel's view of a running optimisation's threads.
@Suite("Server job priority")
struct JobPriorityTests {
    /// Every thread of this process: its kernel name and nice value (`/proc/self/task/*/stat`, field 19).
    static func threads() -> [(name: String, nice: Int32)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the name: state is field 3, nice field 19.
            guard fields.count > 16, let nice = Int32(fields[16]) else { return nil }
            return (String(stat[stat.index(after: open)..<close]), nice)
        }
    }

    @Test func aRunningOptimizationsThreadsRunAtTheJobNiceIncrement() async throws {
        let store = try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
        // 7: a value no other test's server uses, so threads of jobs running beside this test are not counted.
        let scheduler = try LeaseTestScheduler.make(store, lease: 30, jobNice: 7)
        let job = try await LeaseTestScheduler.queue(LeaseTestScheduler.longOptimization, in: store)
        let run = Task { try await scheduler.run() }
        defer { run.cancel() }
        let lowered = min(19, ThreadPriority.processNice + 7)
        let seen = try await LeaseTestScheduler.eventually(within: 60) {
            let all = Self.threads()
            let optimizing = all.contains { $0.name == "tw-optimize" && $0.nice == lowered }
            let helping = KernelThreads.cores < 2 || all.contains { $0.name.hasPrefix("tw-helper-\(lowered)") && $0.nice == lowered }
            return optimizing && helping
        }
        #expect(seen, "no optimisation thread at nice \(lowered): \(Self.threads().filter { $0.name.hasPrefix("tw-") })")
        // The server's own threads stay at the process's priority meanwhile.
        #expect(Self.threads().filter { $0.name == "tw-relay" }.allSatisfy { $0.nice == ThreadPriority.processNice })
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
