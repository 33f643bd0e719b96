import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `ml-topk`: every decision interval, rank the symbols by the universal model's score and hold the top K.
public struct MLTopK: ParameterizedStrategy {
    public static var notifications: StrategyNotifications { [] }
    public static let name = "ml-topk"
    public static let summary = "Every interval, hold the K symbols with the best model score (P(UP) − P(DOWN)), equal weights."
    public static let parameterSpecs: [ParameterSpec] = [
        ModelParameter.spec,
        ParameterSpec("k", .int(1...100), default: .int(5), "Symbols held at most (equal weights 1/k of equity)."),
        ParameterSpec("min_probability", .real(0...1), default: .real(0.4), "P(UP) a symbol needs to be held."),
        ParameterSpec("interval", .int(1...10_000), default: .int(1), "Bars between decisions."),
        ParameterSpec("min_hold", .int(0...10_000), default: .int(0), "Bars a position is kept at least."),
        ParameterSpec("cooldown", .int(0...10_000), default: .int(0), "Bars after a sale before the symbol may be bought again."),
    ]
    public let k: Int, minProbability: Double, interval: Int, minHold: Int, cooldown: Int
    let model: UniversalModel
    var signals: UniversalSignalStream?
    var bars = 0
    /// The bar count at each symbol's last entry and last exit.
    var enteredAt: [Int] = [], exitedAt: [Int?] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        model = try ModelParameter.load(p)
        k = try p.int("k")
        minProbability = try p.real("min_probability")
        interval = try p.int("interval")
        minHold = try p.int("min_hold")
        cooldown = try p.int("cooldown")
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        signals = UniversalSignalStream(model: model, symbols: context.symbols)
        enteredAt = Array(repeating: 0, count: context.symbolCount)
        exitedAt = Array(repeating: nil, count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        let ready = try signals!.feed(context)
        defer { bars += 1 }
        guard bars % interval == 0 else { return }
        let predictions = try signals!.predict(ready)
        let ranked = predictions.filter { p in
            let s = context.symbolIndex(p.symbol)!
            return p.probabilities[Direction.up.rawValue] >= minProbability
                && (context.position(s) > 0 || exitedAt[s].map { bars - $0 >= cooldown } ?? true)
        }.sorted { score($0) > score($1) }
        let target = Set(ranked.prefix(k).map { context.symbolIndex($0.symbol)! })
        var held = 0
        for s in 0..<context.symbolCount where context.position(s) > 0 {
            if !target.contains(s) && bars - enteredAt[s] >= minHold && context.hasBar(s) {
                context.closePosition(s, tag: "rank exit")
                exitedAt[s] = bars
            } else {
                held += 1
            }
        }
        for p in ranked.prefix(k) where held < k {
            let s = context.symbolIndex(p.symbol)!
            guard context.position(s) == 0 else { continue }
            context.buy(s, ModelParameter.size(context, slots: min(k, context.symbolCount)), tag: "rank entry")
            enteredAt[s] = bars
            held += 1
        }
    }

    func score(_ p: UniversalPrediction) -> Double {
        p.probabilities[Direction.up.rawValue] - p.probabilities[Direction.down.rawValue]
    }
}

extension MLTopK: CatalogStrategy {
    public static let rules = """
          Long only, on daily or intraday bars. Every `interval` bars, the universal model scores each symbol with a
          full 60-bar feature window: score = P(UP) − P(DOWN). Symbols with P(UP) ≥ min_probability and not sold in
          the last `cooldown` bars are ranked by score; the top k are the target. Held symbols outside the target
          are sold once held `min_hold` bars; target symbols not held are bought with 1/k of equity or the cash left (at most k
          positions). Market orders at the next open.
        """
}

/// The ML strategies, registered into Tradewind's catalog: the one registry the command line, optimizer,
/// reports and server use.
public enum ModelStrategies {
    public static let catalog: StrategyCatalog = {
        do { return try StrategyCatalog.builtIn.registering(MLSignal.self).registering(MLTopK.self) } catch {
            preconditionFailure("ml-signal and ml-topk collide with a built-in strategy name: \(error)")
        }
    }()
}
