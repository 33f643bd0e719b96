import Foundation
import Synchronization

/// The helpers of lowered threads (`ThreadPriority`): for each priority a pool of long-lived threads at that
/// priority, one per core, fed from one queue. `ThreadBudget.forEach` and `ThreadBudget.startHelper` use it in place of
/// Dispatch's shared pool when their caller runs below the process's priority, so a background job's parallel work
/// stays at the job's priority and Dispatch never gets a thread that inherited a lowered value.
///
/// A piece of work queued here may start late, when every thread is busy: callers never wait for a helper that has
/// not started (`forEach`'s caller takes the pieces nobody has claimed itself), so nested use cannot deadlock.
final class HelperThreads: Sendable {
    private static let pools = Mutex<[ThreadPriority: HelperThreads]>([:])

    /// The pool at `priority`.
    static func at(_ priority: ThreadPriority) -> HelperThreads {
        pools.withLock { pools in
            if let pool = pools[priority] { return pool }
            let pool = HelperThreads(priority: priority, threads: KernelThreads.cores)
            pools[priority] = pool
            return pool
        }
    }

    let priority: ThreadPriority
    private let runners: ClosureThreads

    private init(priority: ThreadPriority, threads: Int) {
        self.priority = priority
        // The name is cut to the kernel's 15 bytes (a longer one would be refused and keep the creator's). The
        // creator runs at this priority already (the pool is its own); each thread sets it in case it did not.
        runners = ClosureThreads(threads: threads, name: { "tw-helper-\(priority)-\($0)" },
                                 prepare: { priority.applyToCurrentThread() })
    }

    /// Runs `work` on one of the pool's threads, as soon as one is free.
    func async(_ work: @escaping @Sendable () -> Void) { runners.async(work) }

    /// `body(i)` for every `i` in `0..<count` on the calling thread and up to `workers − 1` of the pool's threads;
    /// returns when every call has returned. Pieces are handed out in increasing order from a shared counter.
    func forEach(workers: Int, count: Int, _ body: @Sendable (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let loop = SharedLoop(count: count, body: body)
            for _ in 1..<max(1, workers) { async { loop.work() } }
            loop.work()
            loop.waitUntilDone()
            // A helper that starts after the last piece finds none left and never reads `body`.
            loop.release()
        }
    }

    /// The pieces of one `forEach`, claimed from a shared counter by the caller and its helpers.
    private final class SharedLoop: @unchecked Sendable {
        let count: Int
        let next = Atomic<Int>(0)
        let completed = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        /// Read only by a worker holding an unfinished piece; cleared by the caller after the last one finished.
        private var body: (@Sendable (Int) -> Void)?

        init(count: Int, body: @escaping @Sendable (Int) -> Void) {
            self.count = count
            self.body = body
        }

        func work() {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= count { return }
                body!(i)
                if completed.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == count { done.signal() }
            }
        }

        func waitUntilDone() { done.wait() }

        func release() { body = nil }
    }
}
