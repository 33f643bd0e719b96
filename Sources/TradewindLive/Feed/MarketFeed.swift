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
    /// Up to `count` steps of history just before the feed's first step, oldest first: a run's warm-up
    /// (`BacktestConfig.warmup`, `Warmup`), taken as a backtest takes it (the last `count` instants at which any
    /// symbol has a bar, `Warmup.lastSteps`). Called once, before `steps()`, whose first step then follows the last
    /// of them with no gap and no repeat. Fewer (none by default) when the feed has less history.
    func warmupSteps(_ count: Int) async throws -> [FeedStep]
}

extension MarketFeed {
    public var isRealTime: Bool { false }
    public func warmupSteps(_ count: Int) async throws -> [FeedStep] { [] }
}

extension FeedStep {
    /// The time steps of `series` (every instant at which any of them has a bar, in order; a bar's `symbol` is its
    /// series' index in `series`): a k-way walk over the sorted times, every bar in one array, each step a slice of it.
    public static func steps(of series: [BarSeries]) -> [FeedStep] {
        var next = Array(repeating: 0, count: series.count)
        var bars: [StreamedBar] = []
        bars.reserveCapacity(series.reduce(0) { $0 + $1.count })
        var bounds: [(time: UnixNanos, start: Int)] = []
        while true {
            var t = UnixNanos.max
            for (s, x) in series.enumerated() where next[s] < x.count { t = min(t, x.time[next[s]]) }
            if t == .max { break }
            bounds.append((t, bars.count))
            for (s, x) in series.enumerated() where next[s] < x.count && x.time[next[s]] == t {
                let k = next[s]
                bars.append(StreamedBar(symbol: s, open: x.open[k], high: x.high[k], low: x.low[k], close: x.close[k],
                                        volume: x.volume[k], dividend: x.dividend?[k] ?? 0,
                                        splitCoefficient: x.splitCoefficient?[k] ?? 1))
                next[s] += 1
            }
        }
        return bounds.indices.map { i in
            let end = i + 1 < bounds.count ? bounds[i + 1].start : bars.count
            return FeedStep(time: bounds[i].time, bars: bars[bounds[i].start..<end])
        }
    }
}
