import TradewindCore

extension SimulationContext {
    /// A context over a market that grows a step at a time (live or replayed bars) instead of a finished dataset.
    ///
    /// With `router` nil it simulates execution exactly as a backtest does (the paper venue, `SimulatedVenue`);
    /// with a router its orders go out through the router and the venue's reports come back through `apply(_:)`
    /// (the live runtime). Either way the books, trades, equity curve, indicators and scheduled events are the
    /// simulator's own, so a run fed the bars of a dataset records what `Backtest.run` records on it.
    public static func streaming(symbols: [String], interval: BarInterval, config: BacktestConfig,
                                 notifications: StrategyNotifications = .all,
                                 router: (any OrderRouter)? = nil) throws(BacktestError) -> SimulationContext {
        try config.validate()
        guard !symbols.isEmpty else { throw .noData("no symbols to trade") }
        guard Set(symbols).count == symbols.count else {
            throw .invalidConfiguration("symbols repeat: \(symbols.joined(separator: ", "))")
        }
        let market = MarketColumns(streaming: symbols, session: config.session, interval: interval)
        return SimulationContext(market: market, config: config, notifications: notifications, sizeHints: nil,
                                 router: router)
    }

    /// True when the session that is open has ended before an instant `t` (a later day, or outside regular hours):
    /// its last step must be closed (`StreamingRun.closeSession`, `SimulatedVenue.closeSession`) before a step at `t`.
    public func sessionEnds(before t: UnixNanos) -> Bool { market.sessionEnds(before: t) }

    /// Marks the open session's latest step as its last.
    @usableFromInline func markSessionLast() { market.markSessionLast() }

    /// The latest step's instant (nil before the first step).
    public var latestStepTime: UnixNanos? { market.stepCount > 0 ? market.time[market.stepCount - 1] : nil }

    /// The zone of the run's sessions (local times, days).
    public var sessionZone: ZoneRules { config.session.zone }

    /// Number of fills so far.
    public var fillCount: Int { fillList.count }

    /// Number of steps the market holds.
    public var steps: Int { market.stepCount }

    /// Adds the next step's bars to a streamed market and its row to the records; a new day places its session's
    /// scheduled events.
    @usableFromInline
    func appendStreamedStep(_ t: UnixNanos, bars: ArraySlice<StreamedBar>) throws(StreamingError) {
        let previous = latestStepTime
        try market.appendStep(t, bars: bars)
        let i = market.stepCount - 1
        equityColumn.append(0)
        for s in 0..<market.symbolCount { heldColumns[s].append(0) }
        if market.flags[i] & MarketColumns.newDay != 0 && market.intraday {
            addSessionEvents(day: market.day[i], after: previous ?? .min)
        }
    }

    /// The run's results so far (every step recorded; open positions as open trades).
    public func resultSoFar() -> BacktestResult {
        guard market.stepCount > 0 else {
            return BacktestResult(
                symbols: market.symbols, config: config, initialCash: config.initialCash,
                equity: .empty,
                positions: Array(repeating: [], count: market.symbolCount), trades: [], orders: orders, orderLog: keepsOrderLog ? log : [],
                fills: keepsOrderLog ? fillList : [], totalCommission: totals.commission, totalSlippage: totals.slippage,
                totalFinancing: totals.financing, totalDividends: totals.dividends)
        }
        // `result()` records every step through the latest (rows that later steps continue from) and books open
        // positions as open trades, which changes their bookkeeping: keep the books as they were.
        let snapshot = (0..<market.symbolCount).map { books[$0] }
        let result = result()
        for s in 0..<market.symbolCount { books[s] = snapshot[s] }
        return result
    }
}

/// A strategy run over a streamed market, phase by phase, in the order `Backtest.run` calls them, so that a
/// runtime can put its venue's work between the phases (see `TradewindLive`). One step:
///
/// 1. `closeSession(…)` when `context.sessionEnds(before: t)` (the venue closes its session first);
/// 2. `appendStep(t, bars:)`, then `fireDueEvents()` (events due at or before the bar's start);
/// 3. the venue matches its working orders on the new bar; `beginStep()`; the venue's reports are applied;
/// 4. `runBar()`: `onSessionOpen`, notifications, indicators, `onBar`;
/// 5. the venue fills at the close (and, on a session's known last bar, flattens and expires DAY orders); its reports
///    are applied; `completeBar()`: notifications and, on a session's last bar, `onSessionClose`.
///
/// `finish()` calls `onEnd` and returns the results in `BacktestResult` form.
public final class StreamingRun<S: Strategy> {
    public let context: SimulationContext
    /// The strategy's state (the run owns it).
    @usableFromInline var strategyState: S
    public var strategy: S { strategyState }

    public init(_ strategy: S, context: SimulationContext) {
        strategyState = strategy
        self.context = context
    }

    /// `onStart`, then the notifications it caused.
    @inlinable public func start() throws(BacktestError) {
        do { try strategyState.onStart(context) } catch { throw context.failure(error, hook: "onStart") }
        try Backtest.deliver(&strategyState, context)
    }

    /// Adds the bars of the step at `t`.
    @inlinable public func appendStep(_ t: UnixNanos, bars: ArraySlice<StreamedBar>) throws(StreamingError) {
        try context.appendStreamedStep(t, bars: bars)
    }

    /// Runs the scheduled events due at or before the latest step's start (call after `appendStep`).
    @inlinable public func fireDueEvents() throws(BacktestError) {
        let i = context.steps - 1
        guard i >= 0, context.eventsDue(beforeStep: i) else { return }
        try Backtest.fireEvents(&strategyState, context, through: context.market.time[i], orDay: nil)
    }

