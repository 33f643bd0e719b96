import TradewindCore

/// Runs strategies over history.
public enum Backtest {
    /// Simulates `strategy` on `data` (every symbol, aligned on the union of their timestamps).
    ///
    /// Generic and `@inlinable` so that each strategy gets a specialised loop: no existential dispatch and
    /// no allocation per bar on the quiet path (no orders changing state).
    @inlinable
    public static func run<S: Strategy>(_ strategy: inout S, data: MarketDataset,
                                        config: BacktestConfig = BacktestConfig()) throws(BacktestError) -> BacktestResult {
        try config.validate()
        return try run(&strategy, market: PreparedMarket(data, config: config), config: config)
    }

    /// Simulates `strategy` on a market prepared once (`PreparedMarket`) for many runs. The result equals
    /// `run(_:data:config:)` on the same data; `config`'s session zone, hours, calendar and period must be the
    /// prepared ones (else `BacktestError.invalidConfiguration`).
    ///
    /// `cancel`, when given, is polled every `cancellationInterval` bars: once it is set the run stops there
    /// with `BacktestError.cancelled` (the `async` variants set it when their task is cancelled).
    @inlinable
    public static func run<S: Strategy>(_ strategy: inout S, market: PreparedMarket,
                                        config: BacktestConfig = BacktestConfig(),
                                        cancel: CancellationFlag? = nil) throws(BacktestError) -> BacktestResult {
        let ctx = try makeContext(market: market, config: config, notifications: S.notifications)
        // Within `config.threads`, a helper maps the result buffers' pages while the run writes them.
        let population = ctx.populateResultPages()
        // The context (whose lists the helper populates) lives until the helper has finished.
        defer { withExtendedLifetime(ctx) { population?.finish() } }
        do { try strategy.onStart(ctx) } catch { throw ctx.failure(error, hook: "onStart") }
        try deliver(&strategy, ctx)
        let n = ctx.stepCount
        var i = 0
        while i < n {
            if i & (cancellationInterval - 1) == 0, let cancel, cancel.isCancelled { throw .cancelled(step: i) }
            if ctx.eventsDue(beforeStep: i) { try fireEvents(&strategy, ctx, through: ctx.market.time[i], orDay: nil) }
            ctx.beginStep(i)
            if ctx.isSessionOpen {
                do { try strategy.onSessionOpen(ctx) } catch { throw ctx.failure(error, hook: "onSessionOpen") }
            }
            if ctx.hasNotices { try deliver(&strategy, ctx) }
            if ctx.hasIndicators { ctx.updateIndicators() }
            do { try strategy.onBar(ctx) } catch { throw ctx.failure(error, hook: "onBar") }
            ctx.endStep()
            if ctx.hasNotices { try deliver(&strategy, ctx) }
            if ctx.isSessionClose {
                if ctx.sessionEventsPending { try fireEvents(&strategy, ctx, through: ctx.time, orDay: ctx.dayKey) }
                do { try strategy.onSessionClose(ctx) } catch { throw ctx.failure(error, hook: "onSessionClose") }
            }
            i += 1
        }
        do { try strategy.onEnd(ctx) } catch { throw ctx.failure(error, hook: "onEnd") }
        return ctx.result()
    }

    /// Bars between two polls of a run's `CancellationFlag` (a power of two).
    public static let cancellationInterval = 1 << 10

    @inlinable
    public static func run<S: Strategy>(_ strategy: S, data: MarketDataset,
                                        config: BacktestConfig = BacktestConfig()) throws(BacktestError) -> BacktestResult {
        var s = strategy
        return try run(&s, data: data, config: config)
    }

    @usableFromInline
    static func makeContext(market: PreparedMarket, config: BacktestConfig,
                            notifications: StrategyNotifications) throws(BacktestError) -> SimulationContext {
        try config.validate()
        guard market.matches(config) else {
            throw BacktestError.invalidConfiguration(
                "the market was prepared for another session or period (zone, hours, calendar, from, to); prepare it with this configuration")
        }
        return SimulationContext(market: market.columns, config: config, notifications: notifications,
                               sizeHints: market.sizeHints)
    }

    /// Runs the handlers of the events due through `limit` (or, with `orDay`, every pending event of that
    /// session), each followed by the notifications it caused.
    @inlinable
    static func fireEvents<S: Strategy>(_ strategy: inout S, _ ctx: SimulationContext, through limit: UnixNanos,
                                        orDay day: Int64?) throws(BacktestError) {
        ctx.afterSessionsLastBar = day != nil
        defer { ctx.afterSessionsLastBar = false }
        while let event = ctx.takeDueEvent(through: limit, orDay: day) {
            let eventContext = ctx.eventContext(event)
            do { try strategy.onEvent(eventContext, event: ScheduledEventID(rawValue: event.id)) } catch {
                ctx.endEvent()
                throw ctx.failure(error, hook: "onEvent")
            }
            ctx.endEvent()
            if ctx.hasNotices { try deliver(&strategy, ctx) }
        }
    }

    @inlinable
    static func deliver<S: Strategy>(_ strategy: inout S, _ ctx: SimulationContext) throws(BacktestError) {
        while let notice = ctx.nextNotice() {
            switch notice {
            case .order(let k):
                do { try strategy.onOrderUpdate(ctx, order: ctx.orderSnapshot(event: k)) } catch { throw ctx.failure(error, hook: "onOrderUpdate") }
            case .fill(let k):
                do { try strategy.onFill(ctx, fill: ctx.fill(at: k)) } catch { throw ctx.failure(error, hook: "onFill") }
            }
        }
    }
}
