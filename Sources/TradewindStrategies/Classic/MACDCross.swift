import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `macd-cross`: long when MACD(fast, slow) crosses above its signal line, flat when it crosses below
/// (TA-Lib's MACD, `TradewindIndicators.MACD`; vectorbt crossing semantics; sizing and fills as `sma-cross`). MACD is
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
    private var macd: [MACD] = [], up: [CrossAbove] = [], down: [CrossAbove] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        fast = try p.int("fast"); slow = try p.int("slow"); signal = try p.int("signal")
        guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        macd = Array(repeating: try MACD(fastperiod: fast, slowperiod: slow, signalperiod: signal), count: context.symbolCount)
        up = Array(repeating: CrossAbove(), count: context.symbolCount)
        down = up
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let v = macd[s].update(context.close(s))
            let m = v?.macd ?? .nan, signal = v?.macdsignal ?? .nan
            LongOnly.act(context, symbol: s, buy: up[s].update(m, signal), sell: down[s].update(signal, m))
        }
    }
}

extension MACDCross: CatalogStrategy {
    /// The slow EMA's `slow` closes, then the signal EMA's `signal` MACD values.
    public static func warmupBars(_ parameters: StrategyParameters) -> Int {
        ((try? parameters.int("slow")) ?? 0) + ((try? parameters.int("signal")) ?? 0)
    }

    public static let rules = """
          Long only. Buy when TA-Lib MACD(fast, slow) crosses above its signal EMA(signal); sell when it crosses
          below. Market orders at the next open.
        """

    public static let constraints = ["fast < slow"]

    /// `LongOnlySignalKernel` with the signals `onBar` computes (the same MACD and crossing detectors).
    public static var kernel: ExactKernel? {
        LongOnlySignalKernel.make(name: name) { p, bars, _ in
            let fast = try p.int("fast"), slow = try p.int("slow"), signal = try p.int("signal")
            guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
            var macd = try MACD(fastperiod: fast, slowperiod: slow, signalperiod: signal), up = CrossAbove(), down = CrossAbove()
            var buy = [Bool](repeating: false, count: bars.count), sell = buy
            for i in 0..<bars.count {
                let v = macd.update(bars.close[i])
                let m = v?.macd ?? .nan, sig = v?.macdsignal ?? .nan
                buy[i] = up.update(m, sig)
                sell[i] = down.update(sig, m)
            }
            return LongOnlySignals(buy: buy, sell: sell)
        }
    }

    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        let fast = try parameters.int("fast"), slow = try parameters.int("slow"), signal = try parameters.int("signal")
        let columns = try MACD(fastperiod: fast, slowperiod: slow, signalperiod: signal).batch(bars.close)
        let zero = [StrategyPlot.Level(0, "0")]
        return [StrategyPlot("MACD(\(fast), \(slow))", columns[0], pane: .separate, levels: zero),
                StrategyPlot("Signal(\(signal))", columns[1], pane: .separate, levels: zero)]
    }
}
