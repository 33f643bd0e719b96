import TradewindCharts
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// The indicators a strategy trades on, for its price charts: what the strategy's own file declares
/// (`StrategyDescriptor.plots`), drawn as the report's overlays. Strategies that declare none have none.
struct StrategyOverlays {
    let strategy: StrategyDescriptor?
    let parameters: StrategyParameters

    /// One value per bar of `bars` for each overlay (NaN during warm-up); none when the strategy's plots fail
    /// (a report never fails for want of an overlay).
    func overlays(for bars: BarSeries) -> [IndicatorOverlay] {
        guard let strategy, let plots = try? strategy.plots(parameters, bars) else { return [] }
        return plots.map { plot in
            IndicatorOverlay(name: plot.name, values: plot.values, pane: plot.pane == .price ? .price : .separate,
                             levels: plot.levels.map { ReferenceLine(value: $0.value, label: $0.label) }, range: plot.range)
        }
    }
}
