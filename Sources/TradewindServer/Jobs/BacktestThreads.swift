import Foundation
import Synchronization
import TradewindCore

/// The threads that run `POST /api/backtest`: a few long-lived threads (8 MiB stacks, as `DedicatedThread`'s) fed
/// by a bounded queue, so that a request costs no thread start and a burst of requests queues instead of starting one
/// thread each. A request that finds the queue full is refused at once (`Full`, answered 503); nothing ever waits
/// for a slot on an event loop or a thread of Swift's cooperative pool — the awaiting task is suspended, holding no
/// thread, until its work has run.
final class BacktestThreads: Sendable {
    /// The queue was full: `waiting` requests were queued for `threads` threads.
    struct Full: Error, CustomStringConvertible {
        var threads: Int
        var waiting: Int
        var description: String {
            "the server is running \(threads) backtests with \(waiting) waiting, its limit; retry in a moment"
        }
    }

    /// Threads that run work.
    let threads: Int
    /// Work queued but not started, at most.
    let capacity: Int

    private struct State {
        var queue = ClosureQueue()
        var running = 0
        var started = false
        var waiting: Int { queue.count }
    }

    private let state = Mutex(State())
    /// One signal per queued job: a thread takes a job for every signal it waits out.
    private let ready = DispatchSemaphore(value: 0)

    /// The process's pool for `POST /api/backtest`: one thread per core, at most 64 requests waiting.
    static let process = BacktestThreads(threads: KernelThreads.cores, capacity: 64)

    /// `threads` threads (at least 1) and a queue of `capacity` jobs (at least 1). The threads start with the first
    /// job and live as long as the process.
    init(threads: Int, capacity: Int) {
        self.threads = max(1, threads)
        self.capacity = max(1, capacity)
    }

    /// Jobs queued and jobs running now (tests read them).
    var load: (waiting: Int, running: Int) { state.withLock { ($0.waiting, $0.running) } }

    /// Runs `work` on one of the threads and returns (or throws) what it returns (or throws); throws `Full` without
    /// running it when `capacity` jobs are already waiting. The call waits for the work even when its task is
    /// cancelled, so no work outlives it.
    func run<T: Sendable, E: Error>(_ work: sending @escaping () throws(E) -> T) async throws -> T {
        let job = Job(work)
        let result: Result<T, E> = try await withCheckedThrowingContinuation { continuation in
            let queued: Full? = state.withLock { s in
                guard s.waiting < capacity else { return Full(threads: threads, waiting: s.waiting) }
                s.queue.append { continuation.resume(returning: job.run()) }
                return nil
            }
            if let queued {
                continuation.resume(throwing: queued)
                return
            }
            startIfNeeded()
            ready.signal()
        }
        return try result.get()
    }

    private func startIfNeeded() {
        let start = state.withLock { s in
            if s.started { return false }
            s.started = true
            return true
        }
        guard start else { return }
        for i in 0..<threads {
            DedicatedThread.startLongLived(name: "tw-backtest-\(i)") { [self] in serve() }
        }
    }

    /// A thread's loop: take the oldest job, run it, repeat.
    private func serve() {
        while true {
            ready.wait()
            // The taken slot is cleared at once: what the closure captured (a request's bars) is freed when it ends.
            let job: (@Sendable () -> Void)? = state.withLock { s in
                guard let job = s.queue.popFirst() else { return nil }
                s.running += 1
                return job
            }
            guard let job else { continue }
            job()
            state.withLock { $0.running -= 1 }
        }
    }

    /// The work handed to a thread; `sending` gives the thread sole access to the closure and what it captured.
    private final class Job<T, E: Error>: @unchecked Sendable {
        private let work: () throws(E) -> T
        init(_ work: sending @escaping () throws(E) -> T) { self.work = work }
        func run() -> Result<T, E> {
            do throws(E) { return .success(try work()) } catch { return .failure(error) }
        }
    }
}
