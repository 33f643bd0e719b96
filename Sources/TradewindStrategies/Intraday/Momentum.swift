import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `momentum`: intraday breakout above the previous session's close (minute bars, NYSE sessions).
///
/// Rules, per symbol and session (C = the close of the symbol's last in-session bar of its previous session;
/// the symbol's first session does not trade):
/// 1. At `buy_time` on the session clock (a scheduled event: after every bar that started before `buy_time`,
///    before the bar that starts at it, whether or not that bar exists), place a stop-buy at
///    `L = C × (1 + buy_trigger/100)`, good for the day. It works from the first bar starting at or after
///    `buy_time` (10:00 with complete data, 10:01 when the 10:00 bar is missing; missing bars before `buy_time`
///    change nothing): the first such bar whose high ≥ L buys at L, or at its open when it opens at or above L
///    (slippage applied to the fill). A session without a bar from `buy_time` on does not trade.
/// 2. On the entry fill at price P (slippage included), place one-cancels-other exits for the whole position,
///    working from the next bar: a limit sell at the target `P × (1 + sell_trigger/100)` (fills at the target, or
///    at the open when the bar opens above it; never slipped), a stop sell at `P × (1 − stop_loss/100)` when
///    `stop_loss > 0` (fills at the stop, or at the open when the bar opens below it; slipped), and a
///    market-on-close sell. Within one bar the engine's `worst` intrabar policy looks at the open first and then
///    the low before the high, so a bar touching both target and stop sells at the stop.
/// 3. At most one entry per session: an unfilled entry order is cancelled at the session's close instant.
/// Sizing: `compound = true` buys with all available cash; `false` buys shares worth the initial cash
/// (commission on top), or with all the cash when less remains (`OrderSize.notionalOrAvailable`). With several
/// symbols each gets 1/N (equity fraction, or initial cash / N).
///
/// Run with the NYSE session policy and flattening (`SessionPolicy(calendar: NYSECalendar.shared,
/// flattenAtClose: true)`, CLI `--session nyse --flatten-at-close`) to get exactly the family's rules, including an entry on the session's last bar being sold at that
/// bar's close; `IntradayKernel` reproduces such single-symbol runs exactly.
public struct Momentum: ParameterizedStrategy {
    public static let name = "momentum"
    public static let summary = "Intraday: from buy_time buy when the high reaches buy_trigger % above the previous close; exit at sell_trigger % above entry, the stop, or the close."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("buy_trigger", .real(-99...1000), default: .real(1), "Entry level, % above the previous session's close."),
        ParameterSpec("sell_trigger", .real(0.0001...1000), default: .real(1), "Target, % above the entry fill price."),
        ParameterSpec("stop_loss", .real(0...99.99), default: .real(0), "Stop, % below the entry fill price (0 = no stop)."),
        ParameterSpec("buy_time", .timeOfDay(570...959), default: .timeOfDay(600), "New York time from which the entry order works."),
        ParameterSpec("compound", .bool, default: .bool(true), "true: invest all cash each trade; false: the initial cash each trade (all the cash when less remains)."),
    ]

    /// Only fills matter (the entry's fill places the exits).
    public static let notifications: StrategyNotifications = [.fills]

    public let parameters: IntradayParameters
    private var symbols = SymbolSessions()
    private var entry: [OrderID?] = []
    private var events = IntradayEvents()

    public init(_ p: IntradayParameters) throws(ParameterError) {
        let values: [String: ParameterValue] = [
            "buy_trigger": .real(p.buyTrigger), "sell_trigger": .real(p.sellTrigger), "stop_loss": .real(p.stopLoss),
            "buy_time": .timeOfDay(p.buyTime), "compound": .bool(p.compound),
        ]
        try self.init(parameters: StrategyParameters(specs: Self.parameterSpecs, strategy: Self.name, values: values))
    }

    public init(parameters: StrategyParameters) throws(ParameterError) {
        self.parameters = IntradayParameters(
            buyTrigger: try parameters.real("buy_trigger"), sellTrigger: try parameters.real("sell_trigger"),
            stopLoss: try parameters.real("stop_loss"), buyTime: try parameters.timeOfDay("buy_time"),
            compound: try parameters.bool("compound"))
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        symbols = SymbolSessions(count: context.symbolCount)
        entry = Array(repeating: nil, count: context.symbolCount)
        events = try IntradayEvents.schedule(context, buyTime: parameters.buyTime, strategy: Self.name)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) && context.isInSession {
            try symbols.observe(context, s, strategy: Self.name)
        }
    }

    public mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws {
        if event == events.sessionClose { IntradayEvents.cancel(&entry, context) }
        guard event == events.buyTime else { return }
        let day = context.sessionDay
        for s in 0..<context.symbolCount {
            let c = symbols.previousClose(s, day: day)
            guard c.isFinite else { continue }
            entry[s] = context.buy(s, IntradaySizing.size(context, compound: parameters.compound),
                                   .stop(c * (1 + parameters.buyTrigger / 100)), tif: .day, tag: "entry")
        }
    }

    public mutating func onFill(_ context: some TradingContext, fill: Fill) throws {
        guard let id = entry[fill.symbol], id == fill.orderID else { return }
        entry[fill.symbol] = nil
        IntradaySizing.placeExits(context, symbol: fill.symbol, entry: fill.price, parameters: parameters)
    }
}

