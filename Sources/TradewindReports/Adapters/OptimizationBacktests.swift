import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

extension OptimizationFigures {
    /// Gives every row of a multi-symbol report's per-symbol table its own backtest section: each symbol's best
    /// parameters are run once more through the engine (the `tradewind backtest` code path) on that symbol's bars,
    /// and the result is laid out with `BacktestReportAdapter`, so the table links to a full tear sheet per symbol.
    ///
    /// Rows whose symbol has no feasible best trial, or whose bars are not in `series`, keep no section. `runData`
    /// gives a symbol's run its data (`OptimizationJob.dataset`: with the job's companions, such as rsi2's hedge).
    public static func attachBacktests(
        to input: inout OptimizationReportInput, outcome: JobOutcome, series: [BarSeries],
        strategy: StrategyDescriptor, config: BacktestConfig, dataSource: String,
        runData: (BarSeries) -> MarketDataset = { MarketDataset([$0]) }
    ) throws {
        let bySymbol = Dictionary(series.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        let bestBySymbol = Dictionary(outcome.symbols.compactMap { r in r.best.map { (r.symbol, $0) } }, uniquingKeysWith: { a, _ in a })
        for k in input.symbolRows.indices {
            let symbol = input.symbolRows[k].symbol
            guard let bars = bySymbol[symbol], let best = bestBySymbol[symbol] else { continue }
            // Empty texts are the defaults of optional text parameters (e.g. rsi2's hedge_symbol): leave them unset.
            let values = Dictionary(best.params.items.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) },
                                    uniquingKeysWith: { a, _ in a })
            let parameters = try strategy.parameters(values)
            let data = runData(bars)
            let result = try strategy.run(parameters, data, config)
            let context = BacktestReportAdapter.Context(
                strategy: strategy.name, parameters: parameters, dataSource: dataSource,
                title: "\(strategy.name) on \(symbol) (best parameters)")
            input.symbolRows[k].backtest = try BacktestReportAdapter.input(result: result, data: data, context: context)
        }
    }
}
