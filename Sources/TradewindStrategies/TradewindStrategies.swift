// Module TradewindStrategies: the strategy library and the exact fast kernels that evaluate many
// parameter sets of a strategy at once, and the catalog (`CatalogStrategy`, `StrategyDescriptor`,
// `StrategyCatalog`): every strategy describes itself in its own file and is listed and run by name from there.
//
// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindEngine.
