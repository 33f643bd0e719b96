/// Three bands around a middle line (BBANDS, DONCHIAN, KC, VWAP bands).
public struct Bands: IndicatorOutput, Equatable {
    public var upperband: Double
    public var middleband: Double
    public var lowerband: Double
    @inlinable public init(upperband: Double, middleband: Double, lowerband: Double) {
        self.upperband = upperband
        self.middleband = middleband
        self.lowerband = lowerband
    }
    public static var outputNames: [String] { ["upperband", "middleband", "lowerband"] }
    @inlinable public func component(_ i: Int) -> Double { i == 0 ? upperband : i == 1 ? middleband : lowerband }
}

/// A pair of named lines; `Names` fixes the TA-Lib output names (e.g. slowk/slowd).
public struct LinePair<Names: LinePairNames>: IndicatorOutput, Equatable {
    public var first: Double
    public var second: Double
    @inlinable public init(_ first: Double, _ second: Double) {
        self.first = first
        self.second = second
    }
    public static var outputNames: [String] { [Names.first, Names.second] }
    @inlinable public func component(_ i: Int) -> Double { i == 0 ? first : second }
}

/// Output names of a `LinePair`.
public protocol LinePairNames: Sendable {
    static var first: String { get }
    static var second: String { get }
}

/// MACD's three lines.
public struct MACDOutput: IndicatorOutput, Equatable {
    public var macd: Double
    public var macdsignal: Double
    public var macdhist: Double
    @inlinable public init(macd: Double, macdsignal: Double, macdhist: Double) {
        self.macd = macd
        self.macdsignal = macdsignal
        self.macdhist = macdhist
    }
    public static var outputNames: [String] { ["macd", "macdsignal", "macdhist"] }
    @inlinable public func component(_ i: Int) -> Double { i == 0 ? macd : i == 1 ? macdsignal : macdhist }
}

public enum SlowNames: LinePairNames { public static let first = "slowk"; public static let second = "slowd" }
public enum FastNames: LinePairNames { public static let first = "fastk"; public static let second = "fastd" }
public enum AroonNames: LinePairNames { public static let first = "aroondown"; public static let second = "aroonup" }
public enum MinMaxNames: LinePairNames { public static let first = "min"; public static let second = "max" }
public enum MinMaxIndexNames: LinePairNames { public static let first = "minidx"; public static let second = "maxidx" }
public enum PhasorNames: LinePairNames { public static let first = "inphase"; public static let second = "quadrature" }
public enum SineNames: LinePairNames { public static let first = "sine"; public static let second = "leadsine" }
public enum SuperTrendNames: LinePairNames { public static let first = "supertrend"; public static let second = "trend" }
