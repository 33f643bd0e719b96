import Foundation
import Synchronization
import Testing
import TradewindCore

/// Lowered threads (`ThreadPriority`): a job's `DedicatedThread` and its helpers run below the process's priority,
/// and nothing they hand on — the awaiting task, a task they start, a one-off helper — runs lowered.
struct ThreadPriorityTests {
    static var lowered: Int32 { min(19, ThreadPriority.processNice + 10) }

    @Test func aDedicatedThreadRunsAtItsTasksNiceIncrementAndOthersAtTheProcesss() async {
        let inside = await ThreadPriority.$jobNiceIncrement.withValue(10) {
            await DedicatedThread.run(name: "tw-test-low") { ThreadPriority.currentNice }
        }
        #expect(inside == Self.lowered)
        let outside = await DedicatedThread.run(name: "tw-test-normal") { ThreadPriority.currentNice }
        #expect(outside == ThreadPriority.processNice)
        // The awaiting task resumed at the process's priority.
        #expect(ThreadPriority.currentNice == ThreadPriority.processNice)
        #expect(!ThreadPriority.isLowered)
    }

    @Test func aLoweredThreadsParallelHelpersRunAtItsPriority() async {
        let (nices, threads) = await ThreadPriority.$jobNiceIncrement.withValue(10) {
            await DedicatedThread.run(name: "tw-test-low") { () -> (Set<Int32>, Int) in
                let watch = WorkerWatch()
                let nices = Mutex<Set<Int32>>([])
                ThreadBudget(2).forEach(64) { i in
                    nices.withLock { _ = $0.insert(ThreadPriority.currentNice) }
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
                return (nices.withLock { $0 }, watch.threads.count)
            }
        }
        #expect(nices == [Self.lowered])
        if KernelThreads.cores >= 2 { #expect(threads == 2, "the helper never took a piece") }
        // Dispatch's helpers of a thread at the process's priority are not lowered by having served none.
        let normal = Mutex<Set<Int32>>([])
        ThreadBudget(2).forEach(16) { _ in normal.withLock { _ = $0.insert(ThreadPriority.currentNice) } }
        #expect(normal.withLock { $0 } == [ThreadPriority.processNice])
    }

    @Test func aLoweredThreadsOneOffHelperRunsAtItsPriority() async {
        let nice = await ThreadPriority.$jobNiceIncrement.withValue(10) {
            await DedicatedThread.run(name: "tw-test-low") { () -> Int32 in
                let seen = Atomic<Int32>(-100)
                let done = DispatchSemaphore(value: 0)
                ThreadBudget.startHelper {
                    seen.store(ThreadPriority.currentNice, ordering: .releasing)
                    done.signal()
                }
                done.wait()
                return seen.load(ordering: .acquiring)
            }
        }
        #expect(nice == Self.lowered)
    }

    @Test func tasksALoweredThreadStartsRunAtTheProcesssPriority() async {
        // Fifty tasks at once, each waiting a little, so the cooperative pool is as busy as it gets: none of its
        // threads, old or new, runs lowered.
        let nices = await ThreadPriority.$jobNiceIncrement.withValue(10) {
            await DedicatedThread.run(name: "tw-test-low") { () -> [Int32] in
                AwaitFromSynchronousCode.run {
                    await withTaskGroup(of: Int32.self) { group in
                        for _ in 0..<50 {
                            group.addTask {
                                try? await Task.sleep(for: .milliseconds(5))
                                return ThreadPriority.currentNice
                            }
                        }
                        return await group.reduce(into: []) { $0.append($1) }
                    }
                }
            }
        }
        #expect(nices.count == 50 && Set(nices) == [ThreadPriority.processNice])
        // No thread of the process that is not one of Tradewind's own runs lowered: Swift's pool and Dispatch name
        // their threads, so one started by a lowered thread would show here.
        let lowered = ThreadPriority.threads().filter { $0.nice > ThreadPriority.processNice }
        #expect(lowered.allSatisfy { $0.name.hasPrefix("tw-") && $0.name != "tw-relay" }, "\(lowered)")
    }

    @Test func handOffsFromALoweredThreadRunInOrderAtTheProcesssPriority() async {
        final class Record: Sendable {
            let order = Mutex<[Int]>([])
            let nices = Mutex<Set<Int32>>([])
        }
        let record = Record()
        await ThreadPriority.$jobNiceIncrement.withValue(10) {
            await DedicatedThread.run(name: "tw-test-low") { [record] in
                for i in 0..<100 {
                    ThreadPriority.atNormalPriority {
                        record.order.withLock { $0.append(i) }
                        record.nices.withLock { _ = $0.insert(ThreadPriority.currentNice) }
                    }
                }
            }
        }
        // The task resumed after every hand-off before it: they share the relay's queue.
        #expect(record.order.withLock { $0 } == Array(0..<100))
        #expect(record.nices.withLock { $0 } == [ThreadPriority.processNice])
    }

    @Test func aThreadIsNeverRaisedAboveTheProcesssPriority() async {
        let nice = await DedicatedThread.run(name: "tw-test-low") { () -> [Int32] in
            [ThreadPriority.lowerCurrentThread(by: 3), ThreadPriority.lowerCurrentThread(by: 1), ThreadPriority.lowerCurrentThread(by: 40)]
        }
        let p = ThreadPriority.processNice
        #expect(nice == [min(19, p + 3), min(19, p + 3), 19])
    }
}
