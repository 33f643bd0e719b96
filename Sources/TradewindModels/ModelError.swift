import TradewindCore
import TradewindML

/// What can go wrong preparing data for, training or applying a trading model; each case says what to fix.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A bar the features cannot use (a price not positive and finite, a negative or non-finite volume).
    case invalidBar(symbol: String, index: Int, field: String, value: Double)
    /// A setting outside its valid range.
    case invalidSetting(name: String, value: String, expected: String)
    /// Too little data for what was asked.
    case notEnoughData(detail: String)
    /// An error from the ML core (shapes, files, non-finite losses).
    case ml(MLError)

    public var description: String {
        switch self {
        case let .invalidBar(symbol, index, field, value):
            return "\(symbol) bar \(index): \(field) = \(value) is invalid; prices must be positive and finite, volumes ≥ 0"
        case let .invalidSetting(name, value, expected): return "\(name) = \(value) is invalid; expected \(expected)"
        case let .notEnoughData(detail): return "not enough data: \(detail)"
        case let .ml(e): return e.description
        }
    }
}
