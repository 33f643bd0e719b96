import TradewindCharts
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// The indicators a catalog strategy trades on, recomputed for its price charts from the strategy's own
/// parameters with the strategy library's streaming indicators (the same code the strategies run, fed each
/// symbol's bars in order): SMAs for `sma-cross`, EMAs for `ema-cross`, MACD for `macd-cross`, RSI with its
/// entry and exit levels for `rsi2`, the bands for `bollinger-reversion` and the channels for
/// `donchian-breakout`. Other strategies have none.
struct StrategyOverlays {
    let strategy: String
    let parameters: StrategyParameters
    let symbols: [String]

    /// One value per bar of `bars` for each overlay (NaN during warm-up); `symbol` is the index in the run.
    func overlays(for bars: BarSeries, symbol: Int) -> [IndicatorOverlay] {
        let p = parameters
        switch strategy {
        case SMACross.name:
            let fast = p.int("fast"), slow = p.int("slow")
            return [IndicatorOverlay(name: "SMA(\(fast))", values: map(bars.close, RollingMean(window: fast)) { $0.update($1) }, pane: .price),
                    IndicatorOverlay(name: "SMA(\(slow))", values: map(bars.close, RollingMean(window: slow)) { $0.update($1) }, pane: .price)]
        case EMACross.name:
            let fast = p.int("fast"), slow = p.int("slow")
            return [IndicatorOverlay(name: "EMA(\(fast))", values: map(bars.close, StreamingEMA(period: fast)) { $0.update($1) }, pane: .price),
                    IndicatorOverlay(name: "EMA(\(slow))", values: map(bars.close, StreamingEMA(period: slow)) { $0.update($1) }, pane: .price)]
        case MACDCross.name:
            let fast = p.int("fast"), slow = p.int("slow"), signal = p.int("signal")
            let pairs = map(bars.close, StreamingMACD(fast: fast, slow: slow, signal: signal)) { $0.update($1) }
            return [IndicatorOverlay(name: "MACD(\(fast), \(slow))", values: pairs.map(\.macd), pane: .separate,
                                     levels: [ReferenceLine(value: 0, label: "0")]),
                    IndicatorOverlay(name: "Signal(\(signal))", values: pairs.map(\.signal), pane: .separate,
                                     levels: [ReferenceLine(value: 0, label: "0")])]
        case RSI2.name:
            if isHedge(symbol) { return [] }
            let period = p.int("rsi_period"), entry = p.real("entry"), exit = p.real("exit")
            return [IndicatorOverlay(name: "RSI(\(period))", values: map(bars.close, WilderRSI(period: period)) { $0.update($1) },
                                     pane: .separate,
                                     levels: [ReferenceLine(value: entry, label: "Entry " + NumberText.shortest(entry)),
                                              ReferenceLine(value: exit, label: "Exit " + NumberText.shortest(exit))],
                                     range: 0...100)]
        case BollingerReversion.name:
            let period = p.int("period"), width = p.real("std")
            let bands = map(bars.close, RollingWindow(window: period)) { $0.update($1) }
            let k = NumberText.shortest(width)
            return [IndicatorOverlay(name: "SMA(\(period))", values: bands.map(\.mean), pane: .price),
                    IndicatorOverlay(name: "Upper band (\(k)σ)", values: bands.map { $0.mean + width * $0.std }, pane: .price),
                    IndicatorOverlay(name: "Lower band (\(k)σ)", values: bands.map { $0.mean - width * $0.std }, pane: .price)]
        case DonchianBreakout.name:
            let entryPeriod = p.int("entry_period"), exitPeriod = p.int("exit_period")
            var upper = PriorChannel(window: entryPeriod), lower = PriorChannel(window: exitPeriod)
            var highs: [Double] = [], lows: [Double] = []
            highs.reserveCapacity(bars.count)
            lows.reserveCapacity(bars.count)
            for i in 0..<bars.count {
                highs.append(upper.update(high: bars.high[i], low: bars.low[i]).upper)
                lows.append(lower.update(high: bars.high[i], low: bars.low[i]).lower)
            }
            return [IndicatorOverlay(name: "Highest high (\(entryPeriod))", values: highs, pane: .price),
                    IndicatorOverlay(name: "Lowest low (\(exitPeriod))", values: lows, pane: .price)]
        default:
            return []
        }
    }

    /// Whether `symbol` is rsi2's hedge (no RSI is computed for it).
    private func isHedge(_ symbol: Int) -> Bool {
        guard let value = parameters["hedge_symbol"], case .string(let name) = value, !name.isEmpty else { return false }
        return symbols.indices.contains(symbol) && symbols[symbol] == name
    }

    private func map<State, Out>(_ xs: [Double], _ initial: State, _ step: (inout State, Double) -> Out) -> [Out] {
        var state = initial
        var out: [Out] = []
        out.reserveCapacity(xs.count)
        for x in xs { out.append(step(&state, x)) }
        return out
    }
}
