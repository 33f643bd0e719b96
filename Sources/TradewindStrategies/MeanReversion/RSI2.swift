import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `rsi2`: Connors-style RSI mean reversion, long only, with optional entry filters and an optional hedge.
///
/// Rules (signals on each bar's close; market orders fill at the next bar's open, or at this close with
/// close-fill timing; daily or intraday bars):
/// * RSI is Wilder's RSI(`rsi_period`) of the close, TA-Lib's (`TradewindIndicators.RSI`, the same values as
///   `tradewind indicator RSI`).
/// * Entry: flat, no entry pending, RSI ≤ `entry`, and every enabled filter passes → market buy of
///   `position_size` × equity (÷ N when N symbols are traded).
/// * Exit: long and RSI ≥ `exit` → market sell of the whole position. When `stop_loss` > 0 a stop sell at
///   entry fill × (1 − stop_loss/100) works from the bar after the entry (fills at the stop, or at the open
///   when the bar opens below it); it is cancelled when the RSI exit is placed.
/// * Filters (each off by default): `filter_vwap` close < session VWAP (Σ typical·volume / Σ volume over the
///   session's bars so far, typical = (H+L+C)/3; on daily bars the bar's typical price); `filter_trend`
///   close > SMA(`trend_period`) (TA-Lib SMA); `min_volume` > 0: volume ≥ min_volume; `filter_bollinger` close < the
///   lower band of TA-Lib BBANDS(`bb_period`, `bb_std`) (SMA − bb_std × population standard deviation).
/// * Hedge (`hedge_symbol`: the name of one of the run's symbols, e.g. an inverse ETF; empty = no hedge):
///   when the traded symbol's RSI ≥ `hedge_entry` and no hedge is held or pending, market buy of the hedge worth
///   `hedge_size` × equity; when RSI ≤ `hedge_exit`, sell the whole hedge. With a hedge exactly one other
///   symbol is traded.
public struct RSI2: ParameterizedStrategy {
    public static let name = "rsi2"
    public static let summary = "RSI mean reversion: buy when RSI(2) ≤ entry, sell when ≥ exit or at the stop; optional filters and hedge."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("rsi_period", .int(2...500), default: .int(2), "RSI window (bars)."),
        ParameterSpec("entry", .real(0...100), default: .real(30), "Buy when RSI ≤ entry."),
        ParameterSpec("exit", .real(0...100), default: .real(75), "Sell when RSI ≥ exit."),
        ParameterSpec("stop_loss", .real(0...99), default: .real(5), "Stop, % below the entry fill (0 = none)."),
        ParameterSpec("position_size", .real(0.001...1), default: .real(0.9), "Fraction of equity per entry."),
        ParameterSpec("filter_vwap", .bool, default: .bool(false), "Only buy when the close is below the session VWAP."),
        ParameterSpec("filter_trend", .bool, default: .bool(false), "Only buy when the close is above SMA(trend_period)."),
        ParameterSpec("trend_period", .int(2...1000), default: .int(20), "Window of the trend SMA."),
        ParameterSpec("min_volume", .real(0...1e15), default: .real(0), "Only buy when volume ≥ this (0 = off)."),
        ParameterSpec("filter_bollinger", .bool, default: .bool(false), "Only buy when the close is below the lower Bollinger band."),
        ParameterSpec("bb_period", .int(2...1000), default: .int(20), "Bollinger window."),
        ParameterSpec("bb_std", .real(0.1...10), default: .real(2), "Bollinger width in standard deviations."),
        ParameterSpec("hedge_symbol", .string, default: .string(""),
                      "Symbol bought as a hedge (one of the run's two symbols; empty = no hedge)."),
        ParameterSpec("hedge_size", .real(0...0.3), default: .real(0.3), "Hedge value as a fraction of equity (≤ 0.3)."),
        ParameterSpec("hedge_entry", .real(0...100), default: .real(90), "Open the hedge when RSI ≥ this."),
        ParameterSpec("hedge_exit", .real(0...100), default: .real(60), "Close the hedge when RSI ≤ this."),
    ]

    public let rsiPeriod: Int
    public let entry: Double, exit: Double, stopLoss: Double, positionSize: Double
    public let filterVWAP: Bool, filterTrend: Bool, trendPeriod: Int, minVolume: Double
    public let filterBollinger: Bool, bbPeriod: Int, bbStd: Double
    public let hedgeSize: Double, hedgeEntry: Double, hedgeExit: Double
    /// The hedge's symbol (`hedge_symbol`), `nil` for none.
    public var hedgeSymbol: String?

    private var rsi: [RSI] = []
    private var trend: [SMA] = []
    private var bands: [BBANDS] = []
    private var vwapDay: [Int] = [], vwapPV: [Double] = [], vwapV: [Double] = []
    private var pendingEntry: [OrderID?] = []
    private var stopOrder: [OrderID?] = []
    private var hedge = -1
    private var hedgePending: OrderID?
    private var traded = 0

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        rsiPeriod = try p.int("rsi_period"); entry = try p.real("entry"); exit = try p.real("exit")
        stopLoss = try p.real("stop_loss"); positionSize = try p.real("position_size")
        filterVWAP = try p.bool("filter_vwap"); filterTrend = try p.bool("filter_trend"); trendPeriod = try p.int("trend_period")
        minVolume = try p.real("min_volume"); filterBollinger = try p.bool("filter_bollinger"); bbPeriod = try p.int("bb_period")
        bbStd = try p.real("bb_std"); hedgeSymbol = try p.string("hedge_symbol").isEmpty ? nil : try p.string("hedge_symbol"); hedgeSize = try p.real("hedge_size")
        hedgeEntry = try p.real("hedge_entry"); hedgeExit = try p.real("hedge_exit")
        guard entry < exit else { throw ParameterError.inconsistent("entry (\(entry)) must be below exit (\(exit))") }
        guard hedgeExit < hedgeEntry else {
            throw ParameterError.inconsistent("hedge_exit (\(hedgeExit)) must be below hedge_entry (\(hedgeEntry))")
        }
    }

    /// Builds from `name=value` overrides of the defaults, with an optional hedge symbol by name.
    public init(_ overrides: [String: ParameterValue] = [:], hedgeSymbol: String? = nil) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: overrides))
        if let hedgeSymbol { self.hedgeSymbol = hedgeSymbol }
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        if let name = hedgeSymbol {
            guard let i = context.symbolIndex(name) else {
                throw ParameterError.outOfRange(name: "hedge_symbol", value: name, valid: "one of " + context.symbols.joined(separator: ", "))
            }
            hedge = i
        }
        if hedge >= 0 && n != 2 {
            throw ParameterError.inconsistent("a hedged rsi2 run needs exactly two symbols (the traded one and the hedge); got \(n)")
        }
        traded = hedge >= 0 ? 1 : n
        rsi = Array(repeating: try RSI(timeperiod: rsiPeriod), count: n)
        trend = Array(repeating: try SMA(timeperiod: trendPeriod), count: n)
        bands = Array(repeating: try BBANDS(timeperiod: bbPeriod, nbdevup: bbStd, nbdevdn: bbStd), count: n)
        vwapDay = Array(repeating: Int.min, count: n)
        vwapPV = Array(repeating: 0, count: n)
        vwapV = vwapPV
        pendingEntry = Array(repeating: nil, count: n)
        stopOrder = pendingEntry
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where s != hedge && context.hasBar(s) {
            let c = context.close(s), h = context.high(s), l = context.low(s), v = context.volume(s)
            let r = rsi[s].update(c) ?? .nan
            let sma = trend[s].update(c) ?? .nan
            let lowerBand = bands[s].update(c)?.lowerband ?? .nan
            let typical = (h + l + c) / 3
            let day = context.sessionDay
            if day != vwapDay[s] { vwapDay[s] = day; vwapPV[s] = 0; vwapV[s] = 0 }
            vwapPV[s] += typical * v
            vwapV[s] += v
            let vwap = vwapV[s] > 0 ? vwapPV[s] / vwapV[s] : typical
            guard !r.isNaN else { continue }
            let held = context.position(s)
            if held > 0 {
                if r >= exit {
                    if let id = stopOrder[s] { context.cancel(id); stopOrder[s] = nil }
                    context.closePosition(s, tag: "rsi-exit")
                }
            } else if pendingEntry[s] == nil && r <= entry {
                var pass = true
                if filterVWAP && !(c < vwap) { pass = false }
                if filterTrend && !(c > sma) { pass = false }
                if minVolume > 0 && !(v >= minVolume) { pass = false }
                if filterBollinger && !(c < lowerBand) { pass = false }
                if pass {
                    pendingEntry[s] = context.buy(s, .equityFraction(positionSize / Double(traded)), tag: "entry")
                }
            }
            if hedge >= 0 {
                let hedged = context.position(hedge)
                if hedged == 0 && hedgePending == nil && r >= hedgeEntry && hedgeSize > 0 {
                    hedgePending = context.buy(hedge, .equityFraction(hedgeSize), tag: "hedge")
                } else if hedged > 0 && r <= hedgeExit {
                    context.closePosition(hedge, tag: "hedge-exit")
                }
            }
        }
    }

    public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws {
        guard order.status.isFinal else { return }
        if pendingEntry.indices.contains(order.symbol), pendingEntry[order.symbol] == order.id { pendingEntry[order.symbol] = nil }
        if hedgePending == order.id { hedgePending = nil }
        if stopOrder.indices.contains(order.symbol), stopOrder[order.symbol] == order.id { stopOrder[order.symbol] = nil }
    }

    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws {
        let s = fill.symbol
        guard s != hedge, fill.side == .buy, stopLoss > 0 else { return }
        stopOrder[s] = context.sell(s, .closePosition, .stop(fill.price * (1 - stopLoss / 100)), tag: "stop")
    }
}

