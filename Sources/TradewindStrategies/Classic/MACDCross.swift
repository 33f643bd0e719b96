import TradewindEngine

/// TA-Lib's MACD, streaming: the fast EMA starts `slow − fast` bars late so that both EMAs' first values fall
/// on bar `slow − 1`; MACD = EMA(fast) − EMA(slow); signal = EMA(signal) of MACD seeded with the mean of its
/// first `signal` values (first value on bar `slow + signal − 2`).
public struct StreamingMACD: Sendable {
    public let fast: Int, slow: Int, signal: Int
    private var fastEMA: StreamingEMA, slowEMA: StreamingEMA, signalEMA: StreamingEMA
    private var seen = 0

    public init(fast: Int, slow: Int, signal: Int) {
        self.fast = fast; self.slow = slow; self.signal = signal
        fastEMA = StreamingEMA(period: fast); slowEMA = StreamingEMA(period: slow); signalEMA = StreamingEMA(period: signal)
    }

    public mutating func update(_ x: Double) -> (macd: Double, signal: Double) {
        seen += 1
        let s = slowEMA.update(x)
        let f = seen > slow - fast ? fastEMA.update(x) : Double.nan
        guard !s.isNaN, !f.isNaN else { return (.nan, .nan) }
        let m = f - s
        let sig = signalEMA.update(m)
        return sig.isNaN ? (.nan, .nan) : (m, sig)
    }
}

/// `macd-cross`: long when MACD(fast, slow) crosses above its signal line, flat when it crosses below
/// (TA-Lib's MACD, `StreamingMACD`; vectorbt crossing semantics; sizing and fills as `sma-cross`). MACD is
/// reported only once the signal line exists, as TA-Lib does.
public struct MACDCross: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "macd-cross"
    public static let summary = "Long when MACD crosses above its signal line, flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(2...1000), default: .int(12), "Fast EMA period."),
        ParameterSpec("slow", .int(3...5000), default: .int(26), "Slow EMA period; must exceed fast."),
        ParameterSpec("signal", .int(1...1000), default: .int(9), "Signal EMA period."),
    ]
    public let fast: Int, slow: Int, signal: Int
    private var macd: [StreamingMACD] = [], up: [CrossAbove] = [], down: [CrossAbove] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        fast = p.int("fast"); slow = p.int("slow"); signal = p.int("signal")
        guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        macd = Array(repeating: StreamingMACD(fast: fast, slow: slow, signal: signal), count: context.symbolCount)
        up = Array(repeating: CrossAbove(), count: context.symbolCount)
        down = up
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let v = macd[s].update(context.close(s))
            LongOnly.act(context, symbol: s, buy: up[s].update(v.macd, v.signal), sell: down[s].update(v.signal, v.macd))
        }
    }
}
