/// TA-Lib's moving-average types, by their `matype` numbers (TA-Lib 0.8: 0...13).
///
/// Two numbers are not averages of their own: `disabled` (10) passes the input through unchanged (lookback 0,
/// whatever the period), and `default` (11) asks for the consuming function's own default type: EMA for APO
/// and PPO, SMA everywhere else (MA, BBANDS, MACDEXT, STOCH, STOCHF, STOCHRSI, MAVP).
public enum MAType: Int, Sendable, CaseIterable, Codable {
    case sma = 0, ema = 1, wma = 2, dema = 3, tema = 4, trima = 5, kama = 6, mama = 7, t3 = 8
    /// Hull moving average: `WMA(2·WMA(x, n/2) − WMA(x, n), ⌊√n⌋)`.
    case hma = 9
    /// No averaging: the input itself.
    case disabled = 10
    /// The consuming function's own default type (see `resolved(functionDefault:)`).
    case `default` = 11
    /// Zero-lag EMA: the EMA of `2·x[i] − x[i − (n−1)/2]`.
    case zlema = 12
    /// Wilder's smoothing (RMA): seeded with the SMA of the first n values, then `prev + (x − prev)/n`.
    case rma = 13

    /// TA-Lib's short name (SMA, EMA, …).
    public var name: String {
        switch self {
        case .sma: "SMA"
        case .ema: "EMA"
        case .wma: "WMA"
        case .dema: "DEMA"
        case .tema: "TEMA"
        case .trima: "TRIMA"
        case .kama: "KAMA"
        case .mama: "MAMA"
        case .t3: "T3"
        case .hma: "HMA"
        case .disabled: "DISABLED"
        case .default: "DEFAULT"
        case .zlema: "ZLEMA"
        case .rma: "RMA"
        }
    }

    /// The concrete type this one stands for in a function whose own default is `functionDefault`: `default`
    /// becomes `functionDefault`, every other type is itself.
    @inlinable
    public func resolved(functionDefault: MAType) -> MAType {
        self == .default ? functionDefault : self
    }

    /// The valid `matype` numbers with their names, as error messages show them.
    public static let validDescription: String =
        "0...13 (" + allCases.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") + ")"

    /// Parses a `matype` parameter value (0...13).
    public static func parse(_ value: Int, parameter: String = "matype", indicator: String) throws(IndicatorError) -> MAType {
        guard let t = MAType(rawValue: value) else {
            throw .invalidParameter(indicator: indicator, parameter: parameter, value: Double(value), valid: validDescription)
        }
        return t
    }
}
