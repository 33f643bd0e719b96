import TradewindCore
import TradewindEngine
import TradewindStrategies

/// A paper-trading replay of recorded bars: the catalog strategy run by the live runtime with the paper broker on a
/// replay feed, ending with the data. What `tradewind trade --broker paper --feed replay:DATA` runs; its result
/// equals `tradewind backtest` on the same data and settings.
public struct ReplaySession: StrategyRunner {
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

    /// Replays `strategy` (built from `parameters`) from the catalog.
    public func run(_ descriptor: StrategyDescriptor, parameters: StrategyParameters) async throws -> BacktestResult {
        try await descriptor.open(parameters, self)
    }

    public func run<S: Strategy>(_ strategy: S) async throws -> BacktestResult {
        let feed = try ReplayFeed(data, from: config.from, to: config.to, speed: speed)
        var venueConfig = config
        venueConfig.from = nil
        venueConfig.to = nil
        let broker = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: venueConfig)
        let runtime = try TradingRuntime(strategy: strategy, symbols: feed.symbols, interval: feed.interval,
                                         config: venueConfig, broker: broker, risk: risk, journal: journal,
                                         notifier: notifier)
        return try await runtime.trade(feed)
    }
}
