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

/// One message of the real-time stock data stream (`/v2/iex`, `/v2/sip`): every frame is a JSON array of these,
/// told apart by `T` (`success`, `error`, `subscription`, `b` bar, `t` trade, `q` quote, `u` updated bar,
/// `d` daily bar).
public struct AlpacaDataMessage: Codable, Sendable, Hashable {
    public var T: String
    public var msg: String?
    public var code: Int?
    /// The symbol of a bar, trade or quote.
    public var S: String?
    /// Bar fields.
    public var o: Double?
    public var h: Double?
    public var l: Double?
    public var c: Double?
    public var v: Double?
    public var n: Int?
    public var vw: Double?
    /// The time: a bar's start, a trade's or quote's instant.
    public var t: String?
    /// A trade's id, price and size.
    public var i: Int?
    public var p: Double?
    public var s: Double?
    /// Subscription lists.
    public var trades: [String]?
    public var quotes: [String]?
    public var bars: [String]?

    public init(T: String) { self.T = T }

    /// `[{"T":"success","msg":…}]`'s element.
    public static func success(_ msg: String) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "success")
        m.msg = msg
        return m
    }

    /// An error: 400 invalid syntax, 401 not authenticated, 402 auth failed, 403 already authenticated,
    /// 404 auth timeout, 405 symbol limit exceeded, 406 connection limit exceeded, 407 slow client,
    /// 409 insufficient subscription, 500 internal error.
    public static func error(_ code: Int, _ msg: String) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "error")
        m.code = code
        m.msg = msg
        return m
    }

    /// A minute bar (`T: "b"`).
    public static func bar(_ symbol: String, _ bar: AlpacaBar) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "b")
        m.S = symbol
        m.o = bar.o; m.h = bar.h; m.l = bar.l; m.c = bar.c; m.v = bar.v; m.n = bar.n; m.vw = bar.vw
        m.t = bar.t
        return m
    }

    /// The bar of a `b` message.
    public var asBar: AlpacaBar? {
        guard let t, let o, let h, let l, let c else { return nil }
        return AlpacaBar(t: t, o: o, h: h, l: l, c: c, v: v ?? 0, n: n, vw: vw)
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
