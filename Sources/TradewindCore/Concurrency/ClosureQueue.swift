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
