/// TradewindStrategies: the strategy library and the exact fast kernels that evaluate many
/// parameter sets of a strategy at once.
///
/// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindEngine.
public enum TradewindStrategies {}
