/// TradewindEngine: the event-driven simulator (orders, fills, costs, accounts, portfolios) and
/// the strategy protocol shared by backtesting, paper and live trading.
///
/// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindAnalytics.
public enum TradewindEngine {}
