import TradewindCore
import TradewindEngine
import TradewindStrategies

/// A paper-trading replay of recorded bars: the catalog strategy run by the live runtime with the paper broker on a
/// replay feed, ending with the data. What `tradewind trade --broker paper --feed replay:DATA` runs; its result
/// equals `tradewind backtest` on the same data and settings.
public struct ReplaySession {
    public let data: MarketDataset
    public let config: BacktestConfig
    public let speed: ReplayFeed.Speed
    public let risk: RiskLimits
    public let journal: (any TradingJournal)?
    public let notifier: (any TradingNotifier)?

    public init(data: MarketDataset, config: BacktestConfig, speed: ReplayFeed.Speed = .max, risk: RiskLimits = RiskLimits(),
                journal: (any TradingJournal)? = nil, notifier: (any TradingNotifier)? = nil) {
        self.data = data
        self.config = config
        self.speed = speed
        self.risk = risk
        self.journal = journal
        self.notifier = notifier
    }

    /// Replays the catalog strategy `descriptor` with `parameters`.
    public func run(_ descriptor: StrategyDescriptor, parameters: StrategyParameters) async throws -> BacktestResult {
        try await run { setup in try descriptor.stream(parameters, setup) }
    }

    /// Replays `strategy`.
    @inlinable
    public func run<S: Strategy>(_ strategy: S) async throws -> BacktestResult {
        try await run { setup throws(BacktestError) in try StreamingDriver(strategy, setup: setup) }
    }

    /// Replays the strategy `makeRun` builds.
    public func run(_ makeRun: (StreamingSetup) throws -> StreamingDriver) async throws -> BacktestResult {
        let feed = try feed()
        return try await runtime(for: feed, makeRun).trade(feed)
    }

    /// The session's replay of its data (within the config's period, at its speed; its first `config.warmup` steps
    /// the run's warm-up): merged once, then handed to
    /// `runtime(for:_:)` and to `TradingRuntime.trade`.
    public func feed() throws -> ReplayFeed {
        try ReplayFeed(data, from: config.from, to: config.to, speed: speed, warmup: config.warmup)
    }

    /// The runtime of this session (paper broker, risk, journal, notifier) for the strategy `makeRun` builds, trading
    /// the symbols of `feed`.
    public func runtime(for feed: ReplayFeed, _ makeRun: (StreamingSetup) throws -> StreamingDriver) throws -> TradingRuntime {
        var venueConfig = config
        venueConfig.from = nil
        venueConfig.to = nil
        let broker = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: venueConfig)
        return try TradingRuntime(symbols: feed.symbols, interval: feed.interval, config: venueConfig, broker: broker,
                                  risk: risk, journal: journal, notifier: notifier, makeRun: makeRun)
    }
}
