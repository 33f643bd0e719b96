import TradewindCore
import TradewindEngine
import TradewindIndicators

/// The engine side of the intraday family members that decide on the bar starting at `buy_time`
/// (`open-10am`, `open-10am-stop`, `vwap-momentum`): each session, per symbol, one conditional market-on-open
/// buy (`OrderType.openIf`) for the bar starting exactly at `buy_time`; it fills at that bar's open when the open
/// clears the rule's levels and expires otherwise (also when the session has no bar starting at `buy_time`).
/// Exits as `momentum`'s (`IntradaySizing.placeExits`): target limit, optional stop, market-on-close, one
/// cancelling the others, from the bar after the entry.
///
/// The order is placed on the close of an earlier in-session bar, so a session needs a regular-hours bar
/// before `buy_time`: `open-10am` places it on the session's first bar (C is known then); `vwap-momentum`
/// places it on the close of the `reference_time` bar and replaces it on each later bar before `buy_time` with
/// the updated VWAP (cancel-and-replace: these show as `replaced` orders in the order log).
struct OpenEntryCore {
    enum Rule {
        /// open > C·(1 + buy_trigger/100).
        case openAbove
        /// open > VWAP of the session's bars before buy_time, and open ≥ close(reference bar)·(1 + buy_trigger/100).
        case vwap(referenceTime: Int)
    }

    let rule: Rule
    let parameters: IntradayParameters
    var sessions = SymbolSessions()
    var entry: [OrderID?] = []
    var pv: [Double] = [], volume: [Double] = [], reference: [Double] = []

    init(rule: Rule, parameters: IntradayParameters) {
        self.rule = rule
        self.parameters = parameters
    }

    mutating func start(_ context: some TradingContext) {
        let n = context.symbolCount
        sessions = SymbolSessions(count: n)
        entry = Array(repeating: nil, count: n)
        pv = Array(repeating: 0, count: n)
        volume = pv
        reference = Array(repeating: .nan, count: n)
    }

    mutating func bar(_ context: some TradingContext, strategy: String) throws {
        let buyTime = parameters.buyTime
        for s in 0..<context.symbolCount where context.hasBar(s) && context.isInSession {
            if context.sessionDate.daysSinceEpoch != sessions.day[s] {
                pv[s] = 0; volume[s] = 0; reference[s] = .nan
            }
            try sessions.observe(context, s, strategy: strategy)
            let minute = context.minuteOfDay
            guard minute < buyTime, !sessions.decided[s] else { continue }
            let barStart = context.time + UnixNanos(buyTime - minute) * UnixTime.nanosPerMinute
            switch rule {
            case .openAbove:
                let c = sessions.previousClose[s]
                guard c.isFinite && c > 0 else { continue }
                sessions.decided[s] = true
                let condition = OpenCondition(above: c * (1 + parameters.buyTrigger / 100), barStart: barStart)
                entry[s] = context.buy(s, IntradaySizing.size(context, compound: parameters.compound), .openIf(condition),
                                       tif: .day, tag: "entry")
            case .vwap(let referenceTime):
                pv[s] += (context.high(s) + context.low(s) + context.close(s)) / 3 * context.volume(s)
                volume[s] += context.volume(s)
                if minute == referenceTime { reference[s] = context.close(s) }
                guard !reference[s].isNaN, volume[s] > 0 else { continue }
                let condition = OpenCondition(above: pv[s] / volume[s], atLeast: reference[s] * (1 + parameters.buyTrigger / 100),
                                              barStart: barStart)
                if let id = entry[s], let replaced = context.replace(id, type: .openIf(condition)) {
                    entry[s] = replaced
                } else {
                    entry[s] = context.buy(s, IntradaySizing.size(context, compound: parameters.compound), .openIf(condition),
                                           tif: .day, tag: "entry")
                }
            }
        }
    }

    mutating func fill(_ context: some TradingContext, _ fill: Fill) {
        guard let id = entry[fill.symbol], id == fill.orderID else { return }
        entry[fill.symbol] = nil
        sessions.decided[fill.symbol] = true
        IntradaySizing.placeExits(context, symbol: fill.symbol, entry: fill.price, parameters: parameters)
    }

    mutating func orderUpdate(_ order: Order) {
        // An entry that expired (or was rejected) ends the session's attempt; a replaced one lives on as its successor.
        guard order.status.isFinal, order.status != .replaced, let id = entry[order.symbol], id == order.id else { return }
        entry[order.symbol] = nil
        sessions.decided[order.symbol] = true
    }

