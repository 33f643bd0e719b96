/// How much the objective falls one step away from the chosen point.
///
/// Definition: for each neighbour i (one step along one ordered parameter, in either direction,
/// feasible; see `ParameterSpace.neighbours(of:)`), the relative drop is
///
///   dᵢ = clamp( (f* − fᵢ) / |f*|, 0, 1 )   when maximising   ( (fᵢ − f*) / |f*| when minimising )
///
/// with dᵢ = 1 when fᵢ is not finite (e.g. the neighbour made too few trades) and, when f* = 0,
/// dᵢ = 1 if the neighbour is worse and 0 otherwise. Neighbours at least as good count 0.
/// The score is 1 − mean(dᵢ): 1 for a flat (or rising) neighbourhood, 0 when every neighbour
/// loses the whole objective. `worstDrop` is max(dᵢ).
public struct RobustnessScore: Sendable, Hashable {
    public let score: Double
    public let meanDrop: Double
    public let worstDrop: Double
    public let neighbourCount: Int
    /// Mean drop per dimension index (dimensions without neighbours absent).
    public let dropByDimension: [Int: Double]

    /// Nil when `best` is not finite or there are no neighbours.
    public init?(best: Double, neighbours: [(dimension: Int, objective: Double)], direction: ObjectiveDirection) {
        guard best.isFinite, !neighbours.isEmpty else { return nil }
        var sum = 0.0, worst = 0.0
        var byDim: [Int: (Double, Int)] = [:]
        for (dim, f) in neighbours {
            let d: Double
            if !f.isFinite {
                d = 1
            } else {
                let fall = direction == .maximize ? best - f : f - best
                if best == 0 { d = fall > 0 ? 1 : 0 } else { d = min(max(fall / abs(best), 0), 1) }
            }
            sum += d
            worst = max(worst, d)
            let e = byDim[dim] ?? (0, 0)
            byDim[dim] = (e.0 + d, e.1 + 1)
        }
        meanDrop = sum / Double(neighbours.count)
        score = 1 - meanDrop
        worstDrop = worst
        neighbourCount = neighbours.count
        dropByDimension = byDim.mapValues { $0.0 / Double($0.1) }
    }
}
