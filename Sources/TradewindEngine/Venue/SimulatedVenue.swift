import TradewindCore

/// What the simulated venue reports, in the order it happened: an order-log entry (with the order as it stands) or
/// a fill.
public enum VenueEvent: Sendable {
    case order(OrderEvent, Order)
    case fill(Fill)
}

/// An exchange simulated bar by bar with the engine's own fill models, costs, intrabar rules, account checks and
/// session rules: the paper broker's matching engine. It holds the account (cash, positions) as a broker does; its
/// order ids are its own.
///
/// Drive it with the market's steps: `openBar` (matching at the bar's prices, as a backtest does before
/// `onBar`), orders, `endBar` (fills at the close; on a session's last bar market-on-close, flattening and DAY
/// expiry), `closeSession` when the session turns out to have ended, and `drainEvents` for what happened.
public final class SimulatedVenue {
    /// The simulator holding the venue's orders and account.
    public let simulation: SimulationContext

    /// A venue for `symbols` (in this order: orders name symbols by index) trading bars of `interval` under `config`
    /// (cash, account model, costs, fill timing, intrabar policy, sessions; the period bounds are ignored).
    public init(symbols: [String], interval: BarInterval, config: BacktestConfig) throws(BacktestError) {
        simulation = try SimulationContext.streaming(symbols: symbols, interval: interval, config: config,
                                                     notifications: .all, router: nil)
    }

    /// True when the open session ended before `t` (call `closeSession` before `openBar` at `t`).
    public func sessionEnds(before t: UnixNanos) -> Bool { simulation.sessionEnds(before: t) }

    /// Adds the bars starting at `t` and matches the working orders against them.
    public func openBar(_ t: UnixNanos, bars: ArraySlice<StreamedBar>) throws(StreamingError) {
        try simulation.appendStreamedStep(t, bars: bars)
        simulation.beginStep(simulation.steps - 1)
    }

    /// Fills at this bar's close (close-fill orders; on a session's last bar market-on-close, flattening, DAY expiry).
    public func endBar() {
        simulation.endStep()
    }

    /// The open session ended after the latest bar: its close-of-session work now.
    public func closeSession() {
        simulation.markSessionLast()
        simulation.endStep()
    }

    @discardableResult
    public func submit(_ request: OrderRequest) -> OrderID { simulation.submit(request) }

    @discardableResult
    public func bracket(_ entry: OrderRequest, takeProfit: Double?, stopLoss: Double?, exitTimeInForce: TimeInForce) -> BracketIDs {
        simulation.bracket(entry, takeProfit: takeProfit, stopLoss: stopLoss, exitTimeInForce: exitTimeInForce)
    }

    @discardableResult
    public func oco(_ requests: [OrderRequest]) -> [OrderID] { simulation.oco(requests) }

    @discardableResult
    public func cancel(_ id: OrderID) -> Bool { simulation.cancel(id) }

    @discardableResult
    public func replace(_ id: OrderID, type: OrderType?, size: OrderSize?) -> OrderID? {
        simulation.replace(id, type: type, size: size)
    }

    /// True when events wait to be drained.
    public var hasEvents: Bool { simulation.hasNotices }

    /// Appends what happened since the last call, in order, to `events`.
    public func drainEvents(into events: inout [VenueEvent]) {
        while let notice = simulation.nextNotice() {
            switch notice {
            case .order(let k):
                let e = simulation.log[k]
                events.append(.order(e, simulation.orders[e.orderID]))
            case .fill(let k):
                events.append(.fill(simulation.fillList[k]))
            }
        }
    }
}
