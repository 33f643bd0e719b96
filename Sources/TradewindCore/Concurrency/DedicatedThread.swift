import CTradewindSystem
import Foundation

/// Runs blocking, CPU-bound work on a thread of its own and lets an `async` caller await it, so that the work
/// never occupies a thread of Swift's cooperative pool (whose few threads must stay free for I/O and servers).
///
/// The new thread is the work's calling thread: work given a `ThreadBudget` of `n` threads runs on it and at
/// most `n − 1` helpers. Cancellation is cooperative: a cancelled task sets the `CancellationFlag` given to
/// `run`, and the work polls it (the `async` entry points of the engine and the optimizer work this way).
public enum DedicatedThread {
    /// The stack size of the threads started (the size of a process's main thread on Linux).
    public static let stackSize = 8 << 20

    /// Runs `work` on a new thread named `name` (its first 15 bytes on Linux, as `top -H` and debuggers show
    /// it) and returns (or throws) what it returns (or throws). The calling task is suspended meanwhile,
    /// holding no thread. When the task is cancelled (before or during the work), `cancel` is set: work that
    /// polls it can stop early; the call still waits for the work to return, so no work outlives it.
    ///
    /// The thread runs at `ThreadPriority.dedicatedThreads` (the calling task's); a lowered thread's result reaches the awaiting task through `ThreadPriority.atNormalPriority`, so Swift's
    /// cooperative pool never gets a thread started by a lowered one.
    public static func run<T: Sendable, E: Error>(
        name: String = "tradewind-worker", cancel: CancellationFlag? = nil, _ work: sending @escaping () throws(E) -> T
    ) async throws(E) -> T {
        let job = Job(work)
        let priority = ThreadPriority.dedicatedThreads
        let result: Result<T, E> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
                let thread = Thread {
                    #if os(Linux)
                    // A new thread otherwise keeps its creator's name (the kernel keeps the first 15 bytes).
                    _ = tradewind_name_this_thread(name)
                    #endif
                    if priority != .normal { priority.applyToCurrentThread() }
                    let result = job.run()
                    ThreadPriority.atNormalPriority { continuation.resume(returning: result) }
                }
                thread.stackSize = stackSize
                thread.start()
            }
        } onCancel: {
            cancel?.cancel()
        }
        return try result.get()
    }

    /// Starts a thread named `name` (the kernel's first 15 bytes on Linux) with `stackSize` that runs `body`, for
    /// the long-lived threads of a pool that serve a `ClosureQueue`; returns at once.
    public static func startLongLived(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if os(Linux)
            _ = tradewind_name_this_thread(name)
            #endif
            body()
        }
        thread.stackSize = stackSize
        thread.start()
    }

    /// The work handed to the new thread. `sending` gives the thread sole access to the closure and whatever it
    /// captured, which is what makes passing it there safe.
    private final class Job<T, E: Error>: @unchecked Sendable {
        private let work: () throws(E) -> T
        init(_ work: sending @escaping () throws(E) -> T) { self.work = work }
        func run() -> Result<T, E> {
            do throws(E) { return .success(try work()) } catch { return .failure(error) }
        }
    }
}
