import TradewindEngine

/// `sma-cross`: long-only; buy when the fast simple moving average of the close crosses above the slow one,
/// sell the whole position when it crosses below (vectorbt's `MA.ma_crossed_above/below` semantics, NaN
/// warm-up included). Each symbol trades independently; a single symbol invests all available cash,
/// several symbols each invest up to 1/N of equity. While a symbol's last order can still fill (e.g. queued
/// outside trading hours), its new signals are ignored.
public struct SMACross: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "sma-cross"
    public static let summary = "Long when SMA(fast) crosses above SMA(slow), flat when it crosses below."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fast", .int(1...1000), default: .int(10), "Window of the fast moving average (bars)."),
        ParameterSpec("slow", .int(2...5000), default: .int(30), "Window of the slow moving average (bars); must exceed fast."),
    ]

    public let fast: Int
    public let slow: Int
    /// Per-symbol state, and one ring of the last `slow` cumulative sums of the close per symbol (flat):
    /// both averages are differences of the same running sum, as vectorbt computes each of them.
    private var lanes: [Lane] = []
    private var ring: [Double] = []
    private var size: OrderSize = .allAvailable

    struct Lane {
        var cumsum = 0.0
        var seen = 0
        /// Ring slot of bar i (i mod slow) and of bar i − fast.
        var slot = 0
        var fastSlot = 0
        var above = CrossAbove()
        var below = CrossAbove()
        /// The symbol's last order while it may still fill: no new order is sent meanwhile.
        var pending: OrderID?
    }

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

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        lanes = Array(repeating: Lane(), count: n)
        for s in 0..<n { lanes[s].fastSlot = slow - fast }
        ring = Array(repeating: 0, count: n * slow)
        size = n == 1 ? .allAvailable : .equityFraction(1 / Double(n))
    }

    @inlinable
    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            step(context, symbol: s)
        }
    }

    @usableFromInline
    mutating func step(_ context: some TradingContext, symbol s: Int) {
        let close = context.close(s)
        let fast = self.fast, slow = self.slow
        // The lane and its ring of running sums are updated in place: no copy of the lane per bar.
        let (crossedUp, crossedDown) = lanes.withUnsafeMutableBufferPointer { lanes in
            ring.withUnsafeMutableBufferPointer { ring in
                Self.advance(&lanes[s], ring: ring.baseAddress! + s * slow, close: close, fast: fast, slow: slow)
            }
        }
        guard crossedUp != crossedDown else { return }
        if let pending = lanes[s].pending {
            if !context.orderStatus(pending).isFinal { return }
            lanes[s].pending = nil
        }
        let held = context.position(s)
        if crossedUp && held == 0 {
            lanes[s].pending = context.buy(s, size, tag: "entry")
        } else if crossedDown && held > 0 {
            lanes[s].pending = context.closePosition(s, tag: "exit")
        }
    }

    /// One bar of a lane: the running sum, both averages (`RollingMean`'s arithmetic) and the two crossing
    /// detectors; returns (crossed up, crossed down).
    @inline(__always)
    static func advance(_ lane: inout Lane, ring: UnsafeMutablePointer<Double>, close: Double, fast: Int, slow: Int) -> (Bool, Bool) {
        lane.cumsum += close
        let droppedSlow = ring[lane.slot]      // cumsum of bar i − slow
        let droppedFast = ring[lane.fastSlot]  // cumsum of bar i − fast (read before bar i is stored)
        ring[lane.slot] = lane.cumsum
        lane.slot += 1
        if lane.slot == slow { lane.slot = 0 }
        lane.fastSlot += 1
        if lane.fastSlot == slow { lane.fastSlot = 0 }
        let i = lane.seen
        lane.seen += 1
        let relation: CrossAbove.Relation
        if i + 1 > slow {
            // Both windows full (slow > fast): the two window sums, compared without dividing when that is safe.
            relation = Self.relation(fastSum: lane.cumsum - droppedFast, fast: fast,
                                     slowSum: lane.cumsum - droppedSlow, slow: slow)
        } else {
            let f = i + 1 < fast ? Double.nan : (i + 1 == fast ? lane.cumsum : lane.cumsum - droppedFast) / Double(fast)
            let w = i + 1 < slow ? Double.nan : lane.cumsum / Double(slow)
            relation = CrossAbove.Relation(f, w)
        }
        return (lane.above.update(relation), lane.below.update(relation.mirrored))
    }

    /// The relation of the fast mean `fastSum / fast` to the slow one `slowSum / slow`, exactly as the two
    /// rounded quotients compare, usually without dividing.
    ///
    /// The rounded products `fastSum·slow` and `slowSum·fast` are each within a relative 2⁻⁵³ of the true ones,
    /// and so are the rounded quotients of the true quotients. When the products are normal, positive numbers
    /// more than a relative 10⁻¹² apart, the true means are more than about 10⁻¹² apart, far beyond what the two
    /// roundings can close, so the rounded means compare the same way (strictly). Anything closer (or not
    /// normal, or not positive) is decided by the two divisions themselves, the same as vectorbt's values.
    @inline(__always)
    static func relation(fastSum: Double, fast: Int, slowSum: Double, slow: Int) -> CrossAbove.Relation {
        let x = fastSum * Double(slow), y = slowSum * Double(fast)
        if x > 0 && y > 0 && x.isNormal && y.isNormal {
            if x > y * (1 + 1e-12) { return .above }
            if y > x * (1 + 1e-12) { return .below }
        }
        return CrossAbove.Relation(fastSum / Double(fast), slowSum / Double(slow))
    }
}
