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

    /// The indicators the strategy registered during the run (`TradingContext.register`) for symbol `symbol`, one value
    /// per bar of `bars` (NaN where the run saw no bar), an overlay per output (`name`, or `name output` for several).
    static func registered(_ series: [IndicatorSeries], symbol: Int, bars: BarSeries) -> [IndicatorOverlay] {
        var row: [UnixNanos: Int] = [:]
        for (k, t) in bars.time.enumerated() { row[t] = k }
        return series.filter { $0.symbol == symbol }.flatMap { s in
            s.outputNames.indices.map { output in
                var values = [Double](repeating: .nan, count: bars.count)
                for (k, t) in s.time.enumerated() { if let r = row[t] { values[r] = s.values[output][k] } }
                let name = s.outputNames.count == 1 ? s.name : "\(s.name) \(s.outputNames[output])"
                return IndicatorOverlay(name: name, values: values, pane: s.pane == .price ? .price : .separate)
            }
        }
    }
}
