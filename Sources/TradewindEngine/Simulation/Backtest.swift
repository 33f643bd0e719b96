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
        let ctx = try makeContext(data: data, config: config)
        do { try strategy.onStart(ctx) } catch { throw ctx.failure(error, hook: "onStart") }
        try deliver(&strategy, ctx)
        let n = ctx.stepCount
        var i = 0
        while i < n {
            ctx.beginStep(i)
            if ctx.isSessionOpen {
                do { try strategy.onSessionOpen(ctx) } catch { throw ctx.failure(error, hook: "onSessionOpen") }
            }
            if ctx.hasNotices { try deliver(&strategy, ctx) }
            do { try strategy.onBar(ctx) } catch { throw ctx.failure(error, hook: "onBar") }
            ctx.endStep()
            if ctx.hasNotices { try deliver(&strategy, ctx) }
            if ctx.isSessionClose {
                do { try strategy.onSessionClose(ctx) } catch { throw ctx.failure(error, hook: "onSessionClose") }
            }
            i += 1
        }
        do { try strategy.onEnd(ctx) } catch { throw ctx.failure(error, hook: "onEnd") }
        return ctx.result()
    }

    /// Convenience: runs a copy of `strategy`.
    @inlinable
    public static func run<S: Strategy>(_ strategy: S, data: MarketDataset,
                                        config: BacktestConfig = BacktestConfig()) throws(BacktestError) -> BacktestResult {
        var s = strategy
        return try run(&s, data: data, config: config)
    }

    @usableFromInline
    static func makeContext(data: MarketDataset, config: BacktestConfig) throws(BacktestError) -> StrategyContext {
        try config.validate()
        let market = try MarketColumns(dataset: data, session: config.session, from: config.from, to: config.to)
        return StrategyContext(market: market, config: config)
    }

    @inlinable
    static func deliver<S: Strategy>(_ strategy: inout S, _ ctx: StrategyContext) throws(BacktestError) {
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
