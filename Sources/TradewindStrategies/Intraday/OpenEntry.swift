import TradewindCore
import TradewindEngine
import TradewindIndicators

/// The engine side of the intraday family members that decide on the open of the first bar starting at or after
/// `buy_time` (`open-10am`, `open-10am-stop`, `vwap-momentum`): at `buy_time` on the session clock (a scheduled
/// event, after every bar that started before `buy_time`, whether or not a bar starts at it) each symbol gets one
/// conditional market-on-open buy (`OrderType.openIf` without a bar start: its first active bar decides). It fills
/// at the open of the symbol's first bar starting at or after `buy_time` (10:00, or 10:01 when the 10:00 bar is
/// missing) when that open clears the rule's levels, and expires otherwise; it is cancelled at the session's close
/// instant when the session has no such bar. Exits as `momentum`'s (`IntradaySizing.placeExits`): target limit,
/// optional stop, market-on-close, one cancelling the others, from the bar after the entry.
///
/// Every level is known at `buy_time`: C from the previous session, the VWAP of the session's bars that started
/// before `buy_time`, and the reference close of the latest bar starting at or before `reference_time`.
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
    var events = IntradayEvents()
    var entry: [OrderID?] = []
    var pv: [Double] = [], volume: [Double] = [], reference: [Double] = []

    init(rule: Rule, parameters: IntradayParameters) {
        self.rule = rule
        self.parameters = parameters
    }

    mutating func start(_ context: some TradingContext, strategy: String) throws {
        let n = context.symbolCount
        sessions = SymbolSessions(count: n)
        entry = Array(repeating: nil, count: n)
        pv = Array(repeating: 0, count: n)
        volume = pv
        reference = Array(repeating: .nan, count: n)
        events = try IntradayEvents.schedule(context, buyTime: parameters.buyTime, strategy: strategy)
    }

    /// Keeps C and, for `vwap-momentum`, the session's running Σ typical·volume, Σ volume and reference close (read at
    /// `buy_time`, so only the bars before it count).
    mutating func bar(_ context: some TradingContext, strategy: String) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) && context.isInSession {
            if context.sessionDay != sessions.day[s] {
                pv[s] = 0; volume[s] = 0; reference[s] = .nan
            }
            try sessions.observe(context, s, strategy: strategy)
            guard case .vwap(let referenceTime) = rule else { continue }
            pv[s] += (context.high(s) + context.low(s) + context.close(s)) / 3 * context.volume(s)
            volume[s] += context.volume(s)
            // The latest bar starting at or before reference_time (its minute) is the reference.
            if context.minuteOfDay <= referenceTime { reference[s] = context.close(s) }
        }
    }

    mutating func event(_ context: some TradingContext, _ event: ScheduledEventID) {
        if event == events.sessionClose { IntradayEvents.cancel(&entry, context) }
        guard event == events.buyTime else { return }
        let day = context.sessionDay
        for s in 0..<context.symbolCount {
            let condition: OpenCondition
            switch rule {
            case .openAbove:
                let c = sessions.previousClose(s, day: day)
                guard c.isFinite && c > 0 else { continue }
                condition = OpenCondition(above: c * (1 + parameters.buyTrigger / 100))
            case .vwap:
                // No bar of this session before buy_time (or none by reference_time): no VWAP or reference, no trade.
                guard sessions.day[s] == day, volume[s] > 0, !reference[s].isNaN else { continue }
                condition = OpenCondition(above: pv[s] / volume[s], atLeast: reference[s] * (1 + parameters.buyTrigger / 100))
            }
            entry[s] = context.buy(s, IntradaySizing.size(context, compound: parameters.compound), .openIf(condition),
                                   tif: .day, tag: "entry")
        }
    }

    mutating func fill(_ context: some TradingContext, _ fill: Fill) {
        guard let id = entry[fill.symbol], id == fill.orderID else { return }
        entry[fill.symbol] = nil
        IntradaySizing.placeExits(context, symbol: fill.symbol, entry: fill.price, parameters: parameters)
    }
}

/// Parameters shared by the open-at-buy-time strategies.
enum OpenEntrySpecs {
    static let buyTrigger = ParameterSpec("buy_trigger", .real(-99...1000), default: .real(1),
                                          "Entry level, % above the reference (see the rules).")
    static let sellTrigger = ParameterSpec("sell_trigger", .real(0.0001...1000), default: .real(1), "Target, % above the entry fill price.")
    static let buyTime = ParameterSpec("buy_time", .timeOfDay(570...959), default: .timeOfDay(600),
                                       "New York time from which the first bar's open decides the entry.")
    static let compound = ParameterSpec("compound", .bool, default: .bool(true), "true: invest all cash each trade; false: the initial cash each trade (all the cash when less remains).")

    static func parameters(_ p: StrategyParameters, stopLoss: Double) throws(ParameterError) -> IntradayParameters {
        try IntradayParameters(buyTrigger: p.real("buy_trigger"), sellTrigger: try p.real("sell_trigger"), stopLoss: stopLoss,
                           buyTime: try p.timeOfDay("buy_time"), compound: try p.bool("compound"))
    }
}

