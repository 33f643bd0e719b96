import TradewindEngine

/// `donchian-breakout`: trend following. Buy when the close exceeds the highest high of the previous
/// `entry_period` bars; sell when the close falls below the lowest low of the previous `exit_period` bars. On the
/// entry fill a protective stop is placed at fill − `atr_multiple` × ATR(`atr_period`) (Wilder/TA-Lib ATR as of
/// the signal bar), working from the next bar (stop price, or the open when the bar opens below it); it is
/// cancelled when the channel exit is placed. Long only; sizing and fills as `sma-cross`.
public struct DonchianBreakout: ParameterizedStrategy {
    public static let name = "donchian-breakout"
    public static let summary = "Buy a close above the N-bar high, sell below the M-bar low or at an ATR stop."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("entry_period", .int(1...1000), default: .int(20), "Breakout channel of the previous bars' highs."),
        ParameterSpec("exit_period", .int(1...1000), default: .int(10), "Exit channel of the previous bars' lows."),
        ParameterSpec("atr_period", .int(1...1000), default: .int(14), "ATR window."),
        ParameterSpec("atr_multiple", .real(0...100), default: .real(2), "Stop distance in ATRs (0 = no stop)."),
    ]
    public let entryPeriod: Int, exitPeriod: Int, atrPeriod: Int, atrMultiple: Double
    private var entryChannel: [PriorChannel] = [], exitChannel: [PriorChannel] = [], atr: [WilderATR] = []
    private var signalATR: [Double] = [], entryOrder: [OrderID?] = [], stopOrder: [OrderID?] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        entryPeriod = p.int("entry_period"); exitPeriod = p.int("exit_period")
        atrPeriod = p.int("atr_period"); atrMultiple = p.real("atr_multiple")
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        entryChannel = Array(repeating: PriorChannel(window: entryPeriod), count: n)
        exitChannel = Array(repeating: PriorChannel(window: exitPeriod), count: n)
        atr = Array(repeating: WilderATR(period: atrPeriod), count: n)
        signalATR = Array(repeating: .nan, count: n)
        entryOrder = Array(repeating: nil, count: n)
        stopOrder = entryOrder
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let h = context.high(s), l = context.low(s), c = context.close(s)
            let up = entryChannel[s].update(high: h, low: l).upper
            let down = exitChannel[s].update(high: h, low: l).lower
            let a = atr[s].update(high: h, low: l, close: c)
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
