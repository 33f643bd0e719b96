import TradewindCore
import TradewindIndicators

/// What a strategy sees and does, in a backtest, in paper trading and live: the market up to now, the
/// portfolio, the orders, and the clock. The simulator's `SimulationContext` is one implementation; the
/// live runtime is another. A strategy written against this protocol runs unchanged on either.
///
/// Strategy hooks receive the context as `some TradingContext`, so each run is specialised for its
/// implementation: no existential dispatch on the per-bar path.
///
/// Symbols are addressed by a cheap handle, their index (`0..<symbolCount`, in `symbols` order); map a name
/// once with `symbolIndex(_:)` in `onStart`. At each step a symbol either has a bar starting at this instant
/// (`hasBar`) or only an earlier one (the prices then are its latest bar's, stale): the two are distinguishable.
///
/// Every accessor reports only what is known at the current instant: bars up to now, never later ones; the
/// context knows nothing a finished data set alone would know (not how many bars remain).
public protocol TradingContext: AnyObject {
    // MARK: Universe and time

    /// The symbols, sorted by name; a symbol's index is its position here.
    var symbols: [String] { get }
    var symbolCount: Int { get }
    /// The index of `name`, nil when the run does not trade it.
    func symbolIndex(_ name: String) -> Int?
    /// The number of time steps processed before this one (0 on the first): a counter, not an index into
    /// future data.
    var step: Int { get }
    /// The current instant (UTC nanoseconds): the current bar's start, or a scheduled event's instant while
    /// its handler runs.
    var time: UnixNanos { get }
    /// True on the first in-session bar of a session.
    var isSessionOpen: Bool { get }
    /// True on the last in-session bar of a session (known from the exchange's hours).
    var isSessionClose: Bool { get }
    /// True when the current bar is inside regular trading hours.
    var isInSession: Bool { get }
    /// The local calendar date of the current instant in the session zone.
    var sessionDate: CivilDate { get }
    /// `sessionDate` as a day number (days since 1970-01-01), without the calendar arithmetic: the cheap key for
    /// "is this still the same session day" checks on every bar. Defaults to `sessionDate.daysSinceEpoch`.
    var sessionDay: Int { get }
    /// Minutes after local midnight of the current instant, in the session zone (600 = 10:00).
    var minuteOfDay: Int { get }

    // MARK: Bars

    /// True when `symbol` has a bar starting exactly at this step (otherwise its prices are its latest bar's).
    func hasBar(_ symbol: Int) -> Bool
    /// Index of the symbol's latest bar at or before now (-1 before its first bar).
    func barIndex(_ symbol: Int) -> Int
    /// The latest bar's prices (NaN before the symbol's first bar).
    func open(_ symbol: Int) -> Double
    func high(_ symbol: Int) -> Double
    func low(_ symbol: Int) -> Double
    func close(_ symbol: Int) -> Double
    func volume(_ symbol: Int) -> Double
    /// The symbol's bars up to and including the latest one.
    func history(_ symbol: Int) -> BarHistory

    // MARK: Portfolio

    /// Signed position (negative = short), in units.
    func position(_ symbol: Int) -> Double
    /// Average entry price of the open position (0 when flat).
    func averageEntryPrice(_ symbol: Int) -> Double
    var cash: Double { get }
    /// Cash plus positions marked at the latest prices.
    var equity: Double { get }
    /// The capital the run started with.
    var initialCash: Double { get }

    // MARK: Orders

