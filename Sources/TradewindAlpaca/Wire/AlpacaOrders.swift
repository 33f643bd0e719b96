/// `POST /v2/orders`'s body (Trading API v2). Decimals are strings; `qty` or `notional`, not both.
public struct AlpacaOrderRequest: Codable, Sendable, Hashable {
    /// `take_profit` of a bracket, OCO or OTO order.
    public struct TakeProfit: Codable, Sendable, Hashable {
        public var limitPrice: String
        public init(limitPrice: String) { self.limitPrice = limitPrice }
    }

    /// `stop_loss` of a bracket, OCO or OTO order (`limit_price` makes it a stop-limit).
    public struct StopLoss: Codable, Sendable, Hashable {
        public var stopPrice: String
        public var limitPrice: String?
        public init(stopPrice: String, limitPrice: String? = nil) {
            self.stopPrice = stopPrice
            self.limitPrice = limitPrice
        }
    }

    public var symbol: String
    public var qty: String?
    public var notional: String?
    /// `buy` or `sell`.
    public var side: String
    /// `market`, `limit`, `stop`, `stop_limit`, `trailing_stop`.
    public var type: String
    /// `day`, `gtc`, `opg`, `cls`, `ioc`, `fok`.
    public var timeInForce: String
    public var limitPrice: String?
    public var stopPrice: String?
    public var trailPrice: String?
    public var trailPercent: String?
    public var extendedHours: Bool?
    public var clientOrderId: String?
    /// `simple`, `bracket`, `oco`, `oto`.
    public var orderClass: String?
    public var takeProfit: TakeProfit?
    public var stopLoss: StopLoss?

    public init(symbol: String, qty: String? = nil, notional: String? = nil, side: String, type: String,
                timeInForce: String, limitPrice: String? = nil, stopPrice: String? = nil, trailPrice: String? = nil,
                trailPercent: String? = nil, extendedHours: Bool? = nil, clientOrderId: String? = nil,
                orderClass: String? = nil, takeProfit: TakeProfit? = nil, stopLoss: StopLoss? = nil) {
        self.symbol = symbol
        self.qty = qty
        self.notional = notional
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.trailPrice = trailPrice
        self.trailPercent = trailPercent
        self.extendedHours = extendedHours
        self.clientOrderId = clientOrderId
        self.orderClass = orderClass
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
    }
}

/// `PATCH /v2/orders/{id}`'s body: the fields to change; the answer is a new order that replaces the old one.
public struct AlpacaReplaceRequest: Codable, Sendable, Hashable {
    public var qty: String?
    public var timeInForce: String?
    public var limitPrice: String?
    public var stopPrice: String?
    public var trail: String?
    public var clientOrderId: String?

    public init(qty: String? = nil, timeInForce: String? = nil, limitPrice: String? = nil, stopPrice: String? = nil,
                trail: String? = nil, clientOrderId: String? = nil) {
        self.qty = qty
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.trail = trail
        self.clientOrderId = clientOrderId
    }
}

/// An order as Alpaca reports it (`GET /v2/orders/{id}`, and inside `trade_updates` events).
public struct AlpacaOrder: Codable, Sendable, Hashable {
    public var id: String
    public var clientOrderId: String
    public var createdAt: String
    public var updatedAt: String?
    public var submittedAt: String?
    public var filledAt: String?
    public var expiredAt: String?
    public var canceledAt: String?
    public var failedAt: String?
    public var replacedAt: String?
    public var replacedBy: String?
    public var replaces: String?
    public var assetId: String
    public var symbol: String
    public var assetClass: String
    public var notional: String?
    public var qty: String?
    public var filledQty: String
    public var filledAvgPrice: String?
    public var orderClass: String
    public var orderType: String
    public var type: String
    public var side: String
    public var timeInForce: String
    public var limitPrice: String?
    public var stopPrice: String?
    public var status: String
    public var extendedHours: Bool
    public var legs: [AlpacaOrder]?
    public var trailPercent: String?
    public var trailPrice: String?
    public var hwm: String?
    public var positionIntent: String?

    public init(id: String, clientOrderId: String, createdAt: String, updatedAt: String?, submittedAt: String?,
                assetId: String, symbol: String, qty: String?, notional: String?, filledQty: String, orderClass: String,
                type: String, side: String, timeInForce: String, status: String) {
        self.id = id
        self.clientOrderId = clientOrderId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
        self.assetId = assetId
        self.symbol = symbol
        assetClass = "us_equity"
        self.qty = qty
        self.notional = notional
        self.filledQty = filledQty
        self.orderClass = orderClass
        orderType = type
        self.type = type
        self.side = side
        self.timeInForce = timeInForce
        self.status = status
        extendedHours = false
    }
}
