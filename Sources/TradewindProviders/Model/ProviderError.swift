/// Everything that can go wrong fetching market data, said so that the user can act: which provider, which symbol,
/// the HTTP status when there was one, and what to do. Never holds a secret (keys travel in headers only, and
/// messages quote URLs without their query).
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The provider's key (or another setting) is missing.
        case notConfigured
        /// The provider refused the key (401) or the plan does not include the data (403).
        case unauthorized, forbidden
        /// The symbol (or endpoint) does not exist at the provider.
        case notFound
        /// Too many requests (429) even after the retries the policy allows.
        case rateLimited
        /// The provider failed (5xx) even after retries.
        case server
        /// No response within the per-request timeout, after retries.
        case timeout
        /// The connection failed (refused, reset, DNS, TLS).
        case transport
        /// The answer is not the documented JSON (malformed, truncated, wrong shape).
        case malformed
        /// The provider answered with no bars for the request.
        case noData
        /// The request is one this provider cannot serve (interval, range), or a bad option.
        case unsupported
        /// The provider's bars fail Tradewind's bar validation.
        case invalidBars
        /// The provider rejected the request (other 4xx).
        case rejected
    }

    public let kind: Kind
    /// The provider (`alpaca`, `polygon`, …).
    public let provider: String
    /// The symbol the request was for, when there was one.
    public let symbol: String?
    /// The HTTP status, when the provider answered.
    public let status: Int?
    /// What happened and what to do.
    public let message: String

    public init(_ kind: Kind, provider: String, symbol: String? = nil, status: Int? = nil, _ message: String) {
        self.kind = kind
        self.provider = provider
        self.symbol = symbol
        self.status = status
        self.message = message
    }

    public init(_ kind: Kind, _ provider: ProviderID, symbol: String? = nil, status: Int? = nil, _ message: String) {
        self.init(kind, provider: provider.rawValue, symbol: symbol, status: status, message)
    }

    /// The same error about `symbol`.
    public func about(_ symbol: String) -> ProviderError {
        ProviderError(kind, provider: provider, symbol: symbol, status: status, message)
    }

    public var description: String {
        var s = provider
        if let symbol { s += " " + symbol }
        if let status { s += " (HTTP \(status))" }
        return s + ": " + message
    }
}
