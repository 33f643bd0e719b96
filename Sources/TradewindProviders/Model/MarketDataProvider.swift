import TradewindCore

/// A source of market data over the network: historical bars and the latest price of a symbol.
///
/// Bars come back in Tradewind's conventions: UTC instants labelling each bar's start (daily bars at the session
/// open of their New York date), raw prices plus dividends and splits where the provider gives them, strictly
/// ascending, within the requested range, and validated as files are (`BarValidation`).
public protocol MarketDataProvider: Sendable {
    /// Which provider this is.
    var id: ProviderID { get }
    /// What it offers.
    var capabilities: ProviderCapabilities { get }
    /// The bars of `request` (all pages). An empty answer is `noData`.
    func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries
    /// The latest price of `symbol`.
    func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice
}
