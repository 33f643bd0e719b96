import Synchronization

/// A flag that long-running work polls between its steps to stop early (set from another thread, a signal
/// handler's queue, or a `Task`'s cancellation handler by the `async` entry points).
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
