import Dispatch
import Synchronization

/// How many threads a piece of work may use at once, the calling thread included.
///
/// Every parallel library call takes a budget (a `threads:` argument, or `LoadOptions.threads` for data
/// loading) and never runs more workers than it allows, so that a long-running process can run several jobs
/// side by side without oversubscribing the machine: give each job its share (two jobs on eight cores:
/// `ThreadBudget(4)` each). The calling thread is always one of the workers, so a job given one thread
/// (`.single`) runs entirely on the thread that called it and starts no other.
///
/// Results never depend on the budget: parallel sites cut their work into pieces whose results do not
/// depend on which worker computes them, and combine them in a fixed order.
///
/// Defaults: library calls default to `.all` (every online core, `KernelThreads.cores`), which is what the
/// `tradewind` command wants for its one job at a time (its `--threads` option, where a command has one,
/// narrows it). A server running several jobs should pass a budget explicitly.
///
/// The helpers (`forEach`, `map`) block the calling thread until every piece is done. Call them from a thread
/// of your own (see `DedicatedThread`, which the `async` entry points of the engine and the optimizer use),
/// never from a task on Swift's cooperative pool.
public struct ThreadBudget: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The most threads the work may run on at once (at least 1).
    public let threads: Int

    /// A budget of `threads` threads; values below 1 mean 1.
    public init(_ threads: Int) { self.threads = max(1, threads) }

    /// A budget written as a number, e.g. `threads: 4`.
    public init(integerLiteral value: Int) { self.init(value) }

    /// One thread: the caller's.
    public static let single = ThreadBudget(1)

    /// Every online core of the machine (`KernelThreads.cores`): the library default, meant for one job at a time.
    public static var all: ThreadBudget { ThreadBudget(KernelThreads.cores) }

    public var description: String { threads == 1 ? "1 thread" : "\(threads) threads" }

    /// How many workers `items` independent pieces get: one per piece up to the budget (1 when there are none).
    public func workers(for items: Int) -> Int { max(1, min(threads, items)) }

    /// The budget of each of `parts` sub-jobs run side by side, so that together they stay within this one
    /// (at least one thread each).
    public func share(among parts: Int) -> ThreadBudget { ThreadBudget(threads / max(1, parts)) }

    /// Calls `body(i)` once for every `i` in `0..<count` and returns when all calls have returned.
    ///
    /// At most `workers(for: count)` calls run at once: the calling thread takes pieces itself, helpers take the
    /// others — threads of Dispatch's pool, or, when the caller runs below the process's priority (a server's
    /// job, `ThreadPriority`), threads at the caller's priority; pieces are handed out in increasing order from a
    /// shared counter, so a worker that gets less processor time simply takes fewer. With a budget of one thread,
    /// or a single piece, every call runs on the calling thread, in order.
    public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let workers = workers(for: count)
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let priority = ThreadPriority.current
        if priority != .normal {
            HelperThreads.at(priority).forEach(workers: workers, count: count, body)
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= count { return }
                body(i)
            }
        }
    }

    /// Runs `work` on a helper thread, at once or when one is free, and returns: Dispatch's pool, or a thread at the
    /// caller's priority when the caller runs below the process's (as `forEach`'s helpers). For work whose owner
    /// never waits for it to start (it takes over what the helper has not begun).
    public static func startHelper(_ work: @escaping @Sendable () -> Void) {
        let priority = ThreadPriority.current
        if priority != .normal {
            HelperThreads.at(priority).async(work)
        } else {
            DispatchQueue.global().async(execute: work)
        }
    }

    /// `body(i)` for every `i` in `0..<count`, in index order, computed as `forEach` does. When calls throw,
    /// the error of the lowest failing index is thrown (the same one on any budget); a non-throwing `body`
    /// makes `map` non-throwing.
    public func map<T: Sendable, E: Error>(_ count: Int, _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        guard count > 0 else { return [] }
        var out: [T] = []
        out.reserveCapacity(count)
        if workers(for: count) == 1 {
            for i in 0..<count { out.append(try body(i)) }
            return out
        }
        let slots = Mutex<[Result<T, E>?]>([Result<T, E>?](repeating: nil, count: count))
        forEach(count) { i in
            let r: Result<T, E>
            do throws(E) { r = .success(try body(i)) } catch { r = .failure(error) }
            slots.withLock { $0[i] = r }
        }
        for r in slots.withLock({ $0 }) { out.append(try r!.get()) }
        return out
    }
}
