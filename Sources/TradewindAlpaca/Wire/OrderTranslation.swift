import TradewindEngine
import TradewindLive

/// An Alpaca order request the exchange cannot take: the field, the value and what is accepted (answered 422).
public struct AlpacaOrderRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String
    /// Alpaca's error code for it (42210000, or 40010001 for the extended-hours rules, as Alpaca answers them).
    public let code: Int
    public init(_ field: String, _ message: String, code: Int = 42210000) {
        self.field = field
        self.message = message
        self.code = code
    }
    public var description: String { message }
}

/// An Alpaca order, parsed: the order (or the entry of a bracket/OTO) and its exit legs.
public struct ParsedAlpacaOrder: Sendable, Hashable {
    public var order: BrokerOrder
    /// `simple`, `bracket`, `oco`, `oto`.
    public var orderClass: String
    public var takeProfit: Double?
    public var stopLoss: Double?
}

extension AlpacaOrderRequest {
    /// The request as the runtime's order: every type, size and time in force Alpaca documents (`opg`/`cls` with a
    /// market or limit order become market-/limit-on-open and -on-close; `fok` is the engine's fill-or-kill;
    /// `extended_hours` only on a simple `day` limit order, refused otherwise with Alpaca's message and code).
    public func parsed(defaultClientOrderID: String) throws(AlpacaOrderRejection) -> ParsedAlpacaOrder {
        guard !symbol.isEmpty else { throw AlpacaOrderRejection("symbol", "symbol is required") }
        let side: OrderSide
        switch self.side {
        case "buy": side = .buy
        case "sell": side = .sell
        default: throw AlpacaOrderRejection("side", "side '\(self.side)' is invalid; expected buy or sell")
        }
        let size: OrderSize
        switch (AlpacaJSON.number(qty), AlpacaJSON.number(notional)) {
        case (let q?, nil) where q > 0: size = .units(q)
        case (nil, let n?) where n > 0: size = .notional(n)
        case (nil, nil): throw AlpacaOrderRejection("qty", "qty or notional is required")
        case (.some, .some): throw AlpacaOrderRejection("qty", "qty and notional cannot both be given")
        default: throw AlpacaOrderRejection("qty", "qty/notional must be a positive decimal string")
        }
        func price(_ field: String, _ text: String?) throws(AlpacaOrderRejection) -> Double {
            guard let v = AlpacaJSON.number(text), v > 0 else {
                throw AlpacaOrderRejection(field, "\(field) is required for \(type) orders and must be a positive decimal string")
            }
            return v
        }
        var orderType: OrderType
        switch type {
        case "market": orderType = .market
        case "limit": orderType = .limit(try price("limit_price", limitPrice))
        case "stop": orderType = .stop(try price("stop_price", stopPrice))
        case "stop_limit": orderType = .stopLimit(stop: try price("stop_price", stopPrice), limit: try price("limit_price", limitPrice))
        case "trailing_stop":
            switch (AlpacaJSON.number(trailPrice), AlpacaJSON.number(trailPercent)) {
            case (let p?, nil) where p > 0: orderType = .trailingStop(.amount(p))
            case (nil, let p?) where p > 0 && p < 100: orderType = .trailingStop(.percent(p / 100))
            default: throw AlpacaOrderRejection("trail_price", "trailing_stop needs exactly one of trail_price (> 0) or trail_percent (0 < p < 100)")
            }
        default:
            throw AlpacaOrderRejection("type", "type '\(type)' is invalid; expected market, limit, stop, stop_limit or trailing_stop")
        }
        let tif: TimeInForce
        switch timeInForce {
        case "day": tif = .day
        case "gtc": tif = .gtc
        case "ioc": tif = .ioc
        case "fok": tif = .fok
        case "opg", "cls":
            switch (orderType, timeInForce) {
            case (.market, "opg"): orderType = .marketOnOpen
            case (.market, _): orderType = .marketOnClose
            case (.limit(let p), "opg"): orderType = .limitOnOpen(p)
            case (.limit(let p), _): orderType = .limitOnClose(p)
            default:
                throw AlpacaOrderRejection("time_in_force", "time_in_force \(timeInForce) is accepted for market and limit orders only, not \(type)")
            }
            tif = .day
        default:
            throw AlpacaOrderRejection("time_in_force", "time_in_force '\(timeInForce)' is invalid; expected day, gtc, opg, cls, ioc or fok")
        }
        let extended = extendedHours ?? false
        if extended {
            guard type == "limit" else {
                throw AlpacaOrderRejection("extended_hours", "only type=\"limit\" is allowed for extended hours orders", code: 40010001)
            }
            guard timeInForce == "day" else {
                throw AlpacaOrderRejection("extended_hours", "only time_in_force=\"day\" is allowed for extended hours orders", code: 40010001)
            }
            guard (orderClass ?? "simple") == "simple" || orderClass == "" else {
                throw AlpacaOrderRejection("extended_hours", "extended hours are not supported for \(orderClass ?? "") orders; extended_hours must be false or omitted", code: 40010001)
            }
        }
        let request = OrderRequest(symbol: 0, side: side, type: orderType, size: size, timeInForce: tif, extendedHours: extended)
        let order = BrokerOrder(clientOrderID: clientOrderId ?? defaultClientOrderID, symbol: symbol.uppercased(), request: request)
        let cls = orderClass ?? "simple"
        let tp = try takeProfit.map { t throws(AlpacaOrderRejection) in try price("take_profit.limit_price", t.limitPrice) }
        let sl = try stopLoss.map { s throws(AlpacaOrderRejection) in try price("stop_loss.stop_price", s.stopPrice) }
        if stopLoss?.limitPrice != nil {
            throw AlpacaOrderRejection("stop_loss.limit_price", "stop_loss.limit_price (a stop-limit exit) is not supported by this exchange; give stop_price only")
        }
        switch cls {
        case "", "simple":
            return ParsedAlpacaOrder(order: order, orderClass: "simple", takeProfit: nil, stopLoss: nil)
        case "bracket":
            guard tp != nil, sl != nil else {
                throw AlpacaOrderRejection("order_class", "bracket orders need take_profit.limit_price and stop_loss.stop_price")
            }
        case "oto":
            guard (tp == nil) != (sl == nil) else {
                throw AlpacaOrderRejection("order_class", "oto orders need exactly one of take_profit or stop_loss")
            }
        case "oco":
            guard tp != nil, sl != nil, case .limit = orderType else {
                throw AlpacaOrderRejection("order_class", "oco orders are a limit order with stop_loss.stop_price (and take_profit.limit_price equal to its limit)")
            }
        default:
            throw AlpacaOrderRejection("order_class", "order_class '\(cls)' is invalid; expected simple, bracket, oco or oto")
        }
        return ParsedAlpacaOrder(order: order, orderClass: cls, takeProfit: tp, stopLoss: sl)
    }

