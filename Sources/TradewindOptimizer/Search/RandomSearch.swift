import TradewindCore
import TradewindData

/// Uniform random search: each trial's point is drawn from its own generator stream
/// (seed, trial number), so the sequence depends only on the seed — not on batch sizes or threads.
/// Points failing the constraints are redrawn (rejection sampling, at most `maxAttempts` draws).
public struct RandomSearch: SearchMethod, Sendable {
    public let space: ParameterSpace
    public let constraints: ConstraintSet
    public let budget: Int
    public let seed: UInt64
    /// Draws per trial before giving up with `.constraintsTooRestrictive`.
    public var maxAttempts = 100_000
    public private(set) var asked = 0

    public init(space: ParameterSpace, constraints: ConstraintSet = .none, budget: Int, seed: UInt64) throws(OptimizerError) {
        guard budget >= 1 else { throw .invalidArgument(name: "trial budget", value: String(budget), valid: "an integer ≥ 1") }
        self.space = space
        self.constraints = constraints
        self.budget = budget
        self.seed = seed
    }

    public mutating func ask(_ count: Int) throws(OptimizerError) -> [Trial] {
        var out: [Trial] = []
        while out.count < count && asked < budget {
            var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(asked))
            let p = try RandomSearch.feasibleDraw(space: space, constraints: constraints, rng: &rng, maxAttempts: maxAttempts)
            out.append(Trial(number: asked, point: p))
            asked += 1
        }
        return out
    }

    public mutating func tell(_ number: Int, value: Double) {}

    /// A uniform draw satisfying the constraints.
    static func feasibleDraw(space: ParameterSpace, constraints: ConstraintSet, rng: inout Xoshiro256StarStar, maxAttempts: Int) throws(OptimizerError) -> ParameterPoint {
        var c = [Double](repeating: 0, count: space.count)
        for _ in 0..<maxAttempts {
            UniformDraw.fill(&c, space: space, rng: &rng)
            if c.withUnsafeBufferPointer({ constraints.isSatisfied(coordinates: $0) }) {
                return ParameterPoint(coordinates: c)
            }
        }
        throw .constraintsTooRestrictive(constraints: constraints.texts, attempts: maxAttempts)
    }
}
