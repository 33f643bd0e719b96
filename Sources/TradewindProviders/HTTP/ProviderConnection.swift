/// Where and how a keyed REST provider client (Polygon, Finnhub) sends its requests: its key, its base URL (no
/// trailing `/`), its request policy (token bucket, retries, timeout) and the pooled HTTP client.
public struct ProviderConnection: Sendable {
    public let apiKey: String
    public let baseURL: String
    public let policy: RequestPolicy
    public let http: ProviderHTTPClient

    public init(apiKey: String, baseURL: String, policy: RequestPolicy, http: ProviderHTTPClient = .shared) {
        self.apiKey = apiKey
        self.baseURL = ProviderEnvironment.trimmed(baseURL)
        self.policy = policy
        self.http = http
    }

    /// GETs `url` with the key in header `keyHeader` (its value `keyPrefix` + the key), under the policy.
    func get(_ url: String, keyHeader: String, keyPrefix: String = "", provider: ProviderID,
             symbol: String?) async throws(ProviderError) -> ProviderResponse {
        try await http.get(url, headers: [(keyHeader, keyPrefix + apiKey)], provider: provider, symbol: symbol, policy: policy)
    }
}
