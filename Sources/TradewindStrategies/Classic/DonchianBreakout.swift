import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `donchian-breakout`: trend following. Buy when the close exceeds the highest high of the previous
/// `entry_period` bars; sell when the close falls below the lowest low of the previous `exit_period` bars. On the
/// entry fill a protective stop is placed at fill − `atr_multiple` × ATR(`atr_period`) (Wilder/TA-Lib ATR as of
/// the signal bar), working from the next bar (stop price, or the open when the bar opens below it); it is
/// cancelled when the channel exit is placed. Long only; sizing and fills as `sma-cross`.
public struct DonchianBreakout: ParameterizedStrategy {
    public static let name = "donchian-breakout"
    public static let summary = "Buy a close above the N-bar high, sell below the M-bar low or at an ATR stop."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("entry_period", .int(2...1000), default: .int(20), "Breakout channel of the previous bars' highs."),
        ParameterSpec("exit_period", .int(2...1000), default: .int(10), "Exit channel of the previous bars' lows."),
        ParameterSpec("atr_period", .int(1...1000), default: .int(14), "ATR window."),
        ParameterSpec("atr_multiple", .real(0...100), default: .real(2), "Stop distance in ATRs (0 = no stop)."),
    ]
    public let entryPeriod: Int, exitPeriod: Int, atrPeriod: Int, atrMultiple: Double
    /// Channels over the bars up to the previous one: each bar compares with the value the channel had after the
    /// bar before it, then feeds the channel.
    private var entryChannel: [DONCHIAN] = [], exitChannel: [DONCHIAN] = [], atr: [ATR] = []
    private var priorUpper: [Double] = [], priorLower: [Double] = []
    private var signalATR: [Double] = [], entryOrder: [OrderID?] = [], stopOrder: [OrderID?] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        entryPeriod = try p.int("entry_period"); exitPeriod = try p.int("exit_period")
        atrPeriod = try p.int("atr_period"); atrMultiple = try p.real("atr_multiple")
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        entryChannel = Array(repeating: try DONCHIAN(timeperiod: entryPeriod), count: n)
        exitChannel = Array(repeating: try DONCHIAN(timeperiod: exitPeriod), count: n)
        atr = Array(repeating: try ATR(timeperiod: atrPeriod), count: n)
        priorUpper = Array(repeating: .nan, count: n)
        priorLower = priorUpper
        signalATR = Array(repeating: .nan, count: n)
        entryOrder = Array(repeating: nil, count: n)
        stopOrder = entryOrder
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let h = context.high(s), l = context.low(s), c = context.close(s)
            let bar = OHLCV(high: h, low: l, close: c)
            let up = priorUpper[s], down = priorLower[s]
            priorUpper[s] = entryChannel[s].update(bar)?.upperband ?? .nan
            priorLower[s] = exitChannel[s].update(bar)?.lowerband ?? .nan
            let a = atr[s].update(bar) ?? .nan
            let buy = !up.isNaN && c > up, sell = !down.isNaN && c < down
            if sell && context.position(s) > 0, let id = stopOrder[s] { context.cancel(id); stopOrder[s] = nil }
            if let id = LongOnly.act(context, symbol: s, buy: buy, sell: sell) {
                entryOrder[s] = id
                signalATR[s] = a
            }
        }
    }

    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws {
        let s = fill.symbol
        guard entryOrder[s] == fill.orderID else { return }
        entryOrder[s] = nil
        let a = signalATR[s]
        guard atrMultiple > 0, a.isFinite else { return }
        let stop = fill.price - atrMultiple * a
        if stop > 0 { stopOrder[s] = context.sell(s, .closePosition, .stop(stop), tag: "atr-stop") }
    }

    public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws {
        if order.status.isFinal, stopOrder[order.symbol] == order.id { stopOrder[order.symbol] = nil }
    }
}

extension DonchianBreakout: CatalogStrategy {
    /// The longest of the channels (of the previous bars) and the ATR window, plus the current bar.
    public static func warmupBars(_ parameters: StrategyParameters) -> Int {
        max((try? parameters.int("entry_period")) ?? 0, (try? parameters.int("exit_period")) ?? 0,
            (try? parameters.int("atr_period")) ?? 0) + 1
    }

    /// `LongOnlySignalKernel` with the signals `onBar` computes (the same channels and ATR); the stop distance is
    /// atr_multiple × the signal bar's ATR, as `onFill` places it.
    public static var kernel: ExactKernel? {
        LongOnlySignalKernel.make(name: name) { p, bars, columns in
            let entryPeriod = try p.int("entry_period"), exitPeriod = try p.int("exit_period")
            let atrPeriod = try p.int("atr_period"), atrMultiple = try p.real("atr_multiple")
            // Each channel and ATR once per batch, updated bar by bar as `onBar` does.
            func bar(_ i: Int) -> OHLCV { OHLCV(high: bars.high[i], low: bars.low[i], close: bars.close[i]) }
            let upper = try columns.column("donchian upper \(entryPeriod)") {
                var channel = try DONCHIAN(timeperiod: entryPeriod)
                return (0..<bars.count).map { channel.update(bar($0))?.upperband ?? .nan }
            }
            let lower = try columns.column("donchian lower \(exitPeriod)") {
                var channel = try DONCHIAN(timeperiod: exitPeriod)
                return (0..<bars.count).map { channel.update(bar($0))?.lowerband ?? .nan }
            }
            let atr = try columns.column("atr \(atrPeriod)") {
                var a = try ATR(timeperiod: atrPeriod)
                return (0..<bars.count).map { a.update(bar($0)) ?? .nan }
            }
            var buy = [Bool](repeating: false, count: bars.count), sell = buy
            var distance = [Double](repeating: .nan, count: bars.count)
            for i in 0..<bars.count {
                let c = bars.close[i]
                // The channels as of the previous bar (NaN before the first).
                let up = i > 0 ? upper[i - 1] : .nan, down = i > 0 ? lower[i - 1] : .nan
                let a = atr[i]
                buy[i] = !up.isNaN && c > up
                sell[i] = !down.isNaN && c < down
                if atrMultiple > 0 && a.isFinite { distance[i] = atrMultiple * a }
            }
            return LongOnlySignals(buy: buy, sell: sell, stopDistance: distance)
        }
    }

    /// DONCHIAN's (upper, middle, lower) columns one bar late: at bar i, the channel of the `window` bars before it.
    static func priorChannel(_ bars: BarSeries, window: Int) throws -> [[Double]] {
        let columns = try DONCHIAN(timeperiod: window).batch(PriceColumns(high: bars.high, low: bars.low, close: bars.close))
        return columns.map { [Double.nan] + $0.dropLast() }
    }

    public static let rules = """
          Long only. Buy when the close > the highest high of the previous entry_period bars; sell when the close <
          the lowest low of the previous exit_period bars. On the entry fill a stop at fill − atr_multiple × ATR(atr_period)
          (as of the signal bar) works from the next bar; it is cancelled by the channel exit.
        """

    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        let entry = try parameters.int("entry_period"), exit = try parameters.int("exit_period")
        return [StrategyPlot("Highest high (\(entry))", try priorChannel(bars, window: entry)[0], pane: .price),
                StrategyPlot("Lowest low (\(exit))", try priorChannel(bars, window: exit)[2], pane: .price)]
    }
}
