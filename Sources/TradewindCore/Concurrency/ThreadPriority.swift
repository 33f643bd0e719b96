#if canImport(Glibc)
import Glibc
#endif
import CTradewindSystem
import Foundation
import Synchronization

/// Threads that run below normal priority — a server's background jobs — and the one way their work reaches the
/// rest of the process at normal priority.
///
/// Linux keeps a nice value per thread, and a new thread inherits its creator's. A server lowers its jobs' threads
/// (`jobNiceIncrement`, set around each job; `DedicatedThread` reads it) so that its event loops and Swift's
/// cooperative pool win the processor from a job whenever they have work: a WebSocket frame or an HTTP answer then
/// waits for a core no longer than the kernel's wake-up preemption, instead of a share of a busy machine.
///
/// An unprivileged thread can raise its nice value but never lower it again, so a lowered thread must never be
/// the one that creates a thread other work will use. Three rules keep the lowering inside the job:
/// - a lowered thread's parallel helpers come from pools of helper threads at its own nice value
///   (`ThreadBudget.forEach`, `ThreadBudget.startHelper`), never from Dispatch's shared pool;
/// - what a lowered thread hands to the rest of the process — resuming the task that awaits it
///   (`DedicatedThread.run`), starting a task (`AwaitFromSynchronousCode`), publishing an event — goes through
///   `atNormalPriority`: one relay thread at the process's priority, in order, so no Swift task, Dispatch or NIO
///   thread is ever started by a lowered one;
/// - the relay thread is started by a thread at the process's priority before any thread is lowered.
///
/// On systems without per-thread nice values (not Linux) nothing is lowered and `atNormalPriority` runs its work
/// where it is called.
public enum ThreadPriority {
    /// How far below the process's priority the `DedicatedThread`s started within this task run: their nice value
    /// is the process's plus this (0: the process's; at most 19 above 0 in all). A server sets it around each
    /// background job (`tradewind serve --job-nice`).
    @TaskLocal public static var jobNiceIncrement: Int32 = 0

    /// The nice value of the calling thread (the process's on systems without per-thread values).
    public static var currentNice: Int32 {
        #if os(Linux)
        // With `who` 0, Linux reads the calling thread's own value.
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return value == -1 && errno != 0 ? processNice : value
        #else
        return processNice
        #endif
    }

    /// The nice value of the process's main thread: the priority the rest of the process runs at.
    public static let processNice: Int32 = {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        return value == -1 && errno != 0 ? 0 : value
        #else
        return 0
        #endif
    }()

    /// Whether the calling thread runs below the process's priority.
    public static var isLowered: Bool { currentNice > processNice }

    /// Lowers the calling thread to nice value `processNice + increment` (capped at 19); never raises a thread's
    /// priority. Starts the relay first (from this thread, still at its old priority). Returns the thread's nice
    /// value afterwards.
    @discardableResult
    public static func lowerCurrentThread(by increment: Int32) -> Int32 {
        let now = currentNice
        #if os(Linux)
        let target = min(19, processNice + max(0, increment))
        guard target > now else { return now }
        Relay.shared.start()
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, target)
        return currentNice
        #else
        return now
        #endif
    }

    /// The process's threads with their kernel names and nice values (Linux: `/proc/self/task`; empty elsewhere):
    /// to see which run lowered (`top -H` shows the same).
    public static func threads() -> [(name: String, nice: Int32)] {
        #if os(Linux)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            // After the name come the state (field 3) … the nice value (field 19).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16, let nice = Int32(fields[16]) else { return nil }
            return (String(stat[stat.index(after: open)..<close]), nice)
        }
        #else
        return []
        #endif
    }

    /// Starts the relay thread unless it runs: call from a thread at the process's priority (a server does at
    /// start-up, before its first job).
    public static func startRelay() { Relay.shared.start() }

    /// Runs `work` at the process's priority: at once on the calling thread when it is not lowered, else on the
    /// relay thread, after whatever lowered threads handed it before (one queue, first in, first out). Use it for
    /// anything a lowered thread hands to the rest of the process: resuming a continuation, starting a task,
    /// publishing to subscribers.
    public static func atNormalPriority(_ work: @escaping @Sendable () -> Void) {
        if isLowered { Relay.shared.enqueue(work) } else { work() }
    }

    /// The relay: one thread at the process's priority running the work lowered threads hand it, in order.
    final class Relay: Sendable {
        static let shared = Relay()
        private let queue = Mutex<(work: [@Sendable () -> Void], head: Int, started: Bool)>(([], 0, false))
        private let ready = DispatchSemaphore(value: 0)

        /// Starts the thread unless it runs already; call from a thread at the process's priority.
        func start() {
            let first = queue.withLock { q in
                defer { q.started = true }
                return !q.started
            }
            guard first else { return }
            let thread = Thread { [self] in
                #if os(Linux)
                _ = tradewind_name_this_thread("tw-relay")
                #endif
                while true {
                    ready.wait()
                    let next = queue.withLock { q -> (@Sendable () -> Void)? in
                        guard q.head < q.work.count else { return nil }
                        let work = q.work[q.head]
                        q.work[q.head] = {}
                        q.head += 1
                        if q.head >= 64, q.head * 2 >= q.work.count {
                            q.work.removeFirst(q.head)
                            q.head = 0
                        }
                        return work
                    }
                    next?()
                }
            }
            thread.stackSize = DedicatedThread.stackSize
            thread.start()
        }

        func enqueue(_ work: @escaping @Sendable () -> Void) {
            // `lowerCurrentThread` starts the relay before it lowers a thread, and a server starts it at start-up
            // (`ThreadPriority.startRelay`), so it runs already; this start is for a thread lowered some other way.
            start()
            queue.withLock { $0.work.append(work) }
            ready.signal()
        }
    }
}
