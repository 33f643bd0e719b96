import TradewindCore

/// Identifies an order within one run. Opaque to strategies: the simulator numbers orders by their position
/// in the run's order list; a live runtime numbers them in submission order and maps each to the broker's id.
public struct OrderID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The context's own number for the order.
    public let rawValue: Int

    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }

    @inlinable public static func < (a: OrderID, b: OrderID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

extension Array where Element == Order {
    /// The order numbered `id` in a list where each order sits at its own number (`BacktestResult.orders`).
    /// Accessed in place (`_read`/`_modify`): reading or changing one field does not copy the whole order.
    @inlinable public subscript(_ id: OrderID) -> Order {
        _read { yield self[id.rawValue] }
        _modify { yield &self[id.rawValue] }
    }

    /// The id the next appended order gets.
    @inlinable var nextID: OrderID { OrderID(rawValue: count) }

    @inlinable func contains(id: OrderID) -> Bool { id.rawValue >= 0 && id.rawValue < count }
}

/// Buy (or cover a short) versus sell (or sell short).
public enum OrderSide: String, Sendable, Hashable, Codable {
    case buy, sell

    /// +1 for buys, -1 for sells.
    @inlinable public var sign: Double { self == .buy ? 1 : -1 }
    public var opposite: OrderSide { self == .buy ? .sell : .buy }
}

/// How far a trailing stop stays behind the best price seen since it became active.
public enum TrailingOffset: Sendable, Hashable {
    /// A fixed price distance (e.g. 2.5 = $2.50 behind the extreme).
    case amount(Double)
    /// A fraction of the extreme (0.05 = 5 % behind it).
    case percent(Double)

    /// The stop price for a given extreme: below it for sells (long protection), above it for buys.
    @inlinable public func stopPrice(extreme: Double, side: OrderSide) -> Double {
        switch (self, side) {
        case (.amount(let a), .sell): return extreme - a
        case (.amount(let a), .buy): return extreme + a
        case (.percent(let p), .sell): return extreme * (1 - p)
        case (.percent(let p), .buy): return extreme * (1 + p)
        }
    }
}

/// The execution instruction of an order.
public enum OrderType: Sendable, Hashable {
    /// Fills at the next bar's open (or at the signal bar's close with `FillTiming.signalClose`).
    case market
    /// Fills at `price` or better; at the open when the bar gaps through it.
    case limit(Double)
    /// Becomes a market order when the price trades at or through `price`; fills at `price`,
    /// or at the open when the bar gaps through it.
    case stop(Double)
    /// Becomes a limit order at `limit` once the price trades at or through `stop`.
    case stopLimit(stop: Double, limit: Double)
    /// A stop that follows the best price since activation at a fixed distance and never moves back.
    case trailingStop(TrailingOffset)
    /// Fills at the opening price of the next session's first bar.
    case marketOnOpen
    /// Fills at the closing price of the last bar of the session in which it becomes active.
    case marketOnClose
    /// Limit-on-open (Alpaca's `opg` with a limit price): on the next session's first bar, fills at the open when
    /// the open is at `price` or better (unslipped, as a limit); otherwise expires there, unfilled.
    case limitOnOpen(Double)
    /// Limit-on-close (Alpaca's `cls` with a limit price): at the close of the last bar of the session in which it
    /// becomes active, fills at that close when it is at `price` or better; otherwise expires there, unfilled.
    case limitOnClose(Double)
    /// A conditional market-on-open: decided on one bar only, the first active bar starting at or after
    /// `condition.barStart` (the first active bar when that is nil; earlier bars are skipped). On that bar it
    /// fills at the open (slippage applied, as a market order) when the bar starts exactly at `barStart` (if
    /// given) and the open satisfies the condition's bounds; otherwise it expires there without filling.
    /// E.g. "buy at the 10:00 open if it opens above 101.5": `.openIf(OpenCondition(above: 101.5, barStart: t1000))`.
    case openIf(OpenCondition)

    /// True for the orders that trade only at a session's closing price (market- and limit-on-close).
    @inlinable public var tradesAtClose: Bool {
        switch self {
        case .marketOnClose, .limitOnClose: return true
        default: return false
        }
    }

    /// Short human name used in logs and CSV exports.
    public var name: String {
        switch self {
        case .market: return "market"
        case .limit: return "limit"
        case .stop: return "stop"
        case .stopLimit: return "stop-limit"
        case .trailingStop: return "trailing-stop"
        case .marketOnOpen: return "market-on-open"
        case .marketOnClose: return "market-on-close"
        case .limitOnOpen: return "limit-on-open"
        case .limitOnClose: return "limit-on-close"
        case .openIf: return "open-if"
        }
    }
}

/// How long an order stays working.
///
/// * `day`: until the end of the session of the first bar on which it is active (an order placed on a daily
///   bar works during the next session only; an intraday order placed at 10:00 works until that session closes).
/// * `gtc`: until filled or cancelled.
/// * `ioc`: on the first bar on which it is active only; any unfilled remainder is cancelled (status `expired`).
/// * `fok`: fill or kill: on the first bar on which it is active, the whole quantity in one fill or nothing; when
///   the bar does not reach it, or the volume cap would leave part of it unfilled, it is cancelled (`cancelled`),
///   never partially filled. (Alpaca's `opg`/`cls` are the order types `marketOnOpen`/`limitOnOpen` and
///   `marketOnClose`/`limitOnClose` with `day`.)
public enum TimeInForce: String, Sendable, Hashable, Codable, CaseIterable {
    case day, gtc, ioc, fok
}

/// How much an order trades. Sizes other than `units` are converted to a quantity at fill time, at the fill price.
public enum OrderSize: Sendable, Hashable {
    /// A number of shares/units (fractional unless the run uses whole-share mode).
    case units(Double)
    /// Trade this much value (account currency) at the fill price, costs excluded.
    case notional(Double)
    /// A fixed stake that shrinks to what is left: `notional(value)` when the account can pay for it (commission
    /// included), otherwise as much as `allAvailable` buys at that fill. E.g. "invest the initial capital each
    /// trade, or all the cash when less remains".
    case notionalOrAvailable(Double)
    /// Trade this fraction of current equity at the fill price.
    case equityFraction(Double)
    /// Buy as much as the available cash (cash account) or buying power (margin account) allows,
    /// commission and slippage included. Only meaningful for buys/opening sells.
    case allAvailable
    /// Exactly the current position in the symbol, in the closing direction (resolved at fill time).
    case closePosition
}

/// Life cycle of an order. Every change is recorded in the run's order log.
public enum OrderStatus: String, Sendable, Hashable, Codable {
    /// Accepted by the simulator; becomes working on the next bar (or fills at this bar's close in close-fill mode).
    case submitted
    /// Bracket child waiting for its parent to fill.
    case held
    /// Live in the market.
    case working
    /// A stop-limit whose stop was triggered: now a working limit order.
    case triggered
    case partiallyFilled = "partially-filled"
    case filled
    case cancelled
    /// Time in force ran out (DAY at session end, IOC after its bar).
    case expired
    /// Refused, with the reason in the order log (unaffordable, invalid, outside session, ...).
    case rejected
    /// Superseded by a replacement order (cancel-and-replace).
    case replaced

    /// True once the order can no longer fill.
    public var isFinal: Bool {
        switch self {
        case .filled, .cancelled, .expired, .rejected, .replaced: return true
        default: return false
        }
    }
}

/// What a strategy asks for. Build with `OrderRequest.buy(...)`/`.sell(...)` and submit through the context.
public struct OrderRequest: Sendable, Hashable {
    public var symbol: Int
    public var side: OrderSide
    public var type: OrderType
    public var size: OrderSize
    public var timeInForce: TimeInForce
    /// Free text carried into the order log and trades (e.g. "entry", "take-profit").
    public var tag: String
    /// Also works in the pre-market (04:00 to the open) and after-hours (the close to 20:00, 17:00 after an early
    /// close) of intraday data, local time of the session policy: Alpaca's `extended_hours`. Only a `day` limit
    /// order may ask for it (others are rejected); it then works until its session's after-hours end instead of
    /// the regular close. Needs a session policy with regular hours (a calendar or `hours`).
    public var extendedHours: Bool

    public init(symbol: Int, side: OrderSide, type: OrderType = .market, size: OrderSize,
                timeInForce: TimeInForce = .gtc, tag: String = "", extendedHours: Bool = false) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.size = size
        self.timeInForce = timeInForce
        self.tag = tag
        self.extendedHours = extendedHours
    }

    public static func buy(_ symbol: Int, _ size: OrderSize, _ type: OrderType = .market,
                           tif: TimeInForce = .gtc, tag: String = "") -> OrderRequest {
        OrderRequest(symbol: symbol, side: .buy, type: type, size: size, timeInForce: tif, tag: tag)
    }

    public static func sell(_ symbol: Int, _ size: OrderSize, _ type: OrderType = .market,
                            tif: TimeInForce = .gtc, tag: String = "") -> OrderRequest {
        OrderRequest(symbol: symbol, side: .sell, type: type, size: size, timeInForce: tif, tag: tag)
    }
}

