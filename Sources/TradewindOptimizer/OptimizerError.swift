/// Everything that can be wrong with an optimisation request, reported before any work starts.
/// Each case's `description` names the offending value and what would be valid.
public enum OptimizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter spec that does not parse (`spec` is the text as given).
    case invalidSpec(spec: String, reason: String)
    /// `start > stop`, or a log range whose bounds are not both positive.
    case emptyRange(parameter: String, reason: String)
    /// A step that is zero or negative.
    case nonPositiveStep(parameter: String, step: String)
    /// The same parameter named twice.
    case duplicateParameter(String)
    /// A parameter the strategy does not declare.
    case unknownParameter(String, known: [String])
    /// A constraint expression that does not parse; `column` is 1-based within `expression`.
    case invalidConstraint(expression: String, column: Int, reason: String)
    /// A constraint that names a parameter the space does not have.
    case unknownConstraintName(expression: String, name: String, column: Int, known: [String])
    /// A constraint that uses a parameter whose values are not numbers.
    case nonNumericConstraintName(expression: String, name: String, column: Int)
    /// No point of the space satisfies the constraints (`checked` points were scanned).
    case noFeasiblePoint(constraints: [String], checked: Int)
    /// A grid search over a dimension without a step (a continuous range).
    case notGridSearchable(parameter: String)
    /// A grid too large to index (more than `Int.max` points).
    case gridTooLarge(description: String)
    /// A sampler could not draw a point satisfying the constraints after `attempts` tries.
    case constraintsTooRestrictive(constraints: [String], attempts: Int)
    /// A walk-forward or split request that does not fit the data.
    case invalidWindows(reason: String)
    /// A numeric argument outside its valid range.
    case invalidArgument(name: String, value: String, valid: String)
    /// An I/O failure writing results.
    case io(path: String, reason: String)
    /// Two arguments that cannot both be given (named as the request's fields, e.g. `split` and `walk_forward`).
    case exclusiveArguments(String, String)
    /// No bar of `data` is left to optimise after the symbol selection and the period cut.
    case noBars(data: String, symbols: [String], period: String)
    /// Two symbols whose per-symbol results files would be the same file.
    case sharedResultsFile(path: String, symbols: [String])

    public var description: String {
        switch self {
        case let .invalidSpec(spec, reason):
            return "invalid parameter spec '\(spec)': \(reason). Use name=start:stop:step, name=log:low:high[:count], name=a,b,c or name=value"
        case let .emptyRange(p, reason):
            return "parameter '\(p)' has an empty range: \(reason)"
        case let .nonPositiveStep(p, step):
            return "parameter '\(p)' has step \(step); the step must be greater than 0"
        case let .duplicateParameter(p):
            return "parameter '\(p)' is given more than once; give each parameter one spec"
        case let .unknownParameter(p, known):
            return "unknown parameter '\(p)'; the strategy declares: \(known.joined(separator: ", "))"
        case let .invalidConstraint(e, col, reason):
            return "invalid constraint '\(e)' at column \(col): \(reason)"
        case let .unknownConstraintName(e, name, col, known):
            return "constraint '\(e)' at column \(col) names unknown parameter '\(name)'; parameters are: \(known.joined(separator: ", "))"
        case let .nonNumericConstraintName(e, name, col):
            return "constraint '\(e)' at column \(col) uses '\(name)', whose values are not numbers"
        case let .noFeasiblePoint(cs, checked):
            return "no point of the parameter space satisfies the constraints [\(cs.joined(separator: "; "))] (\(checked) points checked); widen the ranges or relax the constraints"
        case let .notGridSearchable(p):
            return "parameter '\(p)' is a continuous range; give it a step (start:stop:step) or a count (log:low:high:count) for a grid search, or use random/tpe"
        case let .gridTooLarge(d):
            return "the grid is too large to enumerate (\(d)); use random or tpe, or coarser steps"
        case let .constraintsTooRestrictive(cs, attempts):
            return "could not draw a point satisfying [\(cs.joined(separator: "; "))] in \(attempts) attempts; relax the constraints or narrow the ranges"
        case let .invalidWindows(reason):
            return "invalid validation windows: \(reason)"
        case let .invalidArgument(name, value, valid):
            return "invalid \(name) \(value): expected \(valid)"
        case let .io(path, reason):
            return "cannot write \(path): \(reason)"
        case let .exclusiveArguments(a, b):
            return "give \(a) or \(b), not both"
        case let .noBars(data, symbols, period):
            return "no bars to optimise in \(data) between \(period) (symbols with bars anywhere: \(symbols.isEmpty ? "none" : symbols.joined(separator: ", ")))"
        case let .sharedResultsFile(path, symbols):
            return "symbols \(symbols.joined(separator: " and ")) would both write their results to \(path); optimise them in separate jobs or name the results file per job"
        }
    }
}
