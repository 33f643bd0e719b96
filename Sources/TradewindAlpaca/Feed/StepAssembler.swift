import TradewindCore
import TradewindEngine
import TradewindLive

/// A bar with its start time.
struct StreamedBarAt: Sendable {
    let time: UnixNanos
    let bar: StreamedBar
}

/// Groups bars arriving one by one into time steps: a step is complete when every symbol's bar for it arrived, or
/// when a bar of a later time shows the others are not coming. Steps come out in time order, once; a bar for a step
/// already given out (a late or repeated message) is dropped.
struct StepAssembler {
    let symbols: [String]
    private var pending: [UnixNanos: [Int: StreamedBar]] = [:]
    private(set) var latest: UnixNanos?

    /// `after`: the latest step already given out elsewhere (a warm-up's history), so later bars continue from it.
    init(symbols: [String], after: UnixNanos? = nil) {
        self.symbols = symbols
        latest = after
    }

    /// Adds a bar; false when it was dropped (its step was already given out). A bar repeated for a step still
    /// pending replaces the earlier one.
    @discardableResult
    mutating func add(_ symbol: String, _ b: StreamedBarAt) -> Bool {
        if let latest, b.time <= latest { return false }
        pending[b.time, default: [:]][b.bar.symbol] = b.bar
        return true
    }

    /// The steps now complete: full ones, and every one older than `flushBefore`.
    mutating func completeSteps(flushBefore: UnixNanos) -> [FeedStep] {
        var out: [FeedStep] = []
        for t in pending.keys.sorted() {
            guard let bars = pending[t] else { continue }
            guard bars.count == symbols.count || t < flushBefore else { break }
            pending[t] = nil
            let sorted = bars.keys.sorted().map { bars[$0]! }
            out.append(FeedStep(time: t, bars: sorted[...]))
            latest = t
        }
        return out
    }
}
