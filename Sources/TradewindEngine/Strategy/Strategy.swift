import TradewindCore

/// A trading strategy: the same code runs in backtests and, through the same context API, in paper and live
/// trading. Strategies are value types; the simulator owns the instance for the run and calls the hooks in
/// this order at each time step:
///
/// 0. `onEvent` for each scheduled event due at or before the bar's start (`TradingContext.schedule`), in
///    order of instant and then of scheduling, each followed by the notifications it caused; the context then
///    shows the event's instant and the bars before it, and market orders it submits fill at the next bar's open;
/// 1. `onSessionOpen` on the first bar of a session;
/// 2. `onOrderUpdate`/`onFill` for what happened to orders on this bar (fills at the open, stops, limits);
/// 3. `onBar` once per time step, with every symbol's current bar readable through the context;
/// 4. `onOrderUpdate`/`onFill` for close-of-bar fills (close-fill mode, market-on-close, flattening);
/// 5. on the last bar of a session: `onEvent` for the session's events not yet due (the bars after them are
///    missing; day and IOC orders placed there expire at once, as no bar of the session is left), then
///    `onSessionClose`.
///
/// So an event at 10:00 runs after every bar that started before 10:00 and before the bar that starts at 10:00,
/// whether or not that bar exists. `onStart` runs before the first bar and `onEnd` after the last. Every hook
/// has an empty default.
/// A hook that throws stops the run with `BacktestError.strategyFailed`, naming the hook, bar and symbol.
///
/// The context only exposes bars up to the current one: a strategy cannot read the future.
public protocol Strategy {
    /// The notifications the strategy handles: `onOrderUpdate` is called, with a snapshot of the order, only
    /// when this contains `.orderUpdates`, and `onFill` only with `.fills`. Default: both. A strategy that
    /// implements neither hook can declare `[]` and spare the simulator building snapshots nobody reads.
    static var notifications: StrategyNotifications { get }
    mutating func onStart(_ context: some TradingContext) throws
    mutating func onSessionOpen(_ context: some TradingContext) throws
    mutating func onBar(_ context: some TradingContext) throws
    mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws
    mutating func onFill(_ context: some TradingContext, fill: Fill) throws
    mutating func onSessionClose(_ context: some TradingContext) throws
    /// A scheduled event is due (see `TradingContext.schedule`).
    mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws
    mutating func onEnd(_ context: some TradingContext) throws
}

/// Which of `Strategy`'s notification hooks a strategy implements.
public struct StrategyNotifications: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// `onOrderUpdate`: every state change of every order.
    public static let orderUpdates = StrategyNotifications(rawValue: 1)
    /// `onFill`: every fill.
    public static let fills = StrategyNotifications(rawValue: 2)
    public static let all: StrategyNotifications = [.orderUpdates, .fills]
}

extension Strategy {
    @inlinable public static var notifications: StrategyNotifications { .all }
    @inlinable public mutating func onStart(_ context: some TradingContext) throws {}
    @inlinable public mutating func onSessionOpen(_ context: some TradingContext) throws {}
    @inlinable public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws {}
    @inlinable public mutating func onFill(_ context: some TradingContext, fill: Fill) throws {}
    @inlinable public mutating func onSessionClose(_ context: some TradingContext) throws {}
    @inlinable public mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws {}
    @inlinable public mutating func onEnd(_ context: some TradingContext) throws {}
}

/// A strategy that declares its parameters and can be built from a validated parameter set: what the CLI,
/// the optimizer and a UI list, validate and construct.
public protocol ParameterizedStrategy: Strategy {
    /// The catalog name (`sma-cross`).
    static var name: String { get }
    /// One line describing the rules.
    static var summary: String { get }
    static var parameterSpecs: [ParameterSpec] { get }
    /// Builds the strategy; throws `ParameterError.inconsistent` for rules across parameters.
    init(parameters: StrategyParameters) throws(ParameterError)
}
