import TradewindProviders

extension AlpacaEndpoints {
    /// Every API on one server (`tradewind exchange` at `http://127.0.0.1:PORT`): trading, data, and the data
    /// stream at the same host over ws(s).
    public init(oneServer base: String) {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        self.init(trading: b, data: b, stream: Self.webSocket(b))
    }

    /// The `trade_updates` stream's URL: the trading host's `/stream` over ws(s).
    public var tradeUpdates: String { Self.webSocket(trading) + "/stream" }

    /// `http(s)://host` as `ws(s)://host`.
    static func webSocket(_ url: String) -> String {
        if url.hasPrefix("https://") { return "wss://" + url.dropFirst(8) }
        if url.hasPrefix("http://") { return "ws://" + url.dropFirst(7) }
        return url
    }
}