/// `open-10am`: on the first bar starting at or after `buy_time` (the 10:00 bar; 10:01 when it is missing), if its
/// open > C·(1 + buy_trigger/100) (C = the previous session's last regular-hours close), buy at that open; sell at
/// entry·(1 + sell_trigger/100) (from the next bar; at the open when a bar opens above it) or at the session's close.
/// A session without a bar from `buy_time` on does not trade. Needs intraday bars and the NYSE session policy with
/// flatten at close (`--session nyse --flatten-at-close`).
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

    public static let notifications: StrategyNotifications = [.fills]
    public mutating func onStart(_ context: some TradingContext) throws { try core.start(context, strategy: Self.name) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws { core.event(context, event) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
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

    public static let notifications: StrategyNotifications = [.fills]
    public mutating func onStart(_ context: some TradingContext) throws { try core.start(context, strategy: Self.name) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws { core.event(context, event) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
}

/// `vwap-momentum`: on the first bar starting at or after `buy_time` (the 10:00 bar; 10:01 when it is missing), buy
/// at its open when that open is above the session VWAP of the regular-hours bars that started before `buy_time`
/// (Σ typical·volume / Σ volume, typical = (H+L+C)/3) and at least `buy_trigger` % above the reference: the close of
/// the latest bar of the session starting at or before `reference_time` (the 09:40 bar; 09:39's when it is missing;
/// no trade when the session has no bar by then, or none before `buy_time`); exit at the target, the stop (if
/// `stop_loss` > 0) or the session close, as `momentum`.
public struct VWAPMomentum: ParameterizedStrategy {
    public static let name = "vwap-momentum"
    public static let summary = "Intraday: buy at the buy_time open when it is above the session VWAP and buy_trigger % above the reference_time close; exit at the target, stop or close."
    public static let parameterSpecs: [ParameterSpec] = [
        OpenEntrySpecs.buyTrigger, OpenEntrySpecs.sellTrigger,
        ParameterSpec("stop_loss", .real(0...99.99), default: .real(0), "Stop, % below the entry fill price (0 = no stop)."),
        OpenEntrySpecs.buyTime,
        ParameterSpec("reference_time", .timeOfDay(570...958), default: .timeOfDay(580),
                      "New York time of the bar whose close is the trigger's reference (the latest bar by then; before buy_time)."),
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

    public static let notifications: StrategyNotifications = [.fills]
    public mutating func onStart(_ context: some TradingContext) throws { try core.start(context, strategy: Self.name) }
    public mutating func onBar(_ context: some TradingContext) throws { try core.bar(context, strategy: Self.name) }
    public mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws { core.event(context, event) }
    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws { core.fill(context, fill) }
}

extension OpenTenAM: CatalogStrategy {
    /// The previous session's close, C, must have been seen (`IntradayEntryRule.previousSessionWarmupBars`).
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { IntradayEntryRule.previousSessionWarmupBars }

    public static let rules = """
          C = the previous session's last regular-hours close; the first session does not trade.
          1. At buy_time (on the clock) a conditional market-on-open buy is placed for the first bar starting at
             or after buy_time (10:00; 10:01 when the 10:00 bar is missing; any later start qualifies): it fills
             at that bar's open when the open > C × (1 + buy_trigger/100), and expires otherwise. No bar from
             buy_time on: no trade.
          2. Exits from the bar after the entry, one cancelling the other: limit sell at entry × (1 + sell_trigger/100)
             (or the open when the bar opens above it) and market-on-close; run with flatten-at-close.
          Sizing: compound = all cash each trade; otherwise shares worth the initial cash, commission on top, or
          all the cash when less remains.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .openAbove) { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: 0), reference: 580)
        }
    }
}

extension OpenTenAMStop: CatalogStrategy {
    /// The previous session's close, C, must have been seen (`IntradayEntryRule.previousSessionWarmupBars`).
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { IntradayEntryRule.previousSessionWarmupBars }

    public static let rules = """
          As open-10am, plus a stop sell at entry × (1 − stop_loss/100) from the bar after the entry (or the open
          when the bar opens below it). A bar touching both target and stop sells at the stop.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .openAbove) { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")), reference: 580)
        }
    }
}

extension VWAPMomentum: CatalogStrategy {
    /// The previous session's close, C, must have been seen (`IntradayEntryRule.previousSessionWarmupBars`).
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { IntradayEntryRule.previousSessionWarmupBars }

    public static let rules = """
          At buy_time (on the clock) a conditional market-on-open buy is placed for the first bar starting at or
          after buy_time (10:00; 10:01 when the 10:00 bar is missing): it buys at that open when the open is above
          the session VWAP of the regular-hours bars that started before buy_time (Σ typical × volume / Σ volume,
          typical = (H+L+C)/3) and at least buy_trigger % above the reference: the close of the session's latest
          bar starting at or before reference_time (the 09:40 bar; 09:39's when it is missing). No trade without
          a bar by reference_time, a bar before buy_time, or a bar from buy_time on. Exits as momentum: target,
          stop (stop_loss > 0), session close. Sizing as momentum.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .vwapMomentum) { p in
            (try OpenEntrySpecs.parameters(p, stopLoss: try p.real("stop_loss")), reference: try p.timeOfDay("reference_time"))
        }
    }
}
