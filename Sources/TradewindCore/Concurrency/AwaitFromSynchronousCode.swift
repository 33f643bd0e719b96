import Dispatch

/// Runs async work to completion from synchronous code and hands back its result, blocking only the calling thread.
///
/// This is the one bridge from synchronous code paths (a data loader called by a synchronous command, the live
/// runtime's synchronous order path writing its journal) into async APIs (HTTP clients, the store). The caller
/// must not be a thread the work itself needs: by default the work runs on Swift's global concurrency pool, so a
/// caller on that pool could starve it; give an `executor` of its own (for example `SerialQueueExecutor`) when
/// the caller may hold a pool thread.
public enum AwaitFromSynchronousCode {
    /// Runs `work` — on `executor` when given, else on Swift's global pool — and waits for it.
    public static func run<T: Sendable>(
        on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async throws -> T
    ) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        // From a lowered thread the task is started by the relay, so no thread of the pool is started by this one;
        // the dedicated threads the work starts run as lowered as the caller (a job's work stays a job's).
        let priority = ThreadPriority.current
        ThreadPriority.atNormalPriority {
            Task.detached(executorPreference: executor) {
                do {
                    let value = try await ThreadPriority.$dedicatedThreads.withValue(priority) { try await work() }
                    outcome.result = .success(value)
                } catch { outcome.result = .failure(error) }
                done.signal()
            }
        }
        done.wait()
        return try outcome.result!.get()
    }

    /// `run` for work that cannot fail.
    public static func run<T: Sendable>(
        on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async -> T
    ) -> T {
        // The throwing overload cannot throw here: `work` does not.
        try! run(on: executor) { () async throws -> T in await work() }
    }

    /// The result handed from the worker to the waiting caller (the semaphore orders the accesses).
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}

/// A serial task executor on a dispatch queue of its own: tasks preferring it run there, one at a time, never on
/// Swift's cooperative pool.
public final class SerialQueueExecutor: TaskExecutor {
    private let queue: DispatchQueue

    /// An executor whose queue is labelled `label` (as debuggers show it).
    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
