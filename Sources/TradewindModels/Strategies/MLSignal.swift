import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `ml-signal`: long a symbol when the universal model's P(UP) reaches a threshold; out on P(DOWN) or a stop.
///
/// Rules, per symbol and bar with a full feature window (`MLSignalRules`): a bar with P(UP) ≥ `threshold` fires a buy
/// signal, which stays valid for `expiry` bars (the bar it fired on included) while it cannot be acted on; a valid
/// signal buys when the symbol is flat and P(DOWN) < `exit_threshold`, and is then spent. A held position is sold
/// when P(DOWN) ≥ `exit_threshold` (tag `exit`) or the close is `stop` or more below the average entry price (tag
/// `stop`). (`MLSignalRules`.) It needs `warmupBars` bars (the features' look-back and the model's window) before its first signal.
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
            let held = context.position(s) > 0
            let (age, action) = decisionRules.decide(pUp: prediction.probabilities[Direction.up.rawValue],
                                       pDown: prediction.probabilities[Direction.down.rawValue], age: signalAge[s], held: held,
                                       close: context.close(s), entry: held ? context.averageEntryPrice(s) : 0)
            signalAge[s] = age
            switch action {
            case .hold: break
            case .buy: context.buy(s, ModelParameter.size(context, slots: context.symbolCount), tag: "entry")
            case .stop: context.closePosition(s, tag: "stop")
            case .exit: context.closePosition(s, tag: "exit")
            }
        }
    }

    var decisionRules: MLSignalRules {
        MLSignalRules(threshold: threshold, exitThreshold: exitThreshold, stop: stop, expiry: expiry)
    }
}

/// `ml-signal`'s rules for one symbol on one bar with a full feature window, apart from the engine so each rule
/// can be checked on its own.
struct MLSignalRules: Sendable, Equatable {
    var threshold: Double, exitThreshold: Double, stop: Double, expiry: Int

    /// What the rules do with one symbol on one bar.
    enum Action: Sendable, Equatable { case hold, buy, stop, exit }

    /// The buy signal's new age (nil: none valid) and the action, from the bar's P(UP), P(DOWN), the signal's age
    /// before it, whether the symbol is held, its close and (held) its average entry price.
    func decide(pUp: Double, pDown: Double, age: Int?, held: Bool, close: Double, entry: Double) -> (age: Int?, action: Action) {
        var age = age
        if pUp >= threshold {
            age = 0
        } else if let a = age {
            age = a + 1 < expiry ? a + 1 : nil
        }
        if held {
            let stopped = stop > 0 && close <= entry * (1 - stop)
            return (age, stopped ? .stop : pDown >= exitThreshold ? .exit : .hold)
        }
        if age != nil && pDown < exitThreshold { return (nil, .buy) }
        return (age, .hold)
    }
}

extension MLSignal: CatalogStrategy {
    public static let rules = """
          Long only. Each bar, the universal model (a trained `tradewind ml train` model) reads each symbol's last
          `window` bars of the 18 features (the model's window, 60 unless trained otherwise). A bar with P(UP) ≥
          threshold fires a buy signal, valid for `expiry` bars (its own bar included) while it cannot be acted on. A
          flat symbol with a valid signal and P(DOWN) < exit_threshold is bought (all cash with one symbol, else 1/N
          of equity or the cash left) and the signal is spent. A held position is sold when the close is `stop` or
          more below the average entry price (tag stop) or P(DOWN) ≥ exit_threshold (tag exit). Market orders at the
          next open. Warm-up (--warmup auto): 49 bars of feature look-back (the SMA 50) + window − 1, read from the
          model's universal.json (108 for a 60-bar window).
        """

    public static func warmupBars(_ parameters: StrategyParameters) -> Int { ModelParameter.warmupBars(parameters) }
}
