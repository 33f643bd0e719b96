/// One bar's prices and volume: the input of every indicator that reads more than one price.
public struct OHLCV: Sendable, Equatable {
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    @inlinable
    public init(open: Double = 0, high: Double, low: Double, close: Double, volume: Double = 0) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}

/// Two aligned real values (BETA, CORREL and the two-input math operators).
public struct RealPair: Sendable, Equatable {
    public var x: Double
    public var y: Double
    @inlinable public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// An indicator computed one bar at a time in O(1) amortised work per bar (O(timeperiod) for the few whose
/// definition needs the whole window each bar: CCI, LINEARREG family, MAVP; documented on each).
///
/// Every indicator is implemented once, as this state machine; the batch functions run the same state over a
/// buffer, so streaming and batch produce bit-identical values.
public protocol StreamingIndicator: Sendable {
    associatedtype Input
    associatedtype Output: IndicatorOutput
    /// Bars consumed before the first value (TA-Lib's lookback): the first value comes with bar `lookback`.
    var lookback: Int { get }
    /// Feeds the next bar; returns the value for that bar, or nil while inside the lookback.
    mutating func update(_ input: Input) -> Output?
}

/// A value an indicator produces per bar: one number, or a fixed record of named numbers.
public protocol IndicatorOutput: Sendable {
    /// Output names in TA-Lib's order.
    static var outputNames: [String] { get }
    /// The i-th component (in `outputNames` order).
    func component(_ i: Int) -> Double
}

extension Double: IndicatorOutput {
    public static var outputNames: [String] { ["real"] }
    @inlinable public func component(_ i: Int) -> Double { self }
}
