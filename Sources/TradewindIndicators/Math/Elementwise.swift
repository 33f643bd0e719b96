import Foundation

/// TA-Lib's one-input math transforms, applied bar by bar (lookback 0).
public enum MathTransformKind: String, Sendable, CaseIterable {
    case acos = "ACOS", asin = "ASIN", atan = "ATAN", ceil = "CEIL", cos = "COS", cosh = "COSH", exp = "EXP"
    case floor = "FLOOR", ln = "LN", log10 = "LOG10", sin = "SIN", sinh = "SINH", sqrt = "SQRT", tan = "TAN"
    case tanh = "TANH"

    @inlinable
    public func apply(_ x: Double) -> Double {
        switch self {
        case .acos: Foundation.acos(x)
        case .asin: Foundation.asin(x)
        case .atan: Foundation.atan(x)
        case .ceil: x.rounded(.up)
        case .cos: Foundation.cos(x)
        case .cosh: Foundation.cosh(x)
        case .exp: Foundation.exp(x)
        case .floor: x.rounded(.down)
        case .ln: Foundation.log(x)
        case .log10: Foundation.log10(x)
        case .sin: Foundation.sin(x)
        case .sinh: Foundation.sinh(x)
        case .sqrt: x.squareRoot()
        case .tan: Foundation.tan(x)
        case .tanh: Foundation.tanh(x)
        }
    }
}

/// A math transform (TA-Lib ACOS … TANH).
public struct MathTransform: StreamingIndicator {
    public let kind: MathTransformKind
    public init(_ kind: MathTransformKind) { self.kind = kind }
    public var lookback: Int { 0 }
    @inlinable public mutating func update(_ x: Double) -> Double? { kind.apply(x) }
}

/// TA-Lib's two-input math operators (lookback 0).
public enum MathOperatorKind: String, Sendable, CaseIterable {
    case add = "ADD", sub = "SUB", mult = "MULT", div = "DIV"
}

/// A math operator on two aligned series (TA-Lib ADD, SUB, MULT, DIV).
public struct MathOperator: StreamingIndicator {
    public let kind: MathOperatorKind
    public init(_ kind: MathOperatorKind) { self.kind = kind }
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ p: RealPair) -> Double? {
        switch kind {
        case .add: p.x + p.y
        case .sub: p.x - p.y
        case .mult: p.x * p.y
        case .div: p.x / p.y
        }
    }
}
