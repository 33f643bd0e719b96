import TradewindCore

extension Backtest {
    /// `run(_:data:config:)` for `async` callers: preparing the data and the simulation run on a thread of
    /// their own (`DedicatedThread`), never on Swift's cooperative pool, and the result is the synchronous
    /// call's. Cancelling the calling task stops the run within `cancellationInterval` bars with
    /// `BacktestError.cancelled`.
    public static func run<S: Strategy & SendableMetatype>(
        _ strategy: sending S, data: MarketDataset, config: BacktestConfig = BacktestConfig()
    ) async throws(BacktestError) -> BacktestResult {
        let cancel = CancellationFlag()
        return try await DedicatedThread.run(name: "tw-backtest", cancel: cancel) { () throws(BacktestError) -> BacktestResult in
            try config.validate()
            var s = strategy
            return try run(&s, market: PreparedMarket(data, config: config), config: config, cancel: cancel)
        }
    }

    /// `run(_:market:config:)` for `async` callers, on a thread of its own (see `run(_:data:config:)`).
    public static func run<S: Strategy & SendableMetatype>(
        _ strategy: sending S, market: PreparedMarket, config: BacktestConfig = BacktestConfig()
    ) async throws(BacktestError) -> BacktestResult {
        let cancel = CancellationFlag()
        return try await DedicatedThread.run(name: "tw-backtest", cancel: cancel) { () throws(BacktestError) -> BacktestResult in
            var s = strategy
            return try run(&s, market: market, config: config, cancel: cancel)
        }
    }
}
