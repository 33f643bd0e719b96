import Foundation
import Synchronization
import TradewindCore

/// Alpaca's multi-symbol bars (`/v2/stocks/bars?symbols=A,B,C`, pages running across the symbols) behind the
/// one-symbol `MarketDataProvider` interface: requests for the same interval and range that arrive together (the
/// symbols `BarFetcher` has in flight, which move through their segments in step) are sent as one request of up to
/// `size` symbols, and each caller gets its own symbol's bars as soon as the batch's pages have moved past it. Memory
/// stays what the callers would hold anyway: one segment per symbol in flight, and per request stream the symbol its
/// last page ended on. A symbol the answer lacks is `noData` for that caller alone (so `auto` falls back
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
        /// Batches sent so far per key: a partial batch's timer sends only the batch it was started for, never one
        /// that began gathering after that batch filled up and went.
        var sent: [Key: Int] = [:]
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
                    let batch = sent[key, default: 0]
                    Task {
                        try? await Task.sleep(for: Self.gather)
                        self.send(key, ifStill: batch)
                    }
                }
            }
        }

        /// Sends the batch gathered under `key` (if any) in a task of its own. Each caller is answered as soon as the
        /// pages have moved past its symbol (the client streams the batch), not when the batch's last page arrives.
        func send(_ key: Key, ifStill batch: Int? = nil) {
            if let batch, batch != sent[key, default: 0] { return }
            guard let waiters = pending.removeValue(forKey: key), !waiters.isEmpty else { return }
            sent[key, default: 0] += 1
            let client = self.client
            Task {
                let waiting = Waiting(waiters)
                do throws(ProviderError) {
                    try await client.bars(symbols: waiting.symbols, interval: key.interval, from: key.from, to: key.to) { symbol, series in
                        waiting.answer(symbol, .success(series))
                    }
                    waiting.answerRest { w in .failure(ProviderError(.noData, .alpaca, symbol: w, "no bars for \(w) in this range")) }
                } catch {
                    waiting.answerRest { w in .failure(error.about(w)) }
                }
            }
        }
    }

    /// The callers of one batch not answered yet, each answered exactly once, from whichever task has its answer.
    final class Waiting: Sendable {
        private let waiters: Mutex<[String: [CheckedContinuation<Result<BarSeries, ProviderError>, Never>]]>
        let symbols: [String]

        init(_ list: [Batcher.Waiter]) {
            var bySymbol: [String: [CheckedContinuation<Result<BarSeries, ProviderError>, Never>]] = [:]
            for w in list { bySymbol[w.symbol, default: []].append(w.resume) }
            symbols = bySymbol.keys.sorted()
            waiters = Mutex(bySymbol)
        }

        func answer(_ symbol: String, _ result: Result<BarSeries, ProviderError>) {
            for w in waiters.withLock({ $0.removeValue(forKey: symbol) }) ?? [] { w.resume(returning: result) }
        }

        func answerRest(_ result: (String) -> Result<BarSeries, ProviderError>) {
            let rest = waiters.withLock { w -> [String: [CheckedContinuation<Result<BarSeries, ProviderError>, Never>]] in
                let all = w
                w = [:]
                return all
            }
            for (symbol, list) in rest {
                for w in list { w.resume(returning: result(symbol)) }
            }
        }
    }
}
