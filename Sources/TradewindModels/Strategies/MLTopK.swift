import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `ml-topk`: every decision interval, rank the symbols by the universal model's score and hold the top K at
/// equal weights.
///
/// Rules (`MLTopKRules`), at every `interval`-th bar counted from the first bar with a score (the first included),
/// on daily or intraday bars:
/// - score = P(UP) − P(DOWN) of the symbols with a full feature window;
/// - minimum probability: only symbols with P(UP) ≥ `min_probability` are eligible;
/// - cooldown: a symbol sold less than `cooldown` bars ago is not eligible (held ones stay eligible);
/// - the target is the `k` best-scored eligible symbols; a held symbol outside it is sold (tag `rank exit`) once
///   held `min_hold` bars (minimum hold), else kept (and never bought more of);
/// - target symbols not held are bought (tag `rank entry`), best first, while the holdings stay within
///   `max_positions` (0: k), which caps them when the minimum hold keeps names outside the target;
/// - equal weights: every held symbol's target value is equity / (symbols held after the decision); a held
///   position more than `tolerance` × its target away from it is resized (tag `rebalance`), so small drifts cause
///   no churn. Sales are submitted before purchases; purchases take the cash left when short.
/// Between boundaries it does nothing. It needs `warmupBars` bars before its first decision.
public struct MLTopK: ParameterizedStrategy {
    public static var notifications: StrategyNotifications { [] }
    public static let name = "ml-topk"
    public static let summary = "Every interval, hold the K symbols with the best model score (P(UP) − P(DOWN)), equal weights."
    public static let parameterSpecs: [ParameterSpec] = [
        ModelParameter.spec,
        ParameterSpec("k", .int(1...100), default: .int(5), "Symbols in the target: the k best-scored eligible ones."),
        ParameterSpec("max_positions", .int(0...100), default: .int(0), "Positions held at most (0: k), names kept by min_hold included."),
        ParameterSpec("min_probability", .real(0...1), default: .real(0.4), "P(UP) a symbol needs to be held."),
        ParameterSpec("interval", .int(1...10_000), default: .int(1), "Bars between decisions."),
        ParameterSpec("min_hold", .int(0...10_000), default: .int(0), "Bars a position is kept at least."),
        ParameterSpec("cooldown", .int(0...10_000), default: .int(0), "Bars after a sale before the symbol may be bought again."),
        ParameterSpec("tolerance", .real(0...1), default: .real(0.05),
                      "A held position is resized to its equal weight when more than this fraction of it away."),
    ]
    public let k: Int, maxPositions: Int, minProbability: Double, interval: Int, minHold: Int, cooldown: Int, tolerance: Double
    let model: UniversalModel
    var signals: UniversalSignalStream?
    var bars = 0
    /// The bar count of the first bar on which a symbol had a full feature window (the decisions count from it).
    var firstScored: Int?
    /// Each symbol's state for the rules: held, its last entry and last exit.
    var holdings: [MLTopKRules.Holding] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        model = try ModelParameter.load(p)
        k = try p.int("k")
        let cap = try p.int("max_positions")
        maxPositions = cap == 0 ? k : cap
        minProbability = try p.real("min_probability")
        interval = try p.int("interval")
        minHold = try p.int("min_hold")
        cooldown = try p.int("cooldown")
        tolerance = try p.real("tolerance")
    }

    var decisionRules: MLTopKRules {
        MLTopKRules(k: k, maxPositions: maxPositions, minProbability: minProbability, minHold: minHold, cooldown: cooldown)
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        signals = UniversalSignalStream(model: model, symbols: context.symbols)
        holdings = Array(repeating: MLTopKRules.Holding(), count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        let ready = try signals!.feed(context)
        defer { bars += 1 }
        if firstScored == nil && !ready.isEmpty { firstScored = bars }
        guard let firstScored, (bars - firstScored) % interval == 0 else { return }
        let candidates = try signals!.predict(ready).map { p in
            MLTopKRules.Candidate(symbol: context.symbolIndex(p.symbol)!, pUp: p.probabilities[Direction.up.rawValue],
                                  score: Self.score(p))
        }
        for s in 0..<context.symbolCount {
            holdings[s].held = context.position(s) > 0
            holdings[s].hasBar = context.hasBar(s)
        }
        let decision = decisionRules.decide(bar: bars, candidates: candidates, holdings: holdings)
        for s in decision.exits {
            context.closePosition(s, tag: "rank exit")
            holdings[s].exitedAt = bars
        }
        let held = decision.held
        guard !held.isEmpty else { return }
        let values = held.map { s in context.position(s) * context.close(s) }
        let gaps = MLTopKRules.rebalance(equity: context.equity, values: values,
                                         priced: held.map { s in context.hasBar(s) || context.position(s) == 0 },
                                         mayAdd: decision.mayAdd, tolerance: tolerance)
        // Sales first, so that the purchases after them find the cash.
        for (i, s) in held.enumerated() where gaps[i] < 0 {
            context.sell(s, .units(-gaps[i] / context.close(s)), tag: "rebalance")
        }
        for (i, s) in held.enumerated() where gaps[i] > 0 {
            if context.position(s) > 0 {
                context.buy(s, .notionalOrAvailable(gaps[i]), tag: "rebalance")
            } else {
                context.buy(s, held.count == 1 ? .allAvailable : .notionalOrAvailable(gaps[i]), tag: "rank entry")
                holdings[s].enteredAt = bars
            }
        }
    }

    /// The score the symbols are ranked by: P(UP) − P(DOWN).
    static func score(_ p: UniversalPrediction) -> Double {
        p.probabilities[Direction.up.rawValue] - p.probabilities[Direction.down.rawValue]
    }
}

extension MLTopK: CatalogStrategy {
    public static let rules = """
          Long only, on daily or intraday bars. Every `interval` bars, counted from the first bar on which a symbol
          has a full feature window (that bar included), the universal model
          scores each symbol with a full feature window (the model's window, 60 unless trained otherwise): score =
          P(UP) − P(DOWN). Eligible: P(UP) ≥ min_probability and not sold in the last `cooldown` bars (held symbols
          stay eligible). The target is the k best-scored eligible symbols (ties: the earlier symbol). A held symbol
          outside the target is sold once held `min_hold` bars, else kept, and only ever trimmed, never bought more
          of. Target symbols not held are bought, best
          first, while the holdings stay within max_positions (0: k; it caps them when min_hold keeps names outside
          the target). Equal weights: each held symbol's target is equity / (symbols held after the decision); a held
          position more than `tolerance` × its target away from it is resized to it (no churn on small drifts). Sales
          are submitted before purchases; a purchase takes the cash left when short. Market orders at the next open;
          nothing between decisions. Warm-up (--warmup auto): 49 bars of feature look-back (the SMA 50) + window − 1,
          read from the model's universal.json (108 for a 60-bar window).
        """

    public static func warmupBars(_ parameters: StrategyParameters) -> Int { ModelParameter.warmupBars(parameters) }
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
