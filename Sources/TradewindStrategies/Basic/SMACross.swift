import TradewindEngine

/// `sma-cross`: long-only; buy when the fast simple moving average of the close crosses above the slow one,
/// sell the whole position when it crosses below (vectorbt's `MA.ma_crossed_above/below` semantics, NaN
/// warm-up included). Each symbol trades independently; a single symbol invests all available cash,
/// several symbols each invest up to 1/N of equity. While a symbol's last order can still fill (e.g. queued
/// outside trading hours), its new signals are ignored.
public struct SMACross: ParameterizedStrategy {
    public static let name = "sma-cross"
    public static let summary = "Long when SMA(fast) crosses above SMA(slow), flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(1...1000), default: .int(10), "Window of the fast moving average (bars)."),
        ParameterSpec("slow", .int(2...5000), default: .int(30), "Window of the slow moving average (bars); must exceed fast."),
    ]

    public let fast: Int
    public let slow: Int
    private var fastMean: [RollingMean] = []
    private var slowMean: [RollingMean] = []
    private var above: [CrossAbove] = []
    private var below: [CrossAbove] = []
    private var size: OrderSize = .allAvailable
    /// The symbol's last order, while it may still fill (-1 = none): no new order is sent meanwhile.
    private var pending: [OrderID] = []

    public init(fast: Int, slow: Int) throws(ParameterError) {
        let p = try StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name,
                                   values: ["fast": .int(fast), "slow": .int(slow)])
        try self.init(parameters: p)
    }

    public init(parameters: StrategyParameters) throws(ParameterError) {
        fast = parameters.int("fast")
        slow = parameters.int("slow")
        guard fast < slow else {
            throw ParameterError.inconsistent("fast (\(fast)) must be smaller than slow (\(slow))")
        }
    }

    public mutating func onStart(_ context: StrategyContext) throws {
        let n = context.symbolCount
        fastMean = Array(repeating: RollingMean(window: fast), count: n)
        slowMean = Array(repeating: RollingMean(window: slow), count: n)
        above = Array(repeating: CrossAbove(), count: n)
        below = Array(repeating: CrossAbove(), count: n)
        size = n == 1 ? .allAvailable : .equityFraction(1 / Double(n))
        pending = Array(repeating: -1, count: n)
    }

    @inlinable
    public mutating func onBar(_ context: StrategyContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            step(context, symbol: s)
        }
    }

    @usableFromInline
    mutating func step(_ context: StrategyContext, symbol s: Int) {
        let c = context.close(s)
        let f = fastMean[s].update(c)
        let w = slowMean[s].update(c)
        let crossedUp = above[s].update(f, w)
        let crossedDown = below[s].update(w, f)
        guard crossedUp != crossedDown else { return }
        if pending[s] >= 0 {
            if !context.order(pending[s]).status.isFinal { return }
            pending[s] = -1
        }
        let held = context.position(s)
        if crossedUp && held == 0 {
            pending[s] = context.buy(s, size, tag: "entry")
        } else if crossedDown && held > 0 {
            pending[s] = context.closePosition(s, tag: "exit") ?? -1
        }
    }
}
