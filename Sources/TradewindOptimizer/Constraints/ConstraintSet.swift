import TradewindCore
import TradewindData

/// All constraints on a search: the strategy's own and those given with `--constraint`.
/// A point is feasible when it satisfies every one.
public struct ConstraintSet: Sendable, CustomStringConvertible {
    public let constraints: [ConstraintExpression]

    /// Compiles each expression against `space` (errors name the expression and column).
    public init(_ expressions: [String], space: ParameterSpace) throws(OptimizerError) {
        var out: [ConstraintExpression] = []
        for e in expressions { out.append(try ConstraintExpression(e, space: space)) }
        constraints = out
    }

    /// No constraints.
    public static let none = ConstraintSet(compiled: [])

    init(compiled: [ConstraintExpression]) {
        constraints = compiled
    }

    public var isEmpty: Bool { constraints.isEmpty }
    public var texts: [String] { constraints.map(\.text) }
    public var description: String { texts.joined(separator: "; ") }

    /// True when the coordinates satisfy every constraint (no allocation).
    @inlinable
    public func isSatisfied(coordinates: UnsafeBufferPointer<Double>) -> Bool {
        for c in constraints where !c.isSatisfied(coordinates: coordinates) { return false }
        return true
    }

    public func isSatisfied(_ point: ParameterPoint) -> Bool {
        point.coordinates.withUnsafeBufferPointer { isSatisfied(coordinates: $0) }
    }

    /// The outcome of a feasibility check.
    public enum Feasibility: Sendable, Equatable {
        /// A feasible point was found (its grid index for grids, else the draw number).
        case feasible(witness: ParameterPoint, checked: Int)
        /// Every grid point was checked and none is feasible.
        case infeasible(checked: Int)
        /// The budget ran out before a feasible point was found (huge grid or continuous space).
        case undetermined(checked: Int)
    }

    /// Looks for a feasible point, stopping at the first one. A grid is scanned in index order,
    /// at most `budget` points; a space with a continuous dimension is probed with `budget`
    /// seeded uniform draws. Only `.infeasible` proves that no point exists.
    public func feasibility(in space: ParameterSpace, budget: Int = 10_000_000, seed: UInt64 = 0) throws(OptimizerError) -> Feasibility {
        var c = [Double](repeating: 0, count: space.count)
        if let n = try space.gridSize() {
            if isEmpty { return .feasible(witness: space.gridPoint(0), checked: 1) }
            let limit = min(n, budget)
            for idx in 0..<limit {
                space.gridCoordinates(idx, into: &c)
                if c.withUnsafeBufferPointer({ isSatisfied(coordinates: $0) }) {
                    return .feasible(witness: ParameterPoint(coordinates: c), checked: idx + 1)
                }
            }
            return limit == n ? .infeasible(checked: n) : .undetermined(checked: limit)
        }
        var rng = Xoshiro256StarStar(seed: seed)
        for draw in 0..<max(budget, 1) {
            UniformDraw.fill(&c, space: space, rng: &rng)
            if c.withUnsafeBufferPointer({ isSatisfied(coordinates: $0) }) {
                return .feasible(witness: ParameterPoint(coordinates: c), checked: draw + 1)
            }
        }
        return .undetermined(checked: max(budget, 1))
    }

    /// Returns a feasible point, or throws before any work starts: `.noFeasiblePoint` when a
    /// full scan proves there is none, `.constraintsTooRestrictive` when `budget` points were
    /// checked without finding one.
    @discardableResult
    public func requireFeasible(in space: ParameterSpace, budget: Int = 10_000_000) throws(OptimizerError) -> ParameterPoint {
        switch try feasibility(in: space, budget: budget) {
        case let .feasible(witness, _): return witness
        case let .infeasible(checked): throw .noFeasiblePoint(constraints: texts, checked: checked)
        case let .undetermined(checked): throw .constraintsTooRestrictive(constraints: texts, attempts: checked)
        }
    }
}
