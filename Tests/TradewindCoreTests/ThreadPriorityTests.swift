import Foundation
import Synchronization
import Testing
import TradewindCore

/// Lowered threads (`ThreadPriority`): a job's `DedicatedThread` and its helpers run below the process's priority,
/// and nothing they hand on — the awaiting task, a task they start, a one-off helper — runs lowered.
struct ThreadPriorityTests {
    /// 13 and idle: priorities nothing else in the test process uses (Dispatch runs its background-QoS threads at
    /// nice 10 of its own accord).
    static let priorities: [ThreadPriority] = [.lowered(nice: 13), .idle]

    /// Threads of the process at `priority` that are not Tradewind's own job, helper or test threads: none may exist
    /// (Swift's pool and Dispatch name their threads, so one started by a lowered thread would show here).
    static func strangers(at priority: ThreadPriority) -> [(name: String, nice: Int32, idle: Bool)] {
        let normal = ThreadPriority.threads().first { $0.name == "tw-relay" }?.nice ?? 0
        return ThreadPriority.threads().filter { t in
            let at = priority == .idle ? t.idle : (!t.idle && t.nice == normal + 13)
            return at && (!t.name.hasPrefix("tw-") || t.name == "tw-relay")
        }
    }

    @Test(arguments: priorities)
    func aDedicatedThreadRunsAtItsTasksPriorityAndOthersAtTheProcesss(_ priority: ThreadPriority) async {
        let inside = await ThreadPriority.$dedicatedThreads.withValue(priority) {
            await DedicatedThread.run(name: "tw-test-low") { ThreadPriority.current }
        }
        #expect(inside == priority)
        let outside = await DedicatedThread.run(name: "tw-test-normal") { ThreadPriority.current }
        #expect(outside == .normal)
        // The awaiting task resumed at the process's priority.
        #expect(ThreadPriority.current == .normal && !ThreadPriority.isLowered)
    }

    @Test(arguments: priorities)
    func aLoweredThreadsParallelHelpersRunAtItsPriority(_ priority: ThreadPriority) async {
        let (seen, threads) = await ThreadPriority.$dedicatedThreads.withValue(priority) {
            await DedicatedThread.run(name: "tw-test-low") { () -> (Set<ThreadPriority>, Int) in
                let watch = WorkerWatch()
                let seen = Mutex<Set<ThreadPriority>>([])
                ThreadBudget(2).forEach(64) { i in
                    seen.withLock { _ = $0.insert(ThreadPriority.current) }
                    watch.piece(i, spin: .milliseconds(1))
                    // Piece 0 waits (up to 10 s) until another thread took a piece, so a loaded machine that starts
                    // the helper late still shows it.
                    if i == 0 {
                        let deadline = ContinuousClock.now + .seconds(10)
                        while KernelThreads.cores >= 2, watch.threads.count < 2, ContinuousClock.now < deadline {
                            Thread.sleep(forTimeInterval: 0.001)
                        }
                    }
                }
                return (seen.withLock { $0 }, watch.threads.count)
            }
        }
        #expect(seen == [priority])
        if KernelThreads.cores >= 2 { #expect(threads == 2, "the helper never took a piece") }
        // The helpers of a thread at the process's priority run at it.
        let normal = Mutex<Set<ThreadPriority>>([])
        ThreadBudget(2).forEach(16) { _ in normal.withLock { _ = $0.insert(ThreadPriority.current) } }
        #expect(normal.withLock { $0 } == [.normal])
    }

    @Test(arguments: priorities)
    func aLoweredThreadsOneOffHelperRunsAtItsPriority(_ priority: ThreadPriority) async {
        let helper = await ThreadPriority.$dedicatedThreads.withValue(priority) {
            await DedicatedThread.run(name: "tw-test-low") { () -> ThreadPriority? in
                let seen = Mutex<ThreadPriority?>(nil)
                let done = DispatchSemaphore(value: 0)
                ThreadBudget.startHelper {
                    seen.withLock { $0 = ThreadPriority.current }
                    done.signal()
                }
                done.wait()
                return seen.withLock { $0 }
            }
        }
        #expect(helper == priority)
    }

    @Test(arguments: priorities)
    func tasksALoweredThreadStartsRunAtTheProcesssPriority(_ priority: ThreadPriority) async {
        // Fifty tasks at once, each waiting a little, so the cooperative pool is as busy as it gets: none of its
        // threads, old or new, runs lowered; and the dedicated threads that work starts run as lowered as its caller.
        let (tasks, nested) = await ThreadPriority.$dedicatedThreads.withValue(priority) {
            await DedicatedThread.run(name: "tw-test-low") { () -> ([ThreadPriority], ThreadPriority) in
                AwaitFromSynchronousCode.run {
                    let tasks = await withTaskGroup(of: ThreadPriority.self) { group in
                        for _ in 0..<50 {
                            group.addTask {
                                try? await Task.sleep(for: .milliseconds(5))
                                return ThreadPriority.current
                            }
                        }
                        return await group.reduce(into: []) { $0.append($1) }
                    }
                    return (tasks, await DedicatedThread.run(name: "tw-test-nested") { ThreadPriority.current })
                }
            }
        }
        #expect(tasks.count == 50 && Set(tasks) == [.normal])
        #expect(nested == priority)
        #expect(Self.strangers(at: priority).isEmpty, "\(Self.strangers(at: priority))")
    }

    @Test func handOffsFromALoweredThreadRunInOrderAtTheProcesssPriority() async {
        final class Record: Sendable {
            let order = Mutex<[Int]>([])
            let priorities = Mutex<Set<ThreadPriority>>([])
        }
        let record = Record()
        await ThreadPriority.$dedicatedThreads.withValue(.idle) {
            await DedicatedThread.run(name: "tw-test-low") { [record] in
                for i in 0..<100 {
                    ThreadPriority.atNormalPriority {
                        record.order.withLock { $0.append(i) }
                        record.priorities.withLock { _ = $0.insert(ThreadPriority.current) }
                    }
                }
            }
        }
        // The task resumed after every hand-off before it: they share the relay's queue.
        #expect(record.order.withLock { $0 } == Array(0..<100))
        #expect(record.priorities.withLock { $0 } == [.normal])
    }

    @Test func aThreadIsOnlyEverLowered() async {
        let steps = await DedicatedThread.run(name: "tw-test-low") { () -> [ThreadPriority] in
            [ThreadPriority.lowered(nice: 3).applyToCurrentThread(), ThreadPriority.lowered(nice: 1).applyToCurrentThread(),
             ThreadPriority.normal.applyToCurrentThread(), ThreadPriority.idle.applyToCurrentThread(),
             ThreadPriority.lowered(nice: 19).applyToCurrentThread()]
        }
        #expect(steps == [.lowered(nice: 3), .lowered(nice: 3), .lowered(nice: 3), .idle, .idle])
    }

    @Test func prioritiesReadFromTheCommandLine() {
        #expect(ThreadPriority("idle") == .idle && ThreadPriority("normal") == .normal && ThreadPriority("0") == .normal)
        #expect(ThreadPriority("10") == .lowered(nice: 10) && ThreadPriority("19") == .lowered(nice: 19))
        for bad in ["20", "-1", "low", ""] { #expect(ThreadPriority(bad) == nil, "\(bad)") }
        #expect(ThreadPriority.lowered(nice: 7).description == "7" && ThreadPriority.idle.description == "idle")
    }
}
