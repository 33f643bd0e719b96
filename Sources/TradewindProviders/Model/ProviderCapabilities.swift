import TradewindCore

/// What a provider offers: the intervals it serves, whether its prices can be had raw (as traded), whether it
/// gives dividends and splits, and how far back its history reaches (as documented for its common plans).
public struct ProviderCapabilities: Sendable, Equatable {
    /// The intervals `tradewind data fetch --interval` may ask this provider for.
    public var intervals: [BarInterval]
    /// True when prices come unadjusted (Tradewind stores raw prices and derives adjusted views).
    public var rawPrices: Bool
    /// True when the provider's bars carry dividends and splits.
    public var corporateActions: Bool
    /// The documented reach of its history, in words (`since 2016`, `last 30 days for 1m`).
    public var history: String
    /// Its default request rate (the documented limit of the common plan).
    public var defaultRate: RateLimit

    public init(intervals: [BarInterval], rawPrices: Bool, corporateActions: Bool, history: String, defaultRate: RateLimit) {
        self.intervals = intervals
        self.rawPrices = rawPrices
        self.corporateActions = corporateActions
        self.history = history
        self.defaultRate = defaultRate
    }

    /// Throws `unsupported` unless `interval` is one the provider serves.
    public func check(_ interval: BarInterval, provider: ProviderID) throws(ProviderError) {
        guard intervals.contains(interval) else {
            throw ProviderError(.unsupported, provider,
                                "no \(interval) bars here; this provider serves " + intervals.map(\.description).joined(separator: ", "))
        }
    }
}
