/// Where Alpaca's APIs are: trading (`APCA_API_BASE_URL`, the paper host unless set), market data
/// (`APCA_API_DATA_URL`) and the market-data stream (`APCA_API_STREAM_URL`). Pointing them at a local server
/// (`tradewind exchange`, a test double, a proxy) is how tests and offline runs work.
public struct AlpacaEndpoints: Sendable, Equatable {
    public static let paperTradingURL = "https://paper-api.alpaca.markets"
    public static let liveTradingURL = "https://api.alpaca.markets"
    public static let defaultDataURL = "https://data.alpaca.markets"
    public static let defaultStreamURL = "wss://stream.data.alpaca.markets"

    /// Trading API v2 host (no trailing `/`, no `/v2`).
    public var trading: String
    /// Market data v2 host.
    public var data: String
    /// Market-data stream host.
    public var stream: String

    public init(trading: String = paperTradingURL, data: String = defaultDataURL, stream: String = defaultStreamURL) {
        self.trading = Self.trimmed(trading)
        self.data = Self.trimmed(data)
        self.stream = Self.trimmed(stream)
    }

    /// The endpoints `environment` names, the public hosts (paper trading) for those it leaves unset.
    public static func from(_ environment: ProviderEnvironment) -> AlpacaEndpoints {
        AlpacaEndpoints(trading: environment.baseURL("APCA_API_BASE_URL", default: paperTradingURL),
                        data: environment.baseURL("APCA_API_DATA_URL", default: defaultDataURL),
                        stream: environment.baseURL("APCA_API_STREAM_URL", default: defaultStreamURL))
    }

    /// `url` without trailing `/` or `/v2` (older SDKs' variables include it; Tradewind adds it per path).
    static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        if u.hasSuffix("/v2") { u.removeLast(3) }
        return u
    }
}
