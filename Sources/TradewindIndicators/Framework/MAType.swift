/// TA-Lib's moving-average types, by their `matype` numbers.
public enum MAType: Int, Sendable, CaseIterable, Codable {
    case sma = 0, ema = 1, wma = 2, dema = 3, tema = 4, trima = 5, kama = 6, mama = 7, t3 = 8

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
        }
    }

    /// Parses a `matype` parameter value (0...8).
    public static func parse(_ value: Int, parameter: String = "matype", indicator: String) throws(IndicatorError) -> MAType {
        guard let t = MAType(rawValue: value) else {
            throw .invalidParameter(indicator: indicator, parameter: parameter, value: Double(value),
                                    valid: "0...8 (0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3)")
        }
        return t
    }
}
