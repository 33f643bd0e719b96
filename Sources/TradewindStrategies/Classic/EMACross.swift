import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `ema-cross`: long when EMA(fast) of the close crosses above EMA(slow), flat when it crosses below.
/// EMAs are TA-Lib's (`TradewindIndicators.EMA`: seeded with the simple mean of their first `period` closes, then
/// α = 2/(period+1));
/// crossings use vectorbt's `crossed_above` semantics (`CrossAbove`); sizing and fills as `sma-cross`.
public struct EMACross: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "ema-cross"
    public static let summary = "Long when EMA(fast) crosses above EMA(slow), flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(2...1000), default: .int(10), "Fast EMA period (bars)."),
        ParameterSpec("slow", .int(2...5000), default: .int(30), "Slow EMA period (bars); must exceed fast."),
    ]
    public let fast: Int, slow: Int
    private var f: [EMA] = [], w: [EMA] = [], up: [CrossAbove] = [], down: [CrossAbove] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        fast = try p.int("fast"); slow = try p.int("slow")
        guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
    }

    public init(fast: Int = 10, slow: Int = 30) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name,
                                                     values: ["fast": .int(fast), "slow": .int(slow)]))
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        f = Array(repeating: try EMA(timeperiod: fast), count: n)
        w = Array(repeating: try EMA(timeperiod: slow), count: n)
        up = Array(repeating: CrossAbove(), count: n)
        down = up
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let c = context.close(s)
            let a = f[s].update(c) ?? .nan, b = w[s].update(c) ?? .nan
            LongOnly.act(context, symbol: s, buy: up[s].update(a, b), sell: down[s].update(b, a))
        }
    }
}

extension EMACross: CatalogStrategy {
    /// EMA(slow) starts after `slow` closes (TA-Lib's seed).
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { (try? parameters.int("slow")) ?? 0 }

    public static let rules = """
          Long only. Buy all available cash when EMA(fast) crosses above EMA(slow) (TA-Lib EMAs, vectorbt crossing
          rules); sell everything when it crosses below. Market orders at the next open.
        """

    public static let constraints = ["fast < slow"]

    /// `LongOnlySignalKernel` with the signals `onBar` computes (the same EMAs and crossing detectors).
    public static var kernel: ExactKernel? {
        LongOnlySignalKernel.make(name: name) { p, bars, columns in
            let fast = try p.int("fast"), slow = try p.int("slow")
            guard fast < slow else { throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
            // Each period's EMA once per batch, updated bar by bar as `onBar` does.
            func ema(_ period: Int) throws -> [Double] {
                try columns.column("ema \(period)") {
                    var e = try EMA(timeperiod: period)
                    return bars.close.map { e.update($0) ?? .nan }
                }
            }
            let fastEMA = try ema(fast), slowEMA = try ema(slow)
            var up = CrossAbove(), down = CrossAbove()
            var buy = [Bool](repeating: false, count: bars.count), sell = buy
            for i in 0..<bars.count {
                let a = fastEMA[i], b = slowEMA[i]
                buy[i] = up.update(a, b)
                sell[i] = down.update(b, a)
            }
            return LongOnlySignals(buy: buy, sell: sell)
        }
    }

    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        let fast = try parameters.int("fast"), slow = try parameters.int("slow")
        return [StrategyPlot("EMA(\(fast))", try EMA(timeperiod: fast).batch(bars.close)[0], pane: .price),
                StrategyPlot("EMA(\(slow))", try EMA(timeperiod: slow).batch(bars.close)[0], pane: .price)]
    }
}
