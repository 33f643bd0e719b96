import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `buy-and-hold`: on the first bar of each symbol, buy with an equal share of the initial capital
/// (all available cash for a single symbol) and hold to the end.
public struct BuyAndHold: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "buy-and-hold"
    public static let summary = "Buy on the first bar, hold to the end."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("fraction", .real(0.000001...1), default: .real(1),
                      "Fraction of the initial capital to invest, split equally across symbols."),
    ]

    public let fraction: Double
    private var bought: [Bool] = []

    public init(fraction: Double = 1) throws(ParameterError) {
        let p = try StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: ["fraction": .real(fraction)])
        try self.init(parameters: p)
    }

    public init(parameters: StrategyParameters) throws(ParameterError) {
        fraction = try parameters.real("fraction")
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        bought = Array(repeating: false, count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        let n = context.symbolCount
        for s in 0..<n where !bought[s] && context.hasBar(s) {
            bought[s] = true
            if n == 1 && fraction == 1 {
                context.buy(s, .allAvailable, tag: "buy-and-hold")
            } else {
                context.buy(s, .notional(context.initialCash * fraction / Double(n) / (1 + 1e-9)), tag: "buy-and-hold")
            }
        }
    }
}

extension BuyAndHold: CatalogStrategy {
    public static let rules = """
          Buy on each symbol's first bar with `fraction` of the initial capital (split equally across symbols) and
          hold to the end.
        """
}
