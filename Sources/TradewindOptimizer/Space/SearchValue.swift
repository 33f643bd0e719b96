/// The value of one strategy parameter at a point of the search.
public enum SearchValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case real(Double)
    case string(String)

    /// The value as a number; nil for strings.
    public var numeric: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .real(x): return x
        case .string: return nil
        }
    }

    /// Integers print without a decimal point, reals in their shortest round-trip form.
    public var description: String {
        switch self {
        case let .int(i): return String(i)
        case let .real(x): return String(x)
        case let .string(s): return s
        }
    }

    /// Parses a literal: an integer, else a number, else the text itself.
    public static func parse(_ text: String) -> SearchValue {
        if let i = Int(text) { return .int(i) }
        if let d = ExactDecimal(text) { return .real(d.doubleValue) }
        if let x = Double(text), x.isFinite { return .real(x) }
        return .string(text)
    }
}

/// One point of a parameter space: a coordinate per dimension. Discrete dimensions (stepped
/// ranges, level lists, choices, fixed values) hold the level's index as an exact integer;
/// continuous dimensions hold the value itself. Use `ParameterSpace.value(of:at:)` to read values.
public struct ParameterPoint: Sendable, Hashable {
    public var coordinates: [Double]

    public init(coordinates: [Double]) {
        self.coordinates = coordinates
    }
}