    /// The request for `order`, sized in shares or dollars (`sizeOverride` when the runtime's size is relative to
    /// the account and was resolved by the adapter).
    public init(_ order: BrokerOrder, size: OrderSize? = nil) throws(AlpacaError) {
        let r = order.request
        var type = "market", tif = r.timeInForce.rawValue
        var limit: String?, stop: String?, trailPrice: String?, trailPercent: String?
        switch r.type {
        case .market: break
        case .limit(let p): type = "limit"; limit = AlpacaJSON.decimal(p)
        case .stop(let p): type = "stop"; stop = AlpacaJSON.decimal(p)
        case .stopLimit(let s, let l): type = "stop_limit"; stop = AlpacaJSON.decimal(s); limit = AlpacaJSON.decimal(l)
        case .trailingStop(.amount(let a)): type = "trailing_stop"; trailPrice = AlpacaJSON.decimal(a)
        case .trailingStop(.percent(let p)): type = "trailing_stop"; trailPercent = AlpacaJSON.decimal(p * 100)
        case .marketOnOpen: tif = "opg"
        case .marketOnClose: tif = "cls"
        case .limitOnOpen(let p): type = "limit"; limit = AlpacaJSON.decimal(p); tif = "opg"
        case .limitOnClose(let p): type = "limit"; limit = AlpacaJSON.decimal(p); tif = "cls"
        case .openIf:
            throw .unsupportedOrder("order \(order.clientOrderID): open-if orders have no Alpaca equivalent")
        }
        var qty: String?, notional: String?
        switch size ?? r.size {
        case .units(let q): qty = AlpacaJSON.decimal(q)
        case .notional(let v): notional = AlpacaJSON.decimal(v)
        case let other:
            throw .unsupportedOrder("order \(order.clientOrderID): size \(other) must be resolved to shares or dollars before it is sent to Alpaca")
        }
        self.init(symbol: order.symbol, qty: qty, notional: notional, side: r.side.rawValue, type: type, timeInForce: tif,
                  limitPrice: limit, stopPrice: stop, trailPrice: trailPrice, trailPercent: trailPercent,
                  extendedHours: r.extendedHours ? true : nil, clientOrderId: order.clientOrderID)
    }
}

/// Order statuses: the runtime's and Alpaca's names.
public enum AlpacaOrderStatus {
    /// Alpaca's name for `status`.
    public static func name(_ status: OrderStatus) -> String {
        switch status {
        case .submitted, .working, .triggered: return "new"
        case .held: return "held"
        case .partiallyFilled: return "partially_filled"
        case .filled: return "filled"
        case .cancelled: return "canceled"
        case .expired: return "expired"
        case .rejected: return "rejected"
        case .replaced: return "replaced"
        }
    }

    /// The runtime's status for an Alpaca status or event name (nil for states that change nothing: pending_*,
    /// calculated, done_for_day, stopped, order_*_rejected).
    public static func status(_ name: String) -> OrderStatus? {
        switch name {
        case "new", "accepted", "accepted_for_bidding": return .working
        case "held": return .held
        case "partially_filled", "partial_fill": return .partiallyFilled
        case "filled", "fill": return .filled
        case "canceled": return .cancelled
        case "expired": return .expired
        case "rejected", "suspended": return .rejected
        case "replaced": return .replaced
        default: return nil
        }
    }
}

extension AlpacaOrder {
    /// The order Alpaca would report for `order` just received (status `accepted`, nothing filled).
    public init(translating order: BrokerOrder, id: String, assetID: String, createdAt: String,
                orderClass: String) throws(AlpacaError) {
        let r = try AlpacaOrderRequest(order)
        self.init(id: id, clientOrderId: order.clientOrderID, createdAt: createdAt, updatedAt: createdAt,
                  submittedAt: createdAt, assetId: assetID, symbol: order.symbol, qty: r.qty, notional: r.notional,
                  filledQty: "0", orderClass: orderClass, type: r.type, side: r.side, timeInForce: r.timeInForce,
                  status: "accepted")
        limitPrice = r.limitPrice
        stopPrice = r.stopPrice
        trailPrice = r.trailPrice
        trailPercent = r.trailPercent
        extendedHours = order.request.extendedHours
    }
}
