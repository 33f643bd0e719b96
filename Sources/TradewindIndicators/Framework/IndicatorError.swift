/// Why an indicator could not be built or run. Every case names the indicator and says what would be valid.
public enum IndicatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is outside its valid range (`valid` spells the range, e.g. "2...100000").
    case invalidParameter(indicator: String, parameter: String, value: Double, valid: String)
    /// Two parameters are individually valid but not together (e.g. minperiod > maxperiod).
    case invalidCombination(indicator: String, reason: String)
    /// The registry has no indicator of that name.
    case unknownIndicator(String)
    /// A parameter name the indicator does not take.
    case unknownParameter(indicator: String, parameter: String, known: [String])
    /// The input columns do not all have the same length.
    case inputLengthMismatch(indicator: String, lengths: [Int])
    /// The wrong number of input columns was passed to a registry call.
    case inputCountMismatch(indicator: String, expected: [String], got: Int)
    /// The indicator reads a period per bar (MAVP) and no `periods` were given.
    case missingPeriods(indicator: String)

    public var description: String {
        switch self {
        case let .invalidParameter(ind, p, v, valid):
            let shown = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
            return "\(ind): \(p)=\(shown) is out of range; valid: \(valid)"
        case let .invalidCombination(ind, reason):
            return "\(ind): \(reason)"
        case let .unknownIndicator(name):
            return "unknown indicator '\(name)'; run `tradewind indicator list` to see them all"
        case let .unknownParameter(ind, p, known):
            return "\(ind) has no parameter '\(p)'; it takes: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        case let .inputLengthMismatch(ind, lengths):
            return "\(ind): input columns differ in length (\(lengths.map(String.init).joined(separator: ", ")))"
        case let .inputCountMismatch(ind, expected, got):
            return "\(ind): expects \(expected.count) input columns (\(expected.joined(separator: ", "))), got \(got)"
        case let .missingPeriods(ind):
            return "\(ind): needs a period per bar: give periods, one number per bar, in bar order"
        }
    }
}

/// Parameter checks shared by every indicator (TA-Lib's ranges).
@usableFromInline
enum Check {
    @usableFromInline
    static func period(_ value: Int, _ name: String, in range: ClosedRange<Int>, _ indicator: String) throws(IndicatorError) {
        guard range.contains(value) else {
            throw .invalidParameter(indicator: indicator, parameter: name, value: Double(value),
                                    valid: "\(range.lowerBound)...\(range.upperBound)")
        }
    }

    @usableFromInline
    static func real(_ value: Double, _ name: String, in range: ClosedRange<Double>, _ indicator: String) throws(IndicatorError) {
        guard value.isFinite, range.contains(value) else {
            throw .invalidParameter(indicator: indicator, parameter: name, value: value,
                                    valid: "\(range.lowerBound)...\(range.upperBound)")
        }
    }
}

/// TA-Lib's largest period.
public let maxIndicatorPeriod = 100_000
/// TA-Lib's bounds for unconstrained real parameters.
public let realParameterBound = 3.0e37