    mutating func sessionClose(_ context: some TradingContext) {
        for s in 0..<context.symbolCount {
            if let id = entry[s] { context.cancel(id); entry[s] = nil }
        }
    }
}

/// Parameters shared by the open-at-buy-time strategies.
enum OpenEntrySpecs {
    static let buyTrigger = ParameterSpec("buy_trigger", .real(-99...1000), default: .real(1),
                                          "Entry level, % above the reference (see the rules).")
    static let sellTrigger = ParameterSpec("sell_trigger", .real(0.0001...1000), default: .real(1), "Target, % above the entry fill price.")
    static let buyTime = ParameterSpec("buy_time", .timeOfDay(571...959), default: .timeOfDay(600),
                                       "New York time of the bar whose open decides the entry (needs an earlier bar in the session).")
    static let compound = ParameterSpec("compound", .bool, default: .bool(true), "true: invest all cash each trade; false: the initial cash each trade.")

    static func parameters(_ p: StrategyParameters, stopLoss: Double) throws(ParameterError) -> IntradayParameters {
        try IntradayParameters(buyTrigger: p.real("buy_trigger"), sellTrigger: try p.real("sell_trigger"), stopLoss: stopLoss,
                           buyTime: try p.timeOfDay("buy_time"), compound: try p.bool("compound"))
    }
}

/// `open-10am`: on the bar starting at `buy_time` (10:00), if its open > C·(1 + buy_trigger/100) (C = the previous
/// session's last regular-hours close), buy at that open; sell at entry·(1 + sell_trigger/100) (from the next bar; at
/// the open when a bar opens above it) or at the session's close. Needs intraday bars, the NYSE session policy with
/// flatten at close (`--session nyse --flatten-at-close`), and a regular-hours bar before `buy_time`.
public struct OpenTenAM: ParameterizedStrategy {
    public static let name = "open-10am"
    public static let summary = "Intraday: buy at the buy_time (10:00) open when it is buy_trigger % above the previous close; exit at the target or the close."
    public static let parameterSpecs: [ParameterSpec] = [
        OpenEntrySpecs.buyTrigger, OpenEntrySpecs.sellTrigger, OpenEntrySpecs.buyTime, OpenEntrySpecs.compound,
    ]
    private var core: OpenEntryCore

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        core = OpenEntryCore(rule: .openAbove, parameters: try OpenEntrySpecs.parameters(p, stopLoss: 0))
    }

    /// From kernel parameters (`stopLoss` must be 0: use `OpenTenAMStop` for a stop).
    public init(_ p: IntradayParameters) throws(ParameterError) {
        guard p.stopLoss == 0 else { throw ParameterError.inconsistent("open-10am has no stop; use open-10am-stop") }
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: [
            "buy_trigger": .real(p.buyTrigger), "sell_trigger": .real(p.sellTrigger), "buy_time": .timeOfDay(p.buyTime),
            "compound": .bool(p.compound),
        ]))
    }

    public mutating func onStart(_ context: some TradingContext) throws { core.start(context) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
    public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws { core.orderUpdate(order) }
    public mutating func onSessionClose(_ context: some TradingContext) throws { core.sessionClose(context) }
}

/// `open-10am-stop`: `open-10am` with a stop at entry·(1 − stop_loss/100) from the bar after the entry (at the open
/// when a bar opens below it; a bar touching both target and stop sells at the stop).
public struct OpenTenAMStop: ParameterizedStrategy {
    public static let name = "open-10am-stop"
    public static let summary = "Intraday: open-10am with a stop stop_loss % below the entry."
    public static let parameterSpecs: [ParameterSpec] = [
        OpenEntrySpecs.buyTrigger, OpenEntrySpecs.sellTrigger,
        ParameterSpec("stop_loss", .real(0.0001...99.99), default: .real(1), "Stop, % below the entry fill price."),
        OpenEntrySpecs.buyTime, OpenEntrySpecs.compound,
    ]
    private var core: OpenEntryCore

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        core = OpenEntryCore(rule: .openAbove, parameters: try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")))
    }

    public init(_ p: IntradayParameters) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: [
            "buy_trigger": .real(p.buyTrigger), "sell_trigger": .real(p.sellTrigger), "stop_loss": .real(p.stopLoss),
            "buy_time": .timeOfDay(p.buyTime), "compound": .bool(p.compound),
        ]))
    }

    public mutating func onStart(_ context: some TradingContext) throws { core.start(context) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
    public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws { core.orderUpdate(order) }
    public mutating func onSessionClose(_ context: some TradingContext) throws { core.sessionClose(context) }
}

