/// A metric that encodes to JSON as a number when finite and as `null` otherwise (JSON has no NaN or
/// infinity). `null` therefore means "undefined" (NaN, e.g. Sharpe of a flat series) or "infinite"
/// (e.g. a profit factor with no losses); it decodes back to NaN.
@propertyWrapper
public struct FiniteOrNull: Sendable, Codable, Equatable {
    public var wrappedValue: Double

    public init(wrappedValue: Double) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? .nan : try c.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if wrappedValue.isFinite { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }

    /// Equal when both are NaN, or numerically equal.
    public static func == (a: FiniteOrNull, b: FiniteOrNull) -> Bool {
        a.wrappedValue == b.wrappedValue || (a.wrappedValue.isNaN && b.wrappedValue.isNaN)
    }
}
