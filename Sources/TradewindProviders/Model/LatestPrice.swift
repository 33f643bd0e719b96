import TradewindCore

/// The most recent price a provider knows for a symbol (its latest trade, quote or bar close).
public struct LatestPrice: Sendable, Equatable, Codable {
    public var symbol: String
    public var price: Double
    /// When that price was set (UTC nanoseconds).
    public var time: UnixNanos
    /// The provider that gave it.
    public var provider: ProviderID

    public init(symbol: String, price: Double, time: UnixNanos, provider: ProviderID) {
        self.symbol = symbol
        self.price = price
        self.time = time
        self.provider = provider
    }
}
