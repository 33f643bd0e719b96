/// Whether the objective is to be made large or small.
public enum ObjectiveDirection: String, Sendable, Hashable, CaseIterable {
    case maximize
    case minimize

    /// The objective as a loss to minimise (NaN stays NaN).
    @inlinable
    public func loss(_ value: Double) -> Double { self == .maximize ? -value : value }

    /// True when `a` (trial `aNumber`) ranks before `b` (trial `bNumber`): the better objective
    /// first; equal objectives by the smaller trial number (grid index for grid search); a NaN
    /// objective (infeasible trial) ranks after every number.
    @inlinable
    public func ranksBefore(_ a: Double, _ aNumber: Int, _ b: Double, _ bNumber: Int) -> Bool {
        if a.isNaN || b.isNaN {
            if a.isNaN && b.isNaN { return aNumber < bNumber }
            return b.isNaN
        }
        if a != b { return self == .maximize ? a > b : a < b }
        return aNumber < bNumber
    }
}

/// One evaluation request: a trial number (unique within a search, the tie-breaker) and a point.
public struct Trial: Sendable, Hashable {
    public let number: Int
    public let point: ParameterPoint

    public init(number: Int, point: ParameterPoint) {
        self.number = number
        self.point = point
    }
}

/// A search method with an ask/tell interface, so that new methods slot in beside grid, random
/// and TPE. The runner asks for a batch, evaluates it (in parallel), tells every result, then
/// asks again; for a given seed and batch size the sequence of trials is then deterministic,
/// whatever the number of threads.
public protocol SearchMethod {
    /// The space searched.
    var space: ParameterSpace { get }
    /// Up to `count` new feasible trials; an empty array when the search is finished.
    mutating func ask(_ count: Int) throws(OptimizerError) -> [Trial]
    /// Reports the objective value of trial `number` as measured (not negated); NaN marks an
    /// infeasible or failed trial (e.g. fewer trades than `min_trades`).
    mutating func tell(_ number: Int, value: Double)
}

/// The method names the command line accepts.
public enum SearchMethodKind: String, Sendable, CaseIterable {
    case grid
    case random
    case tpe
}
