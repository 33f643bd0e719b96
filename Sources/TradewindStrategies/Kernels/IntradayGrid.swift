/// A Cartesian grid of intraday parameter sets for the fast kernel. Each axis is sorted ascending and
/// de-duplicated on construction (the kernel's first-passage walks rely on the order); combinations are
/// numbered with `compound` varying fastest, then `stopLoss`, `sellTrigger`, `buyTrigger`, `buyTime`.
public struct IntradayGrid: Sendable, Hashable {
    public let buyTriggers: [Double]
    public let sellTriggers: [Double]
    public let stopLosses: [Double]
    public let buyTimes: [Int]
    public let compound: [Bool]

    /// Validates and normalises the axes; the error names the parameter, the value and the valid range.
    public init(buyTriggers: [Double], sellTriggers: [Double], stopLosses: [Double] = [0],
                buyTimes: [Int] = [600], compound: [Bool] = [true]) throws(KernelError) {
        func bad(_ n: String, _ v: String, _ e: String) -> KernelError { .invalidParameter(name: n, value: v, expected: e) }
        if buyTriggers.isEmpty { throw bad("buy_trigger", "[]", "at least one value") }
        if sellTriggers.isEmpty { throw bad("sell_trigger", "[]", "at least one value") }
        if stopLosses.isEmpty { throw bad("stop_loss", "[]", "at least one value (0 = no stop)") }
        if buyTimes.isEmpty { throw bad("buy_time", "[]", "at least one time") }
        if compound.isEmpty { throw bad("compound", "[]", "true and/or false") }
        for v in buyTriggers where !(v.isFinite && v > -100) { throw bad("buy_trigger", "\(v)", "a finite percent > -100") }
        for v in sellTriggers where !(v.isFinite && v > 0) { throw bad("sell_trigger", "\(v)", "a finite percent > 0") }
        for v in stopLosses where !(v >= 0 && v < 100) { throw bad("stop_loss", "\(v)", "0 (off) or a percent in (0, 100)") }
        for t in buyTimes where !(t >= 570 && t < 960) {
            throw bad("buy_time", "\(t) min", "a time from 09:30 to 15:59 New York (570..959 minutes after midnight)")
        }
        self.buyTriggers = Array(Set(buyTriggers)).sorted()
        self.sellTriggers = Array(Set(sellTriggers)).sorted()
        self.stopLosses = Array(Set(stopLosses)).sorted()
        self.buyTimes = Array(Set(buyTimes)).sorted()
        self.compound = Array(Set(compound)).sorted { !$0 && $1 }
    }

    /// A grid holding exactly one parameter set.
    public init(_ p: IntradayParameters) throws(KernelError) {
        try self.init(buyTriggers: [p.buyTrigger], sellTriggers: [p.sellTrigger], stopLosses: [p.stopLoss],
                      buyTimes: [p.buyTime], compound: [p.compound])
    }

    /// Number of parameter sets.
    public var count: Int { buyTriggers.count * sellTriggers.count * stopLosses.count * buyTimes.count * compound.count }

    /// The flat index of a combination given its axis positions.
    @inlinable public func index(time: Int, buy: Int, sell: Int, stop: Int, compound c: Int) -> Int {
        (((time * buyTriggers.count + buy) * sellTriggers.count + sell) * stopLosses.count + stop) * compound.count + c
    }

    /// The parameter set at a flat index.
    public func parameters(at index: Int) -> IntradayParameters {
        var i = index
        let c = i % compound.count; i /= compound.count
        let sl = i % stopLosses.count; i /= stopLosses.count
        let st = i % sellTriggers.count; i /= sellTriggers.count
        let bt = i % buyTriggers.count; i /= buyTriggers.count
        return IntradayParameters(buyTrigger: buyTriggers[bt], sellTrigger: sellTriggers[st], stopLoss: stopLosses[sl],
                                  buyTime: buyTimes[i], compound: compound[c])
    }
}
