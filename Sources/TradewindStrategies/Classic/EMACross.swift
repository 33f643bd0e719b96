import TradewindEngine

/// `ema-cross`: long when EMA(fast) of the close crosses above EMA(slow), flat when it crosses below.
/// EMAs are TA-Lib's (seeded with the simple mean of their first `period` closes, then α = 2/(period+1));
/// crossings use vectorbt's `crossed_above` semantics (`CrossAbove`); sizing and fills as `sma-cross`.
public struct EMACross: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "ema-cross"
    public static let summary = "Long when EMA(fast) crosses above EMA(slow), flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(1...1000), default: .int(10), "Fast EMA period (bars)."),
        ParameterSpec("slow", .int(2...5000), default: .int(30), "Slow EMA period (bars); must exceed fast."),
    ]
    public let fast: Int, slow: Int
    private var f: [StreamingEMA] = [], w: [StreamingEMA] = [], up: [CrossAbove] = [], down: [CrossAbove] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        fast = p.int("fast"); slow = p.int("slow")
        guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
    }

    public init(fast: Int = 10, slow: Int = 30) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name,
                                                     values: ["fast": .int(fast), "slow": .int(slow)]))
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        f = Array(repeating: StreamingEMA(period: fast), count: n)
        w = Array(repeating: StreamingEMA(period: slow), count: n)
        up = Array(repeating: CrossAbove(), count: n)
        down = up
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let c = context.close(s)
            let a = f[s].update(c), b = w[s].update(c)
            LongOnly.act(context, symbol: s, buy: up[s].update(a, b), sell: down[s].update(b, a))
        }
    }
}
