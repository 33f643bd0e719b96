import Dispatch
import Synchronization

/// The first-in, first-out queue of work that a fixed set of long-lived threads serve (`HelperThreads`, the
/// priority relay, the server's backtest threads): closures appended under the owner's lock and taken from the
/// front. Taking is O(1) (a head index, the array compacted once half of it is taken), and a taken closure's slot is
/// cleared at once, so what it captured is freed when it has run, not when the queue next compacts.
public struct ClosureQueue: Sendable {
    private var work: [@Sendable () -> Void] = []
    private var head = 0

    public init() {}

    /// Closures queued and not yet taken.
    public var count: Int { work.count - head }

    public mutating func append(_ closure: @escaping @Sendable () -> Void) { work.append(closure) }

    /// The oldest closure, removed; nil when none is queued.
    public mutating func popFirst() -> (@Sendable () -> Void)? {
        guard head < work.count else { return nil }
        let closure = work[head]
        work[head] = {}
        head += 1
        if head >= 64, head * 2 >= work.count {
            work.removeFirst(head)
            head = 0
        }
        return closure
    }
}

/// Long-lived threads serving one `ClosureQueue`, started on first use (or by `start()`): the priority relay (one
/// thread, so its work runs in the order given) and each helper pool of `HelperThreads`.
final class ClosureThreads: Sendable {
    let threads: Int
    private let name: @Sendable (Int) -> String
    private let prepare: @Sendable () -> Void
    private let queue = Mutex<(work: ClosureQueue, started: Bool)>((ClosureQueue(), false))
    /// One signal per queued closure: a thread takes one for every signal it waits out.
    private let ready = DispatchSemaphore(value: 0)

    /// `threads` threads (at least 1), the `i`-th named `name(i)`, each running `prepare` once before it serves.
    init(threads: Int, name: @escaping @Sendable (Int) -> String, prepare: @escaping @Sendable () -> Void = {}) {
        self.threads = max(1, threads)
        self.name = name
        self.prepare = prepare
    }

    /// Starts the threads unless they run already; they inherit the calling thread's priority.
    func start() {
        let first = queue.withLock { q in
            defer { q.started = true }
            return !q.started
        }
        guard first else { return }
        for i in 0..<threads {
            DedicatedThread.startLongLived(name: name(i)) { [self] in
                prepare()
                while true {
                    ready.wait()
                    queue.withLock { $0.work.popFirst() }?()
                }
            }
        }
    }

    /// Runs `work` on one of the threads, as soon as one is free (starting them if they do not run yet).
    func async(_ work: @escaping @Sendable () -> Void) {
        start()
        queue.withLock { $0.work.append(work) }
        ready.signal()
    }
}
