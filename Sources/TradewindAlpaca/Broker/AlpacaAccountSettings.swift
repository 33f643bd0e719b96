import TradewindProviders

/// Which Alpaca account to trade and how to reach it, from the environment: the keys (`APCA_API_KEY_ID` /
/// `APCA_API_SECRET_KEY` or their aliases) and the hosts (`APCA_API_BASE_URL`, `APCA_API_DATA_URL`,
/// `APCA_API_STREAM_URL`). The paper host unless `live`.
public struct AlpacaAccountSettings: Sendable {
    public let credentials: AlpacaCredentials
    public let endpoints: AlpacaEndpoints
    public let live: Bool

    public init(environment: [String: String], live: Bool) throws {
        let env = ProviderEnvironment(environment)
        guard let credentials = try AlpacaCredentials.from(env) else {
            throw AlpacaError.http(status: 401, code: nil, message: "no Alpaca keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY",
                                   path: "(environment)")
        }
        self.credentials = credentials
        var endpoints = AlpacaEndpoints.from(env)
        if live, env.first(["APCA_API_BASE_URL"]) == nil { endpoints.trading = AlpacaEndpoints.liveTradingURL }
        self.endpoints = endpoints
        self.live = live
    }

    /// The broker on this account (connect it before trading).
    public func broker() -> AlpacaBroker {
        AlpacaBroker(client: AlpacaRESTClient(credentials: credentials, endpoints: endpoints), live: live)
    }

    /// The minute-bar feed of `symbols` from `feed` (`iex` or `sip`): Alpaca's bars, or bars built from its trades.
    public func feed(symbols: [String], feed: String, source: AlpacaFeed.BarSource = .streamedBars) -> AlpacaFeed {
        AlpacaFeed(symbols: symbols, credentials: credentials, endpoints: endpoints, feed: feed, source: source)
    }
}
