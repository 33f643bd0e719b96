import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `sma-cross`: long only; buy when SMA(fast) of the close crosses above SMA(slow), sell the whole position when it
/// crosses below (vectorbt's MA and crossing rules, NaN warm-up included: `MovingAverageCross`). One symbol invests
/// all available cash; N symbols each up to 1/N of equity. While a symbol's last order can still fill, its signals wait.
/// The template for writing a strategy: the optimizer's speed lives in its exact kernel (`SMACrossKernel`).
public struct SMACross: ParameterizedStrategy {
    public static var notifications: StrategyNotifications { [] }
    public static let name = "sma-cross"
    public static let summary = "Long when SMA(fast) crosses above SMA(slow), flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(1...1000), default: .int(10), "Window of the fast moving average (bars)."),
        ParameterSpec("slow", .int(2...5000), default: .int(30), "Window of the slow moving average (bars); must exceed fast."),
    ]
    public let fast: Int, slow: Int
    /// Per symbol: the averages' crossings, and the last order while it may still fill.
    private struct Lane { var cross: MovingAverageCross, pending: OrderID? }
    private var lanes: [Lane] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        fast = try p.int("fast"); slow = try p.int("slow")
        guard fast < slow else { throw .inconsistent("fast (\(fast)) must be smaller than slow (\(slow))") }
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        lanes = Array(repeating: Lane(cross: try MovingAverageCross(fast: fast, slow: slow), pending: nil), count: context.symbolCount)
    }

    // Inlined into the engine's loop: the bench runs this per bar, and the call alone was a tenth of its cost.
    @inline(__always) public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let (buy, sell) = lanes[s].cross.update(context.close(s))
            if buy == sell { continue }
            if let id = lanes[s].pending, !context.orderStatus(id).isFinal { continue }
            let held = context.position(s)
            if buy && held == 0 { lanes[s].pending = context.buy(s, LongOnly.size(context), tag: "entry") }
            if sell && held > 0 { lanes[s].pending = context.closePosition(s, tag: "exit") }
        }
    }
}

extension SMACross {
    public init(fast: Int, slow: Int) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name,
                                                     values: ["fast": .int(fast), "slow": .int(slow)]))
    }
}

extension SMACross: CatalogStrategy {
    /// SMA(slow) needs `slow` closes before its first crossing can be seen.
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { (try? parameters.int("slow")) ?? 0 }

    public static let rules = """
          Long only. Buy (all available cash; 1/N of equity with N symbols) when SMA(fast) of the close crosses
          above SMA(slow); sell the whole position when it crosses below. Market orders fill at the next bar's
          open (or the signal bar's close with close-fill timing).
        """

    public static let constraints = ["fast < slow"]

    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        let fast = try parameters.int("fast"), slow = try parameters.int("slow")
        return [StrategyPlot("SMA(\(fast))", RollingMean.column(bars.close, window: fast), pane: .price),
                StrategyPlot("SMA(\(slow))", RollingMean.column(bars.close, window: slow), pane: .price)]
    }

    /// `SMACrossKernel`: one symbol of daily bars, next-open or close fills, no session policy.
    public static var kernel: ExactKernel? {
        ExactKernel(
            summary: "SMACrossKernel: one symbol of daily bars, next-open or close fills, no session policy; the engine's whole cost arithmetic; equal to the engine (property-tested).",
            exactMetrics: KernelMetric.all,
            coversCostModels: true,
            supports: { _, config in
                ExactKernel.hasNoSessionPolicy(config)
            },
            prepare: { series in
                guard series.interval == .daily else { return nil }
                return PreparedKernel { batch, config, threads in
                    guard let pairs = try? batch.map({ p throws(ParameterError) in
                        SMACrossKernel.Pair(fast: try p.int("fast"), slow: try p.int("slow"))
                    }), let r = try? SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: config.initialCash,
                                                            costs: ExactKernel.costs(of: config),
                                                            account: ExactKernel.costSettingsReason(config) == nil ? nil : KernelAccount(config),
                                                            fillAtClose: config.fillTiming == .signalClose,
                                                            threads: threads) else { return nil }
                    return (0..<r.count).map(r.metrics(at:))
                }
            })
    }
}
