/// One `trade_updates` event: `{"stream":"trade_updates","data":{…}}`.
public struct AlpacaTradeUpdate: Codable, Sendable, Hashable {
    /// `new`, `fill`, `partial_fill`, `canceled`, `expired`, `done_for_day`, `replaced`, `rejected`,
    /// `pending_new`, `stopped`, `pending_cancel`, `pending_replace`, `calculated`, `suspended`,
    /// `order_replace_rejected`, `order_cancel_rejected`.
    public var event: String
    /// A fill's id (fill and partial_fill events).
    public var executionId: String?
    public var order: AlpacaOrder
    public var timestamp: String?
    /// The position after a fill, and the fill's price and quantity.
    public var positionQty: String?
    public var price: String?
    public var qty: String?

    public init(event: String, executionId: String? = nil, order: AlpacaOrder, timestamp: String?,
                positionQty: String? = nil, price: String? = nil, qty: String? = nil) {
        self.event = event
        self.executionId = executionId
        self.order = order
        self.timestamp = timestamp
        self.positionQty = positionQty
        self.price = price
        self.qty = qty
    }
}

/// The `trade_updates` socket's messages: `{"stream": NAME, "data": …}`.
public struct AlpacaStreamEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    public var stream: String
    public var data: Payload

    public init(stream: String, data: Payload) {
        self.stream = stream
        self.data = data
    }
}

/// What a client sends on the `trade_updates` socket: `{"action":"auth","key":…,"secret":…}` (the documented
/// form; `{"action":"authenticate","data":{"key_id":…,"secret_key":…}}` is also accepted) and
/// `{"action":"listen","data":{"streams":["trade_updates"]}}`.
public struct AlpacaStreamAction: Codable, Sendable {
    public struct Data: Codable, Sendable {
        public var keyId: String?
        public var secretKey: String?
        public var streams: [String]?
        public init(keyId: String? = nil, secretKey: String? = nil, streams: [String]? = nil) {
            self.keyId = keyId
            self.secretKey = secretKey
            self.streams = streams
        }
    }

    public var action: String
    public var key: String?
    public var secret: String?
    public var data: Data?

    public init(action: String, key: String? = nil, secret: String? = nil, data: Data? = nil) {
        self.action = action
        self.key = key
        self.secret = secret
        self.data = data
    }
}

/// The answers on the `trade_updates` socket to `auth` and `listen`.
public struct AlpacaStreamStatus: Codable, Sendable, Hashable {
    public var status: String?
    public var action: String?
    public var message: String?
    public var streams: [String]?

    public init(status: String? = nil, action: String? = nil, message: String? = nil, streams: [String]? = nil) {
        self.status = status
        self.action = action
        self.message = message
        self.streams = streams
    }
}

/// What a client sends on the data stream: `auth` with `key`/`secret`, `subscribe`/`unsubscribe` with lists.
public struct AlpacaDataAction: Codable, Sendable, Hashable {
    public var action: String
    public var key: String?
    public var secret: String?
    public var trades: [String]?
    public var quotes: [String]?
    public var bars: [String]?

    public init(action: String, key: String? = nil, secret: String? = nil, trades: [String]? = nil,
                quotes: [String]? = nil, bars: [String]? = nil) {
        self.action = action
        self.key = key
        self.secret = secret
        self.trades = trades
        self.quotes = quotes
        self.bars = bars
    }
}
