import Foundation
import TradewindCore

/// The latest price per symbol from a provider chain, kept for `maxAge` (default 5 s, the AI trading server's
/// refresh period) so that many readers cost one request per symbol per period. Several symbols are fetched
/// concurrently (20 at a time, as that server's workers). Serves the server's `/api/prices` and `/api/chart-cache`.
public actor LivePrices {
    /// A cached price and how old it is.
    public struct Entry: Sendable {
        public let price: LatestPrice
        public let ageSeconds: Double
    }

    /// The providers asked, nil when none is configured (every request then fails with `notConfigured`).
    public nonisolated let chain: ProviderChain?
    public nonisolated let maxAge: Duration
    public nonisolated let workers: Int
    private var cache: [String: (price: LatestPrice, at: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()

    public init(chain: ProviderChain?, maxAge: Duration = .seconds(5), workers: Int = 20) {
        self.chain = chain
        self.maxAge = maxAge
        self.workers = max(1, workers)
    }

    /// The providers named by `TRADEWIND_PRICE_PROVIDERS` (comma-separated, in order; e.g. `alpaca,yahoo`), with
    /// their keys and base URLs from the same environment. Live prices are opt-in: unset, no provider is asked.
    public static func fromEnvironment(_ environment: ProviderEnvironment = .process) -> LivePrices {
        guard let names = environment.first(["TRADEWIND_PRICE_PROVIDERS"])?.value else { return LivePrices(chain: nil) }
        let ids = names.split(separator: ",").compactMap { ProviderID(named: String($0).trimmingCharacters(in: .whitespaces)) }
        guard let settings = try? ProviderSettings(environment: environment, retry: RetryPolicy(maxRetries: 1), timeout: .seconds(5)),
              let chain = try? ProviderChain(settings: settings, order: ids) else { return LivePrices(chain: nil) }
        return LivePrices(chain: chain)
    }

    /// True for a plausible ticker: 1 to 20 of letters, digits and `. - ^ = /`.
    public nonisolated static func isValidSymbol(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 20 && s.unicodeScalars.allSatisfy {
            ($0.value < 128 && CharacterSet.alphanumerics.contains($0)) || ".-^=/".unicodeScalars.contains($0)
        }
    }

    /// The price of `symbol`: the cached one while younger than `maxAge`, else a fresh one.
    public func price(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        if let hit = cache[symbol], hit.at.duration(to: clock.now) < maxAge { return hit.price }
        guard let chain else {
            throw ProviderError(.notConfigured, provider: "prices", symbol: symbol,
                                "no price provider is configured; set TRADEWIND_PRICE_PROVIDERS (e.g. alpaca,yahoo) and their keys")
        }
        let fresh = try await chain.latestPrice(symbol)
        cache[symbol] = (fresh, clock.now)
        return fresh
    }

    /// The prices of `symbols` (`workers` at a time); those that failed are in `errors`.
    public func prices(_ symbols: [String]) async -> (prices: [LatestPrice], errors: [ProviderError]) {
        var prices: [LatestPrice] = []
        var errors: [ProviderError] = []
        await withTaskGroup(of: Result<LatestPrice, ProviderError>.self) { group in
            var next = 0
            func start() {
                guard next < symbols.count else { return }
                let s = symbols[next]
                next += 1
                group.addTask { do throws(ProviderError) { return .success(try await self.price(s)) } catch { return .failure(error) } }
            }
            for _ in 0..<min(workers, symbols.count) { start() }
            while let r = await group.next() {
                switch r {
                case .success(let p): prices.append(p)
                case .failure(let e): errors.append(e)
                }
                start()
            }
        }
        let order = Dictionary(symbols.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        prices.sort { (order[$0.symbol] ?? 0) < (order[$1.symbol] ?? 0) }
        return (prices, errors)
    }

    /// Every cached price with its age, by symbol.
    public func cached() -> [Entry] {
        let now = clock.now
        return cache.keys.sorted().map { k in
            let e = cache[k]!
            let age = e.at.duration(to: now)
            return Entry(price: e.price, ageSeconds: Double(age.components.seconds) + Double(age.components.attoseconds) * 1e-18)
        }
    }
}
