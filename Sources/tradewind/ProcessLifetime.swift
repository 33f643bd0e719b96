import Synchronization

/// Values that a one-shot command leaves to the operating system at exit instead of freeing them itself.
///
/// A `backtest` process ends right after printing its result; releasing a ten-year run's tens of thousands of order
/// and trade records one by one (each with its strings) cost it about a millisecond just before exit, and the kernel
/// reclaims the whole address space at exit anyway. Only for commands that end after their output, never for a
/// server or a loop.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` alive until the process exits.
    static func keepUntilExit(_ value: some Sendable) {
        kept.withLock { $0.append(value) }
    }
}
