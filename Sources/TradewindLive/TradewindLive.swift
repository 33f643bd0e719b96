/// Paper and live trading: the backtest's strategies run by a live event loop.
///
/// Owns the runtime (`TradingRuntime`), the protocols of a market-data feed (`MarketFeed`) and of a broker
/// (`Broker`), their in-process implementations (`ReplayFeed`, `PaperBroker`), the risk manager between strategy
/// and broker (`RiskManager`) and the journal of every order intent and broker report (`TradingJournal`).
///
/// The strategy's context is the engine's own `SimulationContext`, streamed a step at a time with its orders routed
/// out (`SimulationContext.streaming(… router:)`), so a strategy sees the same API and its books are kept by the
/// same code in a backtest, in paper trading and live. The paper broker's matching engine is the engine's
/// `SimulatedVenue`.
///
/// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindAnalytics, TradewindEngine,
/// TradewindStrategies (for the catalog). Nothing imports it but the CLI and the server.
enum TradewindLiveModule {}