extension RSI2: CatalogStrategy {
    /// RSI's `rsi_period` changes (one more close), and the trend SMA or the Bollinger bands when they filter.
    public static func warmupBars(_ parameters: StrategyParameters) -> Int {
        let rsi = ((try? parameters.int("rsi_period")) ?? 0) + 1
        let trend = (try? parameters.bool("filter_trend")) == true ? (try? parameters.int("trend_period")) ?? 0 : 0
        let bands = (try? parameters.bool("filter_bollinger")) == true ? (try? parameters.int("bb_period")) ?? 0 : 0
        return max(rsi, trend, bands)
    }

    public static let rules = """
          RSI = Wilder RSI(rsi_period) of the close (TA-Lib). Signals on the close; market orders fill at the next open.
          Entry: flat, RSI ≤ entry and every enabled filter passes (filter_vwap: close < session VWAP; filter_trend:
          close > SMA(trend_period); min_volume > 0: volume ≥ min_volume; filter_bollinger: close < SMA(bb_period) −
          bb_std × σ) → buy position_size × equity. Exit: RSI ≥ exit → sell all; stop_loss > 0: stop at
          entry × (1 − stop_loss/100) from the next bar. Hedge (hedge_symbol = one of two symbols): RSI ≥
          hedge_entry → buy hedge_size × equity of the hedge; RSI ≤ hedge_exit → sell it.
        """

