import TradewindCore
import TradewindEngine

/// The bars of one time step: every symbol whose bar starts at `time` (symbol indices in the feed's `symbols` order).
public struct FeedStep: Sendable, Hashable {
    public let time: UnixNanos
    public let bars: ArraySlice<StreamedBar>

    public init(time: UnixNanos, bars: ArraySlice<StreamedBar>) {
        self.time = time
        self.bars = bars
    }
}

/// A source of market data for the runtime: bars as they complete, grouped by time step and delivered in batches
/// (one step at a time live; many per batch when replaying at full speed).
public protocol MarketFeed: Sendable {
    /// The symbols the feed delivers, sorted by name (a bar's `symbol` is an index into this list).
    var symbols: [String] { get }
    /// The length of the bars.
    var interval: BarInterval { get }
    /// The steps, in increasing time, until the feed ends (a replay) or the task is cancelled (live).
    func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error>
    /// True for a live feed, whose bars arrive as they complete in real time: the runtime then reports the feed's lag
    /// (the wall clock at a bar's arrival minus the bar's end). False (the default) for a replay.
    var isRealTime: Bool { get }
}

extension MarketFeed {
    public var isRealTime: Bool { false }
}