/// `vwap-momentum`: on the bar starting at `buy_time` (10:00), buy at its open when that open is above the session
/// VWAP of the regular-hours bars before it (Σ typical·volume / Σ volume, typical = (H+L+C)/3) and at least
/// `buy_trigger` % above the close of the bar starting at `reference_time` (09:40; no trade without that bar);
/// exit at the target, the stop (if `stop_loss` > 0) or the session close, as `momentum`.
public struct VWAPMomentum: ParameterizedStrategy {
    public static let name = "vwap-momentum"
    public static let summary = "Intraday: buy at the buy_time open when it is above the session VWAP and buy_trigger % above the reference_time close; exit at the target, stop or close."
    public static let parameterSpecs: [ParameterSpec] = [
        OpenEntrySpecs.buyTrigger, OpenEntrySpecs.sellTrigger,
        ParameterSpec("stop_loss", .real(0...99.99), default: .real(0), "Stop, % below the entry fill price (0 = no stop)."),
        OpenEntrySpecs.buyTime,
        ParameterSpec("reference_time", .timeOfDay(570...958), default: .timeOfDay(580),
                      "New York time of the bar whose close is the trigger's reference (before buy_time)."),
        OpenEntrySpecs.compound,
    ]
    private var core: OpenEntryCore

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        let reference = try p.timeOfDay("reference_time"), buy = try p.timeOfDay("buy_time")
        guard reference < buy else {
            throw ParameterError.inconsistent("reference_time (\(ParameterValue.timeOfDay(reference))) must be before buy_time (\(ParameterValue.timeOfDay(buy)))")
        }
        core = OpenEntryCore(rule: .vwap(referenceTime: reference), parameters: try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")))
    }

    public init(_ p: IntradayParameters, referenceTime: Int = 580) throws(ParameterError) {
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: [
            "buy_trigger": .real(p.buyTrigger), "sell_trigger": .real(p.sellTrigger), "stop_loss": .real(p.stopLoss),
            "buy_time": .timeOfDay(p.buyTime), "reference_time": .timeOfDay(referenceTime), "compound": .bool(p.compound),
        ]))
    }

    public mutating func onStart(_ context: some TradingContext) throws { core.start(context) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
    public mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws { core.orderUpdate(order) }
    public mutating func onSessionClose(_ context: some TradingContext) throws { core.sessionClose(context) }
}

extension OpenTenAM: CatalogStrategy {
    public static let rules = """
          C = the previous session's last regular-hours close; the first session does not trade.
          1. On the session's first regular-hours bar (before buy_time) a conditional market-on-open buy is placed
             for the bar starting exactly at buy_time (10:00): it fills at that bar's open when the open >
             C × (1 + buy_trigger/100), and expires otherwise (also when the session has no bar starting at
             buy_time, or that bar is the session's first).
          2. Exits from the bar after the entry, one cancelling the other: limit sell at entry × (1 + sell_trigger/100)
             (or the open when the bar opens above it) and market-on-close; run with flatten-at-close.
          Sizing: compound = all cash each trade; otherwise shares worth the initial cash.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .openAbove, summary: "IntradayKernel (rule open-10am): one symbol of intraday bars, NYSE calendar "
                                    + "session policy with flatten at close, worst intrabar policy; equal to the engine (property-tested).") { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: 0), reference: 580)
        }
    }
}

extension OpenTenAMStop: CatalogStrategy {
    public static let rules = """
          As open-10am, plus a stop sell at entry × (1 − stop_loss/100) from the bar after the entry (or the open
          when the bar opens below it). A bar touching both target and stop sells at the stop.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .openAbove, summary: "IntradayKernel (rule open-10am): one symbol of intraday bars, NYSE calendar "
                                    + "session policy with flatten at close, worst intrabar policy; equal to the engine (property-tested).") { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")), reference: 580)
        }
    }
}

extension VWAPMomentum: CatalogStrategy {
    public static let rules = """
          On the bar starting exactly at buy_time (10:00), buy at its open when that open is above the session VWAP
          of the regular-hours bars before it (Σ typical × volume / Σ volume, typical = (H+L+C)/3) and at least
          buy_trigger % above the close of the bar starting at reference_time (09:40; no trade without it). The
          order is a conditional market-on-open placed on the reference bar's close and replaced on each later bar
          before buy_time with the updated VWAP. Exits as momentum: target, stop (stop_loss > 0), session close.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .vwapMomentum, summary: "IntradayKernel (rule vwap-momentum): one symbol of intraday bars, NYSE calendar "
                                    + "session policy with flatten at close, worst intrabar policy; equal to the engine (property-tested).") { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")), reference: try p.timeOfDay("reference_time"))
        }
    }
}
