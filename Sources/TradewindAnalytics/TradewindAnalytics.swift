// Module TradewindAnalytics: pure functions that judge returns, equity curves and trades
// (QuantStats 0.0.86-compatible definitions, checked against golden fixtures from it).
//
// Map of the module:
// - `Series/`: `ReturnSeries` (validated returns + bar times), `Annualization` (periods per year from the
//   bar interval and calendar; risk-free de-annualisation), `AnalyticsError`.
// - `Metrics/`: `Performance` — total return, CAGR, volatility, Sharpe, Sortino, Calmar, omega, VaR,
//   CVaR, skew, kurtosis, tail ratio, best/worst, win rate, profit factor, payoff, Kelly, exposure,
//   streaks, probabilistic Sharpe.
// - `Drawdown/`: drawdown series and periods (start, trough, end, recovery, depth, days).
// - `Calendar/`: monthly and yearly return tables. `Rolling/`: rolling Sharpe and volatility.
// - `Benchmark/`: alpha/beta (`Greeks`) and benchmark alignment.
// - `Quick/`: `QuickMetrics`, the optimizer's one-pass set, bit-identical to the full definitions
//   through the shared `ReturnAccumulator` (`Statistics/`).
// - `Trades/`: `TradeRecord` (what the engine hands over) and `TradeStatistics`.
// - `Report/`: `PerformanceReport` (Codable, snake_case JSON) and its text table.
//
// May import: TradewindCore.
