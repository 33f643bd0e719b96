#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// How a thread runs relative to the rest of its process — a server lowers its background jobs' threads — and the
/// one way a lowered thread's work reaches the rest of the process at normal priority.
///
/// Linux keeps a scheduling policy and a nice value per thread, and a new thread inherits its creator's. A server
/// runs its jobs' threads lowered (`dedicatedThreads`, set around each job; `DedicatedThread` reads it) so that its
/// event loops and Swift's cooperative pool win the processor from a job whenever they have work:
/// - `idle` (Linux's `SCHED_IDLE`): the thread runs only when no normal thread of its group wants the core, and a
///   waking normal thread preempts it at once — a WebSocket frame never waits for a job's time slice;
/// - `lowered(nice:)`: a nice increment (1–19): the thread still gets a share (nice 10: about a tenth of a busy
///   core) and is preempted at the end of its slice.
///
/// An unprivileged thread can lower itself but never raise itself again, so a lowered thread must never be the one
/// that creates a thread other work will use. Three rules keep the lowering inside the job:
/// - a lowered thread's parallel helpers come from pools of helper threads at its own priority
///   (`ThreadBudget.forEach`, `ThreadBudget.startHelper`), never from Dispatch's shared pool;
/// - what a lowered thread hands to the rest of the process — resuming the task that awaits it
///   (`DedicatedThread.run`), starting a task (`AwaitFromSynchronousCode`), publishing an event — goes through
///   `atNormalPriority`: one relay thread at the process's priority, in order, so no Swift task, Dispatch or NIO
///   thread is ever started by a lowered one;
/// - the relay thread is started by a thread at the process's priority before any thread is lowered.
///
/// On systems without per-thread priorities (not Linux) nothing is lowered and `atNormalPriority` runs its work
/// where it is called.
public enum ThreadPriority: Sendable, Hashable, CustomStringConvertible {
    /// The process's priority.
    case normal
    /// A nice value `nice` (1–19) above the process's.
    case lowered(nice: Int32)
    /// Linux's `SCHED_IDLE`: only when nothing else of its group wants the core.
    case idle

    /// The priority the `DedicatedThread`s started within this task run at (`.normal`: the process's). A server
    /// sets it around each background job (`tradewind serve --job-priority`).
    @TaskLocal public static var dedicatedThreads: ThreadPriority = .normal

    /// Reads `idle`, `normal`, or a nice increment `1`…`19`.
    public init?(_ text: String) {
        switch text {
        case "idle": self = .idle
        case "normal", "0": self = .normal
        default:
            guard let n = Int32(text), (1...19).contains(n) else { return nil }
            self = .lowered(nice: n)
        }
    }

    public var description: String {
        switch self {
        case .normal: "normal"
        case .idle: "idle"
        case let .lowered(nice): "\(nice)"
        }
    }

    /// How far below the process this is, for comparing: normal 0, a nice increment its value, idle 20.
    var depth: Int32 {
        switch self {
        case .normal: 0
        case let .lowered(nice): max(0, min(19, nice))
        case .idle: 20
        }
    }

    /// The calling thread's priority relative to the process's.
    public static var current: ThreadPriority {
        #if os(Linux)
        if sched_getscheduler(0) == idlePolicy { return .idle }
        let above = currentNice - processNice
        return above > 0 ? .lowered(nice: above) : .normal
        #else
        return .normal
        #endif
    }

    /// Whether the calling thread runs below the process's priority.
    public static var isLowered: Bool { current != .normal }

    /// Linux's `SCHED_IDLE` (not exported to Swift).
    static let idlePolicy: Int32 = 5

    /// The nice value of the calling thread (the process's on systems without per-thread values).
    static var currentNice: Int32 {
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
    static let processNice: Int32 = {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        return value == -1 && errno != 0 ? 0 : value
        #else
        return 0
        #endif
    }()

    /// Lowers the calling thread to this priority; never raises it (a thread at `idle` stays there, a nice value
    /// only grows). Starts the relay first, from this thread at its old priority. Returns the thread's priority
    /// afterwards.
    @discardableResult
    public func applyToCurrentThread() -> ThreadPriority {
        let now = Self.current
        #if os(Linux)
        guard depth > now.depth else { return now }
        Self.relay.start()
        switch self {
        case .normal: break
        case .lowered:
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, Self.processNice + depth))
        case .idle:
            var parameters = sched_param()
            parameters.sched_priority = 0
            _ = sched_setscheduler(0, Self.idlePolicy, &parameters)
        }
        return Self.current
        #else
        return now
        #endif
    }

    /// Runs `work` at the process's priority: at once on the calling thread when it is not lowered, else on the
    /// relay thread, after whatever lowered threads handed it before (one queue, first in, first out). Use it for
    /// anything a lowered thread hands to the rest of the process: resuming a continuation, starting a task,
    /// publishing to subscribers.
    public static func atNormalPriority(_ work: @escaping @Sendable () -> Void) {
        if isLowered { relay.async(work) } else { work() }
    }

    /// Starts the relay thread unless it runs: call from a thread at the process's priority (a server does at
    /// start-up, before its first job).
    public static func startRelay() { relay.start() }

    /// The process's threads: kernel name, nice value and whether they run at `idle` (Linux: `/proc/self/task`;
    /// empty elsewhere), as `top -H` and `ps -L -o comm,ni,cls` show them.
    public static func threads() -> [(name: String, nice: Int32, idle: Bool)] {
        #if os(Linux)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            // After the name come the state (field 3) … the nice value (field 19) … the policy (field 41).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 38, let nice = Int32(fields[16]), let policy = Int32(fields[38]) else { return nil }
            return (String(stat[stat.index(after: open)..<close]), nice, policy == idlePolicy)
        }
        #else
        return []
        #endif
    }

    /// The relay: one thread at the process's priority running the work lowered threads hand it, in order.
    /// `applyToCurrentThread` starts it before it lowers a thread, and a server starts it at start-up (`startRelay`);
    /// a first `async` from a thread lowered some other way would start it at that thread's priority.
    static let relay = ClosureThreads(threads: 1, name: { _ in "tw-relay" })
}