    public static let constraints = ["entry < exit", "hedge_exit < hedge_entry"]
    public static let requirements = StrategyRequirements(symbolParameters: ["hedge_symbol"])

    /// RSI with its entry and exit levels, for the traded symbol (none for the hedge).
    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        if try parameters.string("hedge_symbol") == bars.symbol { return [] }
        let period = try parameters.int("rsi_period"), entry = try parameters.real("entry"), exit = try parameters.real("exit")
        return [StrategyPlot("RSI(\(period))", try RSI(timeperiod: period).batch(bars.close)[0], pane: .separate,
                             levels: [StrategyPlot.Level(entry, "Entry \(NumberFormat.shortest(entry))"),
                                      StrategyPlot.Level(exit, "Exit \(NumberFormat.shortest(exit))")],
                             range: 0...100)]
    }

    /// `RSI2Kernel` on one symbol of daily bars without a hedge; `RSI2HedgeKernel` on the traded symbol and its hedge.
    public static var kernel: ExactKernel? {
        ExactKernel(
            summary: "RSI2Kernel: one symbol of daily bars without a hedge, or RSI2HedgeKernel: the traded symbol and its hedge (two daily series with the same bar times); next-open or close fills, no session policy, any entry filters; the engine's whole cost and account arithmetic; equal to the engine (property-tested).",
            exactMetrics: KernelMetric.all,
            coversCostModels: true,
            coversAccount: true,
            supports: { _, config in ExactKernel.hasNoSessionPolicy(config) },
            prepare: { series in
                guard series.interval == .daily else { return nil }
                return PreparedKernel { batch, config, threads in
                    guard batch.allSatisfy({ (try? $0.string("hedge_symbol"))?.isEmpty == true }),
                          let ps = try? batch.map(kernelParameters),
                          let r = try? RSI2Kernel.evaluate(series: series, parameters: ps, initialCash: config.initialCash,
                                                          costs: ExactKernel.costs(of: config),
                                                          account: KernelAccount(config),
                                                          fillAtClose: config.fillTiming == .signalClose,
                                                          zone: config.session.zone, threads: threads) else { return nil }
                    return (0..<r.count).map(r.metrics(at:))
                }
            },
            supportsSymbols: { p, symbols in
                guard let hedge = try? p.string("hedge_symbol") else { return false }
                return hedge.isEmpty ? symbols.count == 1 : symbols.count == 2 && symbols.contains(hedge)
            },
            prepareDataset: { data in
                guard data.count == 2, RSI2HedgeKernel.unsupportedReason(traded: data.series[0], hedge: data.series[1]) == nil else {
                    return nil
                }
                return PreparedKernel { batch, config, threads in
                    guard let hedge = try? batch.first?.string("hedge_symbol"), let h = data.symbols.firstIndex(of: hedge),
                          batch.allSatisfy({ (try? $0.string("hedge_symbol")) == hedge }),
                          let ps = try? batch.map({ p throws(ParameterError) in
                              RSI2HedgeKernel.Parameters(rsi2: try kernelParameters(p),
                                                         hedge: RSI2HedgeKernel.Hedge(size: try p.real("hedge_size"), entry: try p.real("hedge_entry"),
                                                                                      exit: try p.real("hedge_exit")))
                          }),
                          let runs = try? RSI2HedgeKernel.evaluate(traded: data.series[1 - h], hedge: data.series[h], tradedIndex: 1 - h,
                                                                   parameters: ps, initialCash: config.initialCash, account: KernelAccount(config),
                                                                   fillAtClose: config.fillTiming == .signalClose,
                                                                   zone: config.session.zone, threads: threads)
                    else { return nil }
                    return runs.map(\.metrics)
                }
            })
    }

    /// The kernels' form of `rsi2`'s parameters (the hedge's aside).
    static func kernelParameters(_ p: StrategyParameters) throws(ParameterError) -> RSI2Kernel.Parameters {
        RSI2Kernel.Parameters(rsiPeriod: try p.int("rsi_period"), entry: try p.real("entry"), exit: try p.real("exit"),
                              stopLoss: try p.real("stop_loss"), positionSize: try p.real("position_size"),
                              filters: RSI2Kernel.Filters(
                                vwap: try p.bool("filter_vwap"), trend: try p.bool("filter_trend"),
                                trendPeriod: try p.int("trend_period"), minVolume: try p.real("min_volume"),
                                bollinger: try p.bool("filter_bollinger"), bbPeriod: try p.int("bb_period"),
                                bbStd: try p.real("bb_std")))
    }
}