    /// Runs the scheduled events due at or before `t` without a new step: a live clock's tick between bars. The
    /// strategy sees the latest bars, as in a backtest, where those events run just before the next step; an event
    /// placed between two bar starts runs here before the bar in progress, which has not completed yet.
    @inlinable public func fireEvents(through t: UnixNanos) throws(BacktestError) {
        guard context.steps > 0, context.eventsDue(at: t) else { return }
        try Backtest.fireEvents(&strategyState, context, through: t, orDay: nil)
    }

    /// Moves the context to the latest step (the symbols' current bars; a simulating context matches its orders).
    @inlinable public func beginStep() {
        context.beginStep(context.steps - 1)
    }

    /// `onSessionOpen` on a session's first bar, the notifications so far, the indicators, then `onBar`.
    @inlinable public func runBar() throws(BacktestError) {
        if context.isSessionOpen {
            do { try strategyState.onSessionOpen(context) } catch { throw context.failure(error, hook: "onSessionOpen") }
        }
        if context.hasNotices { try Backtest.deliver(&strategyState, context) }
        if context.hasIndicators { context.updateIndicators() }
        do { try strategyState.onBar(context) } catch { throw context.failure(error, hook: "onBar") }
    }

    /// After `onBar`: a simulating context's close-of-bar work (close fills, and on a session's last bar
    /// market-on-close, flattening and DAY expiry).
    @inlinable public func endBar() {
        context.endStep()
    }

    /// The notifications of the bar's end, then, on a session's known last bar, the session's remaining events and
    /// `onSessionClose`.
    @inlinable public func completeBar() throws(BacktestError) {
        if context.hasNotices { try Backtest.deliver(&strategyState, context) }
        if context.isSessionClose { try closeSessionHooks() }
    }

    /// The open session ended after the latest step (found out from the clock or the next bar's time): marks that
    /// step as the session's last and runs its close-of-session work. `venue`, run between marking and the hooks,
    /// is where the runtime lets its venue close the session and applies what it reports.
    @inlinable public func closeSession(venue: () throws(BacktestError) -> Void = {}) throws(BacktestError) {
        context.markSessionLast()
        context.endStep()
        try venue()
        if context.hasNotices { try Backtest.deliver(&strategyState, context) }
        try closeSessionHooks()
    }

    @inlinable func closeSessionHooks() throws(BacktestError) {
        if context.sessionEventsPending {
            try Backtest.fireEvents(&strategyState, context, through: context.time, orDay: context.dayKey)
        }
        do { try strategyState.onSessionClose(context) } catch { throw context.failure(error, hook: "onSessionClose") }
    }

    /// Delivers the notifications waiting (reports applied between phases).
    @inlinable public func deliverNotifications() throws(BacktestError) {
        if context.hasNotices { try Backtest.deliver(&strategyState, context) }
    }

    /// `onEnd`, then the results of the whole run.
    @inlinable public func finish() throws(BacktestError) -> BacktestResult {
        do { try strategyState.onEnd(context) } catch { throw context.failure(error, hook: "onEnd") }
        return context.resultSoFar()
    }
}

/// What a streamed run is set up with: the symbols and bar length of its feed, the settings, and where its orders
/// go (nil: simulated in the context).
public struct StreamingSetup {
    public let symbols: [String]
    public let interval: BarInterval
    public let config: BacktestConfig
    public let router: (any OrderRouter)?

    public init(symbols: [String], interval: BarInterval, config: BacktestConfig, router: (any OrderRouter)?) {
        self.symbols = symbols
        self.interval = interval
        self.config = config
        self.router = router
    }
}

/// A `StreamingRun` of any strategy type behind closures, so that a runtime that cannot name the type (a strategy
/// picked from a catalog by name) still runs code specialised for it: the closures are made where the type is known
/// (`init(_:setup:)` is inlinable), and each phase costs one indirect call.
public struct StreamingDriver {
    public let context: SimulationContext
    public let start: () throws(BacktestError) -> Void
    public let appendStep: (UnixNanos, ArraySlice<StreamedBar>) throws(StreamingError) -> Void
    public let fireDueEvents: () throws(BacktestError) -> Void
    public let fireEventsThrough: (UnixNanos) throws(BacktestError) -> Void
    public let beginStep: () -> Void
    public let runBar: () throws(BacktestError) -> Void
    public let endBar: () -> Void
    public let completeBar: () throws(BacktestError) -> Void
    public let closeSession: (() throws(BacktestError) -> Void) throws(BacktestError) -> Void
    public let deliverNotifications: () throws(BacktestError) -> Void
    public let finish: () throws(BacktestError) -> BacktestResult

    /// A run of `strategy` on a streamed context made from `setup` (with the strategy's notifications).
    @inlinable
    public init<S: Strategy>(_ strategy: S, setup: StreamingSetup) throws(BacktestError) {
        let context = try SimulationContext.streaming(symbols: setup.symbols, interval: setup.interval, config: setup.config,
                                                      notifications: S.notifications, router: setup.router)
        let run = StreamingRun(strategy, context: context)
        self.context = context
        start = { () throws(BacktestError) in try run.start() }
        appendStep = { (t, bars) throws(StreamingError) in try run.appendStep(t, bars: bars) }
        fireDueEvents = { () throws(BacktestError) in try run.fireDueEvents() }
        fireEventsThrough = { (t) throws(BacktestError) in try run.fireEvents(through: t) }
        beginStep = { run.beginStep() }
        runBar = { () throws(BacktestError) in try run.runBar() }
        endBar = { run.endBar() }
        completeBar = { () throws(BacktestError) in try run.completeBar() }
        closeSession = { (venue) throws(BacktestError) in try run.closeSession(venue: venue) }
        deliverNotifications = { () throws(BacktestError) in try run.deliverNotifications() }
        finish = { () throws(BacktestError) in try run.finish() }
    }
}
