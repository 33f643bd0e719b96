import TradewindEngine

/// Builds the parameters of a run of points one after the other, starting each from the previous point's
/// parameters and setting only the dimensions whose coordinate changed: in grid order consecutive points differ
/// in the last dimension or two, so a point costs one validated value instead of one per dimension.
///
/// The result equals `TrialEvaluator.parameters(_:)` for every point (a value depends on its dimension's coordinate
/// alone, and validation on the value alone; an unchanged dimension was valid in the previous point). A dimension
/// that changes to a value left to the strategy's default, and any point after one that failed, are built from the
/// defaults with `TrialEvaluator.parameters(_:)`, which also gives the first failing dimension's error.
struct ParameterCarry {
    private var coordinates: [Double] = []
    private var previous: StrategyParameters?

    mutating func parameters(_ point: ParameterPoint, _ evaluator: TrialEvaluator) throws(ParameterError) -> StrategyParameters {
        let c = point.coordinates
        if var p = previous, coordinates.count == c.count {
            var carried = true
            for d in c.indices where c[d] != coordinates[d] || c[d].isNaN {
                guard case let .value(v) = evaluator.resolution(d, c[d]) else { carried = false; break }
                do throws(ParameterError) {
                    try p.set(evaluator.space.dimensions[d].name, to: v, strategy: evaluator.strategy.name)
                } catch {
                    carried = false
                    break
                }
            }
            if carried {
                coordinates = c
                previous = p
                return p
            }
        }
        previous = nil
        let p = try evaluator.parameters(point)
        coordinates = c
        previous = p
        return p
    }
}
