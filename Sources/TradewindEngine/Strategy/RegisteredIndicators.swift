import TradewindCore
import TradewindIndicators

/// Where a registered indicator is drawn in reports: over the prices, or in a pane of its own.
public enum IndicatorPane: String, Sendable, Hashable, Codable {
    case price, separate
}

/// A registered indicator, for reading its latest value per symbol (`TradingContext.value(_:_:)`).
public struct IndicatorHandle<Indicator: StreamingIndicator>: Sendable, Hashable {
    /// The registration's position in its context.
    public let index: Int
    public init(index: Int) { self.index = index }
}

/// One registered indicator's values over a run, for one symbol: one value per bar of the symbol the run saw (NaN
/// inside the lookback), each output a column.
public struct IndicatorSeries: Sendable, Hashable {
    public let name: String
    public let symbol: Int
    public let pane: IndicatorPane
    /// The indicator's output names (TA-Lib's, e.g. `upperband`, `middleband`, `lowerband`).
    public let outputNames: [String]
    /// The bar start of each value.
    public let time: [UnixNanos]
    /// `values[output][k]`: output `output` at the symbol's `k`-th bar of the run.
    public let values: [[Double]]
}

/// The simulator's store of registered indicators: one state per symbol, fed each symbol's bar before `onBar` on the
/// steps where the symbol has a bar, with the values kept for reports. Empty (and free) for strategies that register
/// none.
@usableFromInline
final class RegisteredIndicators {
    var boxes: [any IndicatorBoxing] = []
    /// Mirrors `boxes.isEmpty` for the inlined step loop.
    @usableFromInline var isEmpty = true

    func update(_ context: SimulationContext) {
        for box in boxes { box.update(context) }
    }

    func series() -> [IndicatorSeries] { boxes.flatMap { $0.series() } }
}

protocol IndicatorBoxing: AnyObject {
    func update(_ context: SimulationContext)
    func series() -> [IndicatorSeries]
}

/// One registration: the indicator's state per symbol and what it has produced.
final class IndicatorBox<I: StreamingIndicator>: IndicatorBoxing {
    let name: String
    let pane: IndicatorPane
    let feed: (SimulationContext, Int) -> I.Input
    var states: [I]
    var latest: [I.Output?]
    var times: [[UnixNanos]]
    var columns: [[[Double]]]

    init(_ indicator: I, name: String, pane: IndicatorPane, symbols: Int, feed: @escaping (SimulationContext, Int) -> I.Input) {
        self.name = name
        self.pane = pane
        self.feed = feed
        states = Array(repeating: indicator, count: symbols)
        latest = Array(repeating: nil, count: symbols)
        times = Array(repeating: [], count: symbols)
        columns = Array(repeating: Array(repeating: [], count: I.Output.outputNames.count), count: symbols)
    }

    func update(_ context: SimulationContext) {
        let width = I.Output.outputNames.count
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let out = states[s].update(feed(context, s))
            latest[s] = out
            times[s].append(context.time)
            for c in 0..<width { columns[s][c].append(out?.component(c) ?? .nan) }
        }
    }

    func series() -> [IndicatorSeries] {
        states.indices.map { s in
            IndicatorSeries(name: name, symbol: s, pane: pane, outputNames: I.Output.outputNames, time: times[s], values: columns[s])
        }
    }
}

extension SimulationContext {
    /// Registers `indicator`, fed each symbol's close on every bar of that symbol before `onBar`.
    public func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == Double {
        add(IndicatorBox(indicator, name: name, pane: pane, symbols: symbolCount) { c, s in c.close(s) })
    }

    /// Registers `indicator`, fed each symbol's bar (OHLCV) on every bar of that symbol before `onBar`.
    public func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == OHLCV {
        add(IndicatorBox(indicator, name: name, pane: pane, symbols: symbolCount) { c, s in
            OHLCV(open: c.open(s), high: c.high(s), low: c.low(s), close: c.close(s), volume: c.volume(s))
        })
    }

    /// The latest value of a registered indicator for `symbol` (nil in its lookback, before the symbol's first bar,
    /// or for a handle this context did not give out).
    public func value<I: StreamingIndicator>(_ handle: IndicatorHandle<I>, _ symbol: Int) -> I.Output? {
        guard registered.boxes.indices.contains(handle.index), symbol >= 0, symbol < symbolCount,
              let box = registered.boxes[handle.index] as? IndicatorBox<I> else { return nil }
        return box.latest[symbol]
    }

    private func add<I: StreamingIndicator>(_ box: IndicatorBox<I>) -> IndicatorHandle<I> {
        registered.boxes.append(box)
        registered.isEmpty = false
        return IndicatorHandle(index: registered.boxes.count - 1)
    }

    /// Feeds the registered indicators this step's bars (called before `onBar` when there are any).
    @usableFromInline func updateIndicators() { registered.update(self) }
}
