import Foundation
import TradewindCore

/// Alpaca's multi-symbol bars (`/v2/stocks/bars?symbols=A,B,C`, pages running across the symbols) behind the
/// one-symbol `MarketDataProvider` interface: requests for the same interval and range that arrive together (the
/// symbols `BarFetcher` has in flight, which move through their segments in step) are sent as one request of up to
/// `size` symbols, and each caller gets its own symbol's bars. Memory stays what the callers would hold anyway: one
/// segment per symbol in flight. A symbol the answer lacks is `noData` for that caller alone (so `auto` falls back
/// for it); a failed request fails each caller of the batch.
public struct AlpacaBatching: MarketDataProvider {
    public let client: AlpacaBarsClient
    /// Symbols per request (1…200).
    public let size: Int
    let batcher: Batcher

    public init(client: AlpacaBarsClient, size: Int) {
        self.client = client
        self.size = min(200, max(1, size))
        batcher = Batcher(client: client, size: self.size)
    }

    public var id: ProviderID { .alpaca }
    public var capabilities: ProviderCapabilities { client.capabilities }

    public func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries {
        let result = await batcher.bars(request)
        return try result.get()
    }

    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        try await client.latestPrice(symbol)
    }

    /// Gathers the requests of one interval and range, and sends them when `size` have come or a moment has passed.
    actor Batcher {
        struct Key: Hashable {
            let interval: BarInterval
            let from: UnixNanos
            let to: UnixNanos
        }
        typealias Waiter = (symbol: String, resume: CheckedContinuation<Result<BarSeries, ProviderError>, Never>)

        let client: AlpacaBarsClient
        let size: Int
        var pending: [Key: [Waiter]] = [:]
        /// How long a partial batch waits for more symbols.
        static let gather: Duration = .milliseconds(5)

        init(client: AlpacaBarsClient, size: Int) {
            self.client = client
            self.size = size
        }

        func bars(_ request: BarRequest) async -> Result<BarSeries, ProviderError> {
            let key = Key(interval: request.interval, from: request.from, to: request.to)
            return await withCheckedContinuation { continuation in
                let first = pending[key] == nil
                pending[key, default: []].append((request.symbol, continuation))
                if pending[key]!.count >= size {
                    send(key)
                } else if first {
                    Task {
                        try? await Task.sleep(for: Self.gather)
                        self.send(key)
                    }
                }
            }
        }

        /// Sends the batch gathered under `key` (if any) in a task of its own.
        func send(_ key: Key) {
            guard let waiters = pending.removeValue(forKey: key), !waiters.isEmpty else { return }
            let client = self.client
            Task {
                let symbols = Array(Set(waiters.map(\.symbol))).sorted()
                do throws(ProviderError) {
                    let found = try await client.bars(symbols: symbols, interval: key.interval, from: key.from, to: key.to)
                    for w in waiters {
                        if let series = found[w.symbol], !series.isEmpty {
                            w.resume.resume(returning: .success(series))
                        } else {
                            w.resume.resume(returning: .failure(ProviderError(.noData, .alpaca, symbol: w.symbol,
                                                                              "no bars for \(w.symbol) in this range")))
                        }
                    }
                } catch {
                    for w in waiters { w.resume.resume(returning: .failure(error.about(w.symbol))) }
                }
            }
        }
    }
}
