// Module TradewindEngine: the event-driven simulator (orders, fills, costs, accounts, portfolios) and
// the strategy protocol and the `TradingContext` a strategy sees, shared by backtesting, paper and live trading,
// with scheduled events on the session clock.
//
// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindAnalytics.