    /// Submits an order. Invalid requests are rejected at once (the order's status says so, with the reason).
    @discardableResult func submit(_ request: OrderRequest) -> OrderID
    /// An entry with a take-profit limit and/or a stop-loss stop that cancel each other once the entry fills.
    @discardableResult func bracket(_ entry: OrderRequest, takeProfit: Double?, stopLoss: Double?,
                                    exitTimeInForce: TimeInForce) -> BracketIDs
    /// Orders that cancel each other: the first (partial) fill of any cancels the rest.
    @discardableResult func oco(_ requests: [OrderRequest]) -> [OrderID]
    /// Cancels a live order; false when it is already final.
    @discardableResult func cancel(_ id: OrderID) -> Bool
    /// Cancel-and-replace with a changed type and/or size; nil when the order is already final.
    @discardableResult func replace(_ id: OrderID, type: OrderType?, size: OrderSize?) -> OrderID?
    /// The current state of an order.
    func order(_ id: OrderID) -> Order
    /// The current status of an order.
    func orderStatus(_ id: OrderID) -> OrderStatus
    /// Orders that can still fill.
    var openOrders: [Order] { get }

    // MARK: Indicators

    /// Registers a streaming indicator (`TradewindIndicators`) once, typically in `onStart`: the context keeps one
    /// state per symbol, feeds it the symbol's close on each of its bars before `onBar`, and keeps the values for
    /// reports (drawn on `pane`). Read the latest value with `value(_:_:)`.
    func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == Double
    /// Registers an indicator of whole bars (OHLCV: ATR, STOCH, DONCHIAN, …), fed each symbol's bar.
    func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == OHLCV
    /// The latest value of a registered indicator for `symbol`: nil inside its lookback or before the symbol's first bar.
    func value<I: StreamingIndicator>(_ handle: IndicatorHandle<I>, _ symbol: Int) -> I.Output?

    // MARK: Clock

    /// Asks for `Strategy.onEvent` calls at the instants `schedule` describes, from the next one after now
    /// (call it in `onStart` for the whole run). Returns the id passed to `onEvent`. Throws when the schedule's
    /// numbers are out of range or the run has no sessions to place it in.
    @discardableResult func schedule(_ schedule: EventSchedule) throws(ScheduleError) -> ScheduledEventID
}

/// The ids of a bracket: the entry and its exit children (which form an OCO group).
public struct BracketIDs: Sendable, Hashable {
    public let entry: OrderID
    public let takeProfit: OrderID?
    public let stopLoss: OrderID?

    public init(entry: OrderID, takeProfit: OrderID?, stopLoss: OrderID?) {
        self.entry = entry
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
    }
}

extension TradingContext {
    /// `sessionDate.daysSinceEpoch` (an implementation that knows the day number directly returns it instead).
    @inlinable public var sessionDay: Int { sessionDate.daysSinceEpoch }

    @inlinable @discardableResult
    public func buy(_ symbol: Int, _ size: OrderSize, _ type: OrderType = .market, tif: TimeInForce = .gtc,
                    tag: String = "") -> OrderID {
        submit(.buy(symbol, size, type, tif: tif, tag: tag))
    }

    @inlinable @discardableResult
    public func sell(_ symbol: Int, _ size: OrderSize, _ type: OrderType = .market, tif: TimeInForce = .gtc,
                     tag: String = "") -> OrderID {
        submit(.sell(symbol, size, type, tif: tif, tag: tag))
    }

    /// Closes the whole position with a market order (nil when flat).
    @inlinable @discardableResult
    public func closePosition(_ symbol: Int, tag: String = "close") -> OrderID? {
        let q = position(symbol)
        if q == 0 { return nil }
        return submit(OrderRequest(symbol: symbol, side: q > 0 ? .sell : .buy, size: .closePosition, tag: tag))
    }

    @inlinable @discardableResult
    public func bracket(_ entry: OrderRequest, takeProfit: Double?, stopLoss: Double?) -> BracketIDs {
        bracket(entry, takeProfit: takeProfit, stopLoss: stopLoss, exitTimeInForce: .gtc)
    }

    /// Cancel-and-replace with a new type, same size.
    @inlinable @discardableResult
    public func replace(_ id: OrderID, type: OrderType) -> OrderID? {
        replace(id, type: type, size: nil)
    }

    /// Cancel-and-replace with a new size, same type.
    @inlinable @discardableResult
    public func replace(_ id: OrderID, size: OrderSize) -> OrderID? {
        replace(id, type: nil, size: size)
    }
}
