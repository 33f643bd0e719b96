// TradewindCore: the domain vocabulary every other Tradewind module speaks.
//
// Owns: instants (Int64 nanoseconds since the Unix epoch, UTC), civil dates, time-zone rules,
// bar intervals, the column-wise `BarSeries`, multi-symbol `MarketDataset`s, trading sessions and the
// exchange calendars (NYSE) that define them; and the runtime facilities every layer shares: thread budgets
// for parallel work (`ThreadBudget`, `KernelThreads`), `DedicatedThread` for `async` entry points,
// `CancellationFlag`, reproducible random numbers (`SplitMix64`, `Xoshiro256StarStar`), `AtomicFile` and the
// opt-in allocator policy (`MemoryPolicy`).
//
// May import: the Swift standard library, Foundation, and the `CTradewindSystem` C shim (allocator controls) only. Nothing in Tradewind sits below it.

/// The Tradewind release the libraries belong to.
public enum TradewindRelease {
    /// The version of the Tradewind libraries.
    public static let version = "0.1.0"
}
