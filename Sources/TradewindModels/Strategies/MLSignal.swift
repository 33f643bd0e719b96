import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `ml-signal`: long a symbol when the universal model's P(UP) reaches a threshold; out on P(DOWN) or a stop.
public struct MLSignal: ParameterizedStrategy {
    public static var notifications: StrategyNotifications { [] }
    public static let name = "ml-signal"
    public static let summary = "Long when the universal model's P(UP) ≥ threshold; exit on P(DOWN) ≥ exit threshold or a stop."
    public static let parameterSpecs: [ParameterSpec] = [
        ModelParameter.spec,
        ParameterSpec("threshold", .real(0.01...0.99), default: .real(0.5), "P(UP) at or above which a buy signal fires."),
        ParameterSpec("exit_threshold", .real(0.01...1), default: .real(0.5), "P(DOWN) at or above which a position is sold."),
        ParameterSpec("stop", .real(0...0.5), default: .real(0.05), "Stop loss below the entry price, as a fraction (0: none)."),
        ParameterSpec("expiry", .int(1...250), default: .int(1), "Bars a buy signal stays valid while it cannot be acted on."),
    ]
    public let threshold: Double, exitThreshold: Double, stop: Double, expiry: Int
    let model: UniversalModel
    var signals: UniversalSignalStream?
    /// Bars since each symbol's last buy signal, nil when none is valid.
    var signalAge: [Int?] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        model = try ModelParameter.load(p)
        threshold = try p.real("threshold")
        exitThreshold = try p.real("exit_threshold")
        stop = try p.real("stop")
        expiry = try p.int("expiry")
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        signals = UniversalSignalStream(model: model, symbols: context.symbols)
        signalAge = Array(repeating: nil, count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        let ready = try signals!.feed(context)
        for prediction in try signals!.predict(ready) {
            let s = context.symbolIndex(prediction.symbol)!
            let (pDown, pUp) = (prediction.probabilities[Direction.down.rawValue], prediction.probabilities[Direction.up.rawValue])
            if pUp >= threshold {
                signalAge[s] = 0
            } else if let age = signalAge[s] {
                signalAge[s] = age + 1 < expiry ? age + 1 : nil
            }
            if context.position(s) > 0 {
                let stopped = stop > 0 && context.close(s) <= context.averageEntryPrice(s) * (1 - stop)
                if pDown >= exitThreshold || stopped { context.closePosition(s, tag: stopped ? "stop" : "exit") }
            } else if signalAge[s] != nil && pDown < exitThreshold {
                context.buy(s, ModelParameter.size(context, slots: context.symbolCount), tag: "entry")
                signalAge[s] = nil
            }
        }
    }
}

extension MLSignal: CatalogStrategy {
    public static let rules = """
          Long only. Each bar, the universal model (a trained `tradewind ml train` model) reads each symbol's last 60
          bars of the 18 features. Buy (all cash with one symbol, else 1/N of equity or the cash left) when P(UP) ≥ threshold and
          P(DOWN) < exit_threshold; the signal stays valid for `expiry` bars. Sell the position when P(DOWN) ≥
          exit_threshold or the close is `stop` below the average entry price. Market orders at the next open.
        """
}
