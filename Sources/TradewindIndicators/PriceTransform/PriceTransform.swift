/// TA-Lib's price transforms: one price per bar from open/high/low/close.
public enum PriceTransformKind: String, Sendable, CaseIterable {
    /// AVGPRICE: (open + high + low + close) / 4.
    case avgprice = "AVGPRICE"
    /// MEDPRICE: (high + low) / 2.
    case medprice = "MEDPRICE"
    /// TYPPRICE: (high + low + close) / 3.
    case typprice = "TYPPRICE"
    /// WCLPRICE: (high + low + 2·close) / 4.
    case wclprice = "WCLPRICE"
}

/// A price transform (TA-Lib AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE). Lookback 0.
public struct PriceTransform: StreamingIndicator {
    public let kind: PriceTransformKind
    public init(_ kind: PriceTransformKind) { self.kind = kind }
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        switch kind {
        case .avgprice: return (bar.high + bar.low + bar.close + bar.open) / 4
        case .medprice: return (bar.high + bar.low) / 2.0
        case .typprice: return (bar.high + bar.low + bar.close) / 3.0
        case .wclprice: return (bar.high + bar.low + (bar.close * 2.0)) / 4.0
        }
    }
}
