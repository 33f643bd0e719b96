/// TradewindAnalytics: pure functions that judge returns, equity curves and trades
/// (QuantStats-compatible definitions).
///
/// May import: TradewindCore.
public enum TradewindAnalytics {}
