// Module TradewindOptimizer: parameter search (grid, random, TPE), walk-forward validation and
// overfitting statistics over strategies' declared parameters.
//
// May import: TradewindCore, TradewindData, TradewindAnalytics, TradewindEngine, TradewindStrategies.