/// An order as the simulator tracks it.
public struct Order: Sendable, Hashable {
    public let id: OrderID
    public var request: OrderRequest
    public var status: OrderStatus
    /// Quantity filled so far (always positive).
    public var filledQuantity: Double
    /// Volume-weighted average fill price (0 before the first fill).
    public var averageFillPrice: Double
    /// Total commission charged on this order's fills.
    public var commission: Double
    /// Bracket parent: this order is held until the parent fills.
    public var parent: OrderID?
    /// One-cancels-other group: when any member fills (even partially), the others are cancelled.
    public var ocoGroup: Int?
    /// The order this one replaced, if any.
    public var replaces: OrderID?
    public let submittedAt: UnixNanos
    /// Index of the time step at which the order was submitted.
    public let submittedStep: Int
    /// Step at which the order first became working (-1 while not yet).
    public var activeSince: Int
    /// Resolved quantity for `units`/`closePosition` sizes, or the quantity still to fill after a partial fill.
    public var remainingQuantity: Double?
    /// Trailing stops: the best price seen since activation and the current stop level.
    public var trailExtreme: Double
    public var trailStop: Double
    /// The reason of the last rejection/cancellation/expiry.
    public var reason: String
    /// Extended-hours orders: the end of the after-hours window they work until (`.max` for other orders).
    public var extendedHoursUntil: UnixNanos = .max
    /// What this order, with the orders it replaced, has traded and paid in commission (per-order fees).
    var commissionBasis = CommissionBasis()

    public var symbol: Int { request.symbol }
    public var side: OrderSide { request.side }
    public var type: OrderType { request.type }
}

/// Quantity, value and commission of an order's fills so far, carried over by cancel-and-replace, so that a fixed
/// fee, minimum or maximum applies once to the order however it is filled or amended.
struct CommissionBasis: Sendable, Hashable {
    var quantity = 0.0
    var value = 0.0
    var paid = 0.0
}
