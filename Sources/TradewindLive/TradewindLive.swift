/// Paper and live trading: the backtest's strategies run by a live event loop.
///
/// Owns the runtime (`TradingRuntime`), the protocols of a market-data feed (`MarketFeed`) and of a broker
/// (`Broker`), their in-process implementations (`ReplayFeed`, `PaperBroker`), the risk manager between strategy
/// and broker (`RiskManager`), the journal of every order intent and broker report (`TradingJournal`: a JSON-lines
/// file, or the store's trading-journal area) and the start-up reconciliation with the broker (`Reconciliation/`).
///
/// The strategy's context is the engine's own `SimulationContext`, streamed a step at a time with its orders routed
/// out (`SimulationContext.streaming(… router:)`), so a strategy sees the same API and its books are kept by the
/// same code in a backtest, in paper trading and live. The paper broker's matching engine is the engine's
/// `SimulatedVenue`.
///
/// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindAnalytics, TradewindEngine,
/// TradewindStrategies (for the catalog), TradewindStore (the journal's store medium). Nothing imports it but the
/// CLI, the server and the Alpaca adapters.
enum TradewindLiveModule {}