/// Per-symbol session bookkeeping shared by the intraday strategies: the previous session's last in-session close.
struct SymbolSessions {
    var day: [Int] = []
    var lastClose: [Double] = []
    var previousClose: [Double] = []
    /// Sessions seen with exactly one bar so far, and whether any session had two (intraday data).
    var singleBarSessions: [Int] = []
    var intraday: [Bool] = []

    init(count: Int = 0) {
        singleBarSessions = Array(repeating: 0, count: count)
        intraday = Array(repeating: false, count: count)
        day = Array(repeating: Int.min, count: count)
        lastClose = Array(repeating: .nan, count: count)
        previousClose = lastClose
    }

    /// C of the session on local day `day` for symbol `s`, as known now: the close of the symbol's last in-session
    /// bar before that session (also before the session's first bar, e.g. at a 09:30 `buy_time`); NaN when none.
    func previousClose(_ s: Int, day today: Int) -> Double {
        day[s] == today ? previousClose[s] : lastClose[s]
    }

    /// Call on every in-session bar of symbol `s` (before reading `previousClose`). Throws when the symbol's
    /// first three sessions each had a single bar: daily (or coarser) data, on which the intraday rules never trade.
    mutating func observe(_ context: some TradingContext, _ s: Int, strategy: String) throws {
        let d = context.sessionDay
        if d != day[s] {
            if day[s] != Int.min && !intraday[s] {
                singleBarSessions[s] += 1
                if singleBarSessions[s] >= 3 {
                    throw IntradayDataError(strategy: strategy, symbol: context.symbols[s])
                }
            }
            day[s] = d
            previousClose[s] = lastClose[s]
        } else {
            intraday[s] = true
        }
        lastClose[s] = context.close(s)
    }
}

/// The clock of the intraday family: at `buy_time` the entry orders are placed; at the session's close instant an
/// entry still working is cancelled (also in a session whose bars all lie outside regular hours, whose DAY orders
/// would otherwise live on into the next session).
struct IntradayEvents {
    var buyTime = ScheduledEventID(rawValue: -1)
    var sessionClose = ScheduledEventID(rawValue: -1)

    /// Schedules both events; daily (or coarser) bars, on which the rules never trade, throw `IntradayDataError`.
    static func schedule(_ context: some TradingContext, buyTime minutes: Int, strategy: String) throws -> IntradayEvents {
        func scheduled(_ schedule: EventSchedule) throws -> ScheduledEventID {
            let id = Result { () throws(ScheduleError) in try context.schedule(schedule) }
            if case .failure(.needsIntradayBars) = id {
                throw IntradayDataError(strategy: strategy, symbol: context.symbols.first ?? "")
            }
            return try id.get()
        }
        var events = IntradayEvents()
        events.buyTime = try scheduled(.timeOfDay(minutes))
        events.sessionClose = try scheduled(.beforeClose(minutes: 0))
        return events
    }

