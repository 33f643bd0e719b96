/// How each provider is reached: its key and base URL from the environment, its request rate (the documented default
/// or `--rate`), retries and timeout. Builds the clients, one token bucket per provider shared by all its requests.
public struct ProviderSettings: Sendable {
    /// One provider's configuration, as `tradewind data providers` lists it.
    public struct Entry: Sendable {
        public let id: ProviderID
        /// Nil when the provider can be used; else what to set.
        public let missing: String?
        /// The variable the key came from (never the key).
        public let keySource: String?
        public let baseURL: String
        public var rate: RateLimit
        public var capabilities: ProviderCapabilities

        public var isConfigured: Bool { missing == nil }
    }

    public private(set) var entries: [ProviderID: Entry]
    public var retry: RetryPolicy
    public var timeout: Duration
    private let alpacaCredentials: AlpacaCredentials?
    private let alpacaEndpoints: AlpacaEndpoints
    private let alpacaFeed: String?
    private let polygonKey: String?
    private let finnhubKey: String?

    /// Reads keys and base URLs from `environment`: Alpaca's variables (`AlpacaCredentials`, `APCA_API_DATA_URL`,
    /// `APCA_DATA_FEED`), `POLYGON_API_KEY` or `MASSIVE_API_KEY` with `POLYGON_BASE_URL`, `FINNHUB_API_KEY` with
    /// `FINNHUB_BASE_URL`, and `YAHOO_BASE_URL`. Throws when half an Alpaca key pair is set.
    public init(environment: ProviderEnvironment = .process, retry: RetryPolicy = .standard,
                timeout: Duration = .seconds(30)) throws(ProviderError) {
        self.retry = retry
        self.timeout = timeout
        alpacaCredentials = try AlpacaCredentials.from(environment)
        alpacaEndpoints = AlpacaEndpoints.from(environment)
        alpacaFeed = environment.first(["APCA_DATA_FEED"])?.value
        let polygon = environment.first(["POLYGON_API_KEY", "MASSIVE_API_KEY"])
        polygonKey = polygon?.value
        let polygonDefault = polygon?.name == "MASSIVE_API_KEY" ? PolygonAggregatesClient.massiveBaseURL : PolygonAggregatesClient.defaultBaseURL
        let finnhub = environment.first(["FINNHUB_API_KEY"])
        finnhubKey = finnhub?.value
        var e: [ProviderID: Entry] = [:]
        e[.alpaca] = Entry(id: .alpaca, missing: alpacaCredentials == nil ? "set APCA_API_KEY_ID and APCA_API_SECRET_KEY" : nil,
                           keySource: alpacaCredentials == nil ? nil : environment.first(AlpacaCredentials.keyIDVariables)?.name,
                           baseURL: alpacaEndpoints.data, rate: AlpacaBarsClient.capabilities.defaultRate,
                           capabilities: AlpacaBarsClient.capabilities)
        e[.polygon] = Entry(id: .polygon, missing: polygon == nil ? "set POLYGON_API_KEY (or MASSIVE_API_KEY)" : nil, keySource: polygon?.name,
                            baseURL: environment.baseURL("POLYGON_BASE_URL", default: polygonDefault),
                            rate: PolygonAggregatesClient.capabilities.defaultRate, capabilities: PolygonAggregatesClient.capabilities)
        e[.finnhub] = Entry(id: .finnhub, missing: finnhub == nil ? "set FINNHUB_API_KEY" : nil, keySource: finnhub?.name,
                            baseURL: environment.baseURL("FINNHUB_BASE_URL", default: FinnhubCandlesClient.defaultBaseURL),
                            rate: FinnhubCandlesClient.capabilities.defaultRate, capabilities: FinnhubCandlesClient.capabilities)
        e[.yahoo] = Entry(id: .yahoo, missing: nil, keySource: nil,
                          baseURL: environment.baseURL("YAHOO_BASE_URL", default: YahooChartClient.defaultBaseURL),
                          rate: YahooChartClient.capabilities.defaultRate, capabilities: YahooChartClient.capabilities)
        entries = e
    }

    /// Every provider in the default fallback order.
    public var all: [Entry] { ProviderID.defaultFallbackOrder.compactMap { entries[$0] } }

    /// Sets the request rate of `id` (a plan with a higher limit, or a proxy).
    public mutating func setRate(_ rate: RateLimit, for id: ProviderID) {
        entries[id]?.rate = rate
    }

    /// The client of `id`, with a token bucket of its own. Throws `notConfigured` when its key is missing.
    public func provider(_ id: ProviderID, http: ProviderHTTPClient = .shared) throws(ProviderError) -> any MarketDataProvider {
        guard let entry = entries[id] else { throw ProviderError(.notConfigured, id, "unknown provider") }
        if let missing = entry.missing { throw ProviderError(.notConfigured, id, "not configured: \(missing)") }
        let policy = RequestPolicy(limiter: TokenBucket(entry.rate), retry: retry, timeout: timeout)
        switch id {
        case .alpaca:
            var endpoints = alpacaEndpoints
            endpoints.data = entry.baseURL
            return AlpacaBarsClient(credentials: alpacaCredentials!, endpoints: endpoints, feed: alpacaFeed, policy: policy, http: http)
        case .polygon:
            return PolygonAggregatesClient(apiKey: polygonKey!, baseURL: entry.baseURL, policy: policy, http: http)
        case .finnhub:
            return FinnhubCandlesClient(apiKey: finnhubKey!, baseURL: entry.baseURL, policy: policy, http: http)
        case .yahoo:
            return YahooChartClient(baseURL: entry.baseURL, policy: policy, http: http)
        }
    }
}
