import TradewindCore

/// `--provider auto`: providers tried in order, per symbol, until one serves it. A provider is passed over on any
/// error (not configured, refused, rate-limited after its retries, no such symbol, no data, malformed answers);
/// what each one said is kept for the report.
public struct ProviderChain: Sendable {
    public let providers: [any MarketDataProvider]

    public init(_ providers: [any MarketDataProvider]) {
        self.providers = providers
    }

    /// The configured providers of `settings` in `order` (default Alpaca → Polygon → Finnhub → Yahoo); unconfigured
    /// ones are left out. Throws `notConfigured` when none is left.
    public init(settings: ProviderSettings, order: [ProviderID] = ProviderID.defaultFallbackOrder,
                http: ProviderHTTPClient = .shared) throws(ProviderError) {
        var list: [any MarketDataProvider] = []
        for id in order where settings.entries[id]?.isConfigured == true { list.append(try settings.provider(id, http: http)) }
        guard !list.isEmpty else {
            throw ProviderError(.notConfigured, provider: "auto", "none of " + order.map(\.rawValue).joined(separator: ", ") + " is configured")
        }
        self.init(list)
    }

    /// What one symbol's fetch came to.
    public struct Outcome: Sendable {
        public let series: BarSeries
        public let provider: ProviderID
        /// The providers passed over before it, and why.
        public let skipped: [ProviderError]
    }

    /// The bars of `request` from the first provider that has them. Throws the last provider's error (the others
    /// are in its message) when none does.
    public func bars(_ request: BarRequest) async throws(ProviderError) -> Outcome {
        var skipped: [ProviderError] = []
        for p in providers {
            do throws(ProviderError) {
                let series = try await p.bars(request)
                return Outcome(series: series, provider: p.id, skipped: skipped)
            } catch {
                skipped.append(error.about(request.symbol))
            }
        }
        let last = skipped.last!
        throw ProviderError(last.kind, provider: providers.count == 1 ? last.provider : "auto", symbol: request.symbol, status: last.status,
                            providers.count == 1 ? last.message : "no provider served it: " + skipped.map(\.description).joined(separator: "; "))
    }

    /// The latest price of `symbol` from the first provider that has one.
    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        var errors: [ProviderError] = []
        for p in providers {
            do throws(ProviderError) {
                return try await p.latestPrice(symbol)
            } catch {
                errors.append(error)
            }
        }
        throw ProviderError(errors.last!.kind, provider: "auto", symbol: symbol, status: errors.last!.status,
                            errors.map(\.description).joined(separator: "; "))
    }
}
