import TradewindEngine

/// `bollinger-reversion`: buy when the close falls below the lower Bollinger band (SMA(`period`) − `std` ×
/// population standard deviation of the last `period` closes, TA-Lib's BBANDS with a simple average); sell
/// when the close reaches the middle band (close ≥ SMA). Long only; sizing and fills as `sma-cross`.
public struct BollingerReversion: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "bollinger-reversion"
    public static let summary = "Buy below the lower Bollinger band, sell back at the middle band."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("period", .int(2...1000), default: .int(20), "Band window (bars)."),
        ParameterSpec("std", .real(0.1...10), default: .real(2), "Band width in standard deviations."),
    ]
    public let period: Int, width: Double
    private var window: [RollingWindow] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        period = p.int("period"); width = p.real("std")
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        window = Array(repeating: RollingWindow(window: period), count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let c = context.close(s)
            let b = window[s].update(c)
            guard !b.mean.isNaN else { continue }
            LongOnly.act(context, symbol: s, buy: c < b.mean - width * b.std, sell: c >= b.mean)
        }
    }
}