    /// Cancels the entry orders still working.
    static func cancel(_ entry: inout [OrderID?], _ context: some TradingContext) {
        for s in entry.indices {
            if let id = entry[s] { context.cancel(id); entry[s] = nil }
        }
    }
}

/// Sizing and exits of the intraday family in the engine.
enum IntradaySizing {
    /// `compound`: all available cash (1/N of equity with N symbols). Otherwise the initial cash (/ N), commission on
    /// top, or all the cash when less remains.
    static func size(_ context: some TradingContext, compound: Bool) -> OrderSize {
        let n = context.symbolCount
        if compound { return n == 1 ? .allAvailable : .equityFraction(1 / Double(n)) }
        return .notionalOrAvailable(context.initialCash / Double(n))
    }

    /// Target limit, optional stop and market-on-close, one-cancels-other, for the whole position.
    static func placeExits(_ context: some TradingContext, symbol s: Int, entry price: Double, parameters p: IntradayParameters) {
        var exits: [OrderRequest] = [
            .sell(s, .closePosition, .limit(price * (1 + p.sellTrigger / 100)), tif: .day, tag: "target"),
        ]
        if p.stopLoss > 0 {
            exits.append(.sell(s, .closePosition, .stop(price * (1 - p.stopLoss / 100)), tif: .day, tag: "stop"))
        }
        exits.append(.sell(s, .closePosition, .marketOnClose, tif: .day, tag: "session-close"))
        context.oco(exits)
    }
}

/// An intraday strategy was given daily (or coarser) bars.
public struct IntradayDataError: Error, CustomStringConvertible {
    public let strategy: String
    public let symbol: String
    public var description: String {
        "\(strategy) needs intraday bars (e.g. 1-minute) but \(symbol) has one bar per session; use sample:eqker-1m or another minute-bar source"
    }
}

extension Momentum: CatalogStrategy {
    /// The previous session's close, C, must have been seen (`IntradayEntryRule.previousSessionWarmupBars`).
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { IntradayEntryRule.previousSessionWarmupBars }

    public static let rules = """
          C = the previous session's last regular-hours close; the first session does not trade.
          1. At buy_time (on the clock: after every bar that started before it, whether or not a bar starts at
             it) a stop-buy at L = C × (1 + buy_trigger/100) is placed for the day. It works from the first bar
             starting at or after buy_time (10:00 for buy_time 10:00; 10:01 when the 10:00 bar is missing;
             missing bars before buy_time change nothing): the first such bar whose high ≥ L buys at L, or at
             its open when it opens at or above L. No bar from buy_time on: no trade.
          2. Exits work from the bar after the entry, one cancelling the others: limit sell at
             entry × (1 + sell_trigger/100) (or the open when the bar opens above it), stop at
             entry × (1 − stop_loss/100) when stop_loss > 0 (or the open when the bar opens below it),
             market-on-close. A bar touching both target and stop sells at the stop.
          3. At most one trade per session; run with flatten-at-close so that an entry on the last bar is sold
             at that bar's close (the session's last regular-hours bar in the data).
          Sizing: compound = all cash each trade; otherwise shares worth the initial cash, commission on top, or
          all the cash when less remains.
        """

    public static let requirements = StrategyRequirements.intradaySessions

    public static var kernel: ExactKernel? {
        IntradayExactKernel.make(rule: .momentum) { p in
            (IntradayParameters(buyTrigger: try p.real("buy_trigger"), sellTrigger: try p.real("sell_trigger"),
                               stopLoss: try p.real("stop_loss"), buyTime: try p.timeOfDay("buy_time"), compound: try p.bool("compound")), reference: 580)
        }
    }
}
