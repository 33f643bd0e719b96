import TradewindCore

/// Everything that can be wrong with the input to a metric, said so that the caller can fix it.
public enum AnalyticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two arrays that must run in step (returns and times, strategy and benchmark) differ in length.
    case lengthMismatch(what: String, expected: Int, actual: Int)
    /// A return (or equity value) is NaN or infinite. Missing observations must be removed first
    /// (see `ReturnSeries.droppingMissing`).
    case nonFinite(what: String, index: Int, value: Double)
    /// Times must increase strictly; `index` is the first one that does not.
    case unsortedTimes(index: Int, previous: UnixNanos, current: UnixNanos)
    /// Equity values must be positive to define returns.
    case nonPositiveEquity(index: Int, value: Double)
    /// The benchmark has no finite return at a time the strategy has one.
    case missingBenchmarkObservation(time: UnixNanos)
    /// A parameter outside its valid range, e.g. periods per year ≤ 0, a window < 2, a confidence outside (0, 1).
    case invalidParameter(name: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case let .lengthMismatch(what, expected, actual):
            return "\(what): expected \(expected) values to match the returns, got \(actual)"
        case let .nonFinite(what, index, value):
            return "\(what)[\(index)] is \(value); every value must be finite "
                + "(drop missing observations first with ReturnSeries.droppingMissing)"
        case let .unsortedTimes(index, previous, current):
            return "times[\(index)] \(ISO8601.utc(current)) is not after times[\(index - 1)] "
                + "\(ISO8601.utc(previous)); times must increase strictly"
        case let .nonPositiveEquity(index, value):
            return "equity[\(index)] is \(value); equity must be > 0 to define returns"
        case let .missingBenchmarkObservation(time):
            return "the benchmark has no return at \(ISO8601.utc(time)); it must cover every time of the strategy's returns"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value) is invalid; expected \(expected)"
        }
    }
}
