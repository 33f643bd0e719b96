/// Exhaustive search: streams the grid in index order, skipping points that fail the
/// constraints. Trial numbers are grid indices, so ties break by grid order.
public struct GridSearch: SearchMethod, Sendable {
    public let space: ParameterSpace
    public let constraints: ConstraintSet
    /// The number of grid points (feasible or not).
    public let gridSize: Int
    /// The next grid index to consider.
    public private(set) var cursor: Int = 0
    /// Grid points skipped because they failed a constraint.
    public private(set) var skipped: Int = 0
    private var scratch: [Double]

    /// Throws `.notGridSearchable` when a dimension is continuous, `.gridTooLarge` when the grid
    /// cannot be indexed.
    public init(space: ParameterSpace, constraints: ConstraintSet = .none) throws(OptimizerError) {
        for d in space.dimensions where d.levelCount == nil { throw .notGridSearchable(parameter: d.name) }
        self.space = space
        self.constraints = constraints
        self.gridSize = try space.gridSize()!
        self.scratch = [Double](repeating: 0, count: space.count)
    }

    public var isFinished: Bool { cursor >= gridSize }

    public mutating func ask(_ count: Int) throws(OptimizerError) -> [Trial] {
        var out: [Trial] = []
        out.reserveCapacity(min(max(count, 0), 1 << 16))
        while out.count < count && cursor < gridSize {
            space.gridCoordinates(cursor, into: &scratch)
            let ok = scratch.withUnsafeBufferPointer { constraints.isSatisfied(coordinates: $0) }
            if ok {
                out.append(Trial(number: cursor, point: ParameterPoint(coordinates: scratch)))
            } else {
                skipped += 1
            }
            cursor += 1
        }
        return out
    }

    /// Grid search ignores results.
    public mutating func tell(_ number: Int, value: Double) {}
}
