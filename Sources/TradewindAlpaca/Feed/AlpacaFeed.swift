import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindProviders

/// TradewindLive's `MarketFeed` on Alpaca's real-time stock stream (`/v2/iex` or `/v2/sip`): authenticates,
/// subscribes to the symbols' minute bars, and hands the runtime one step per minute, as soon as every symbol's bar
/// for it arrived (or a later bar shows it complete). After a dropped connection it reconnects, subscribes again and,
/// once the subscription is confirmed, takes the bars it missed from the historical bars API (`TradewindProviders.AlpacaBarsClient`). Runs until the
/// task is cancelled; refused keys (402) end it with the error.
public struct AlpacaFeed: MarketFeed {
    public let symbols: [String]
    public let interval: BarInterval = .minute
    public let credentials: AlpacaCredentials
    public let endpoints: AlpacaEndpoints
    /// `iex` or `sip`.
    public let feed: String
    public let policy: RequestPolicy
    private let stopper = Stopper()

    public init(symbols: [String], credentials: AlpacaCredentials, endpoints: AlpacaEndpoints, feed: String = "iex",
                policy: RequestPolicy = AlpacaRESTClient.standardPolicy()) {
        self.symbols = Array(Set(symbols.map { $0.uppercased() })).sorted()
        self.credentials = credentials
        self.endpoints = endpoints
        self.feed = feed
        self.policy = policy
    }

    /// Ends the steps (a trading run's Ctrl+C): the runtime finishes with what it has.
    public func stop() { stopper.stop() }

    private final class Stopper: Sendable {
        private let ends = Mutex<(stopped: Bool, ends: [@Sendable () -> Void])>((false, []))
        func add(_ end: @escaping @Sendable () -> Void) {
            let now = ends.withLock { s in
                if !s.stopped { s.ends.append(end) }
                return s.stopped
            }
            if now { end() }
        }
        func stop() {
            for end in ends.withLock({ s in s.stopped = true; return s.ends }) { end() }
        }
    }

    public func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
        let feed = self
        return AsyncThrowingStream { continuation in
            stopper.add { continuation.finish() }
            let task = Task {
                let assembler = Mutex(StepAssembler(symbols: feed.symbols))
                var failures = 0
                while !Task.isCancelled {
                    do {
                        // Back after a drop: once subscribed again, the bars missed meanwhile come from REST (bars
                        // streamed meanwhile wait in the socket; the assembler drops what it already gave out).
                        let backfill: @Sendable () async throws -> Void = {
                            guard let after = assembler.withLock({ $0.latest }) else { return }
                            let missed = try await feed.missedBars(after: after)
                            let steps = assembler.withLock { a in
                                for (symbol, bar) in missed { a.add(symbol, bar) }
                                return a.completeSteps(flushBefore: .max)
                            }
                            for step in steps { continuation.yield([step][...]) }
                        }
                        try await feed.listen(onSubscribed: backfill) { symbol, bar in
                            let steps = assembler.withLock { a in
                                a.add(symbol, bar)
                                return a.completeSteps(flushBefore: bar.time)
                            }
                            for step in steps { continuation.yield([step][...]) }
                        }
                        failures = 0
                    } catch let error as AlpacaError where error.status == 402 {
                        continuation.finish(throwing: error)
                        return
                    } catch {
                        failures += 1
                    }
                    try? await Task.sleep(for: .seconds(min(0.05 * pow(2, Double(min(failures, 7))), 5)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One connection: auth, subscribe (then `onSubscribed`), then every bar to `onBar` until the connection ends.
    private func listen(onSubscribed: @escaping @Sendable () async throws -> Void,
                        _ onBar: @escaping @Sendable (String, StreamedBarAt) -> Void) async throws {
        var logger = Logger(label: "tradewind.alpaca.feed")
        logger.logLevel = .critical
        let url = endpoints.stream + "/v2/" + feed
        let symbols = symbols, credentials = credentials
        let index = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 22) {
                let data = message.payload
                // Malformed frames are skipped; the stream goes on.
                guard let batch = try? JSONDecoder().decode([AlpacaDataMessage].self, from: data) else { continue }
                for m in batch {
                    switch m.T {
                    case "success" where m.msg == "connected":
                        let auth = AlpacaDataAction(action: "auth", key: credentials.keyID, secret: credentials.secretKey)
                        try await outbound.write(.text(String(decoding: try JSONEncoder().encode(auth), as: UTF8.self)))
                    case "success" where m.msg == "authenticated":
                        let sub = AlpacaDataAction(action: "subscribe", bars: symbols)
                        try await outbound.write(.text(String(decoding: try JSONEncoder().encode(sub), as: UTF8.self)))
                    case "subscription":
                        try await onSubscribed()
                    case "error" where m.code == 402 || m.code == 401:
                        throw AlpacaError.http(status: 402, code: m.code, message: m.msg ?? "auth failed", path: "/v2/\(feed)")
                    case "b":
                        guard let symbol = m.S, let s = index[symbol], let bar = m.asBar, let t = AlpacaJSON.instant(bar.t) else { continue }
                        onBar(symbol, StreamedBarAt(time: t, bar: StreamedBar(symbol: s, open: bar.o, high: bar.h, low: bar.l,
                                                                               close: bar.c, volume: bar.v)))
                    default: continue
                    }
                }
            }
        }
    }

    private func missedBars(after: UnixNanos) async throws -> [(String, StreamedBarAt)] {
        let client = AlpacaBarsClient(credentials: credentials, endpoints: endpoints, feed: feed, policy: policy)
        let now = UnixNanos(Date().timeIntervalSince1970 * 1e9)
        let index = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        let series = try await client.bars(symbols: symbols, interval: .minute, from: after + 1, to: max(now, after + 2))
        var out: [(String, StreamedBarAt)] = []
        for (symbol, s) in series {
            guard let k = index[symbol] else { continue }
            for i in 0..<s.count {
                out.append((symbol, StreamedBarAt(time: s.time[i], bar: StreamedBar(symbol: k, open: s.open[i], high: s.high[i],
                                                                                     low: s.low[i], close: s.close[i], volume: s.volume[i]))))
            }
        }
        return out
    }
}

/// A bar with its start time.
struct StreamedBarAt: Sendable {
    let time: UnixNanos
    let bar: StreamedBar
}

/// Groups bars arriving one by one into time steps: a step is complete when every symbol's bar for it arrived, or
/// when a bar of a later time shows the others are not coming. Steps come out in time order, once; a bar for a step
/// already given out (a late or repeated message) is dropped.
struct StepAssembler {
    let symbols: [String]
    private var pending: [UnixNanos: [Int: StreamedBar]] = [:]
    private(set) var latest: UnixNanos?

    init(symbols: [String]) { self.symbols = symbols }

    mutating func add(_ symbol: String, _ b: StreamedBarAt) {
        if let latest, b.time <= latest { return }
        pending[b.time, default: [:]][b.bar.symbol] = b.bar
    }

    /// The steps now complete: full ones, and every one older than `flushBefore`.
    mutating func completeSteps(flushBefore: UnixNanos) -> [FeedStep] {
        var out: [FeedStep] = []
        for t in pending.keys.sorted() {
            guard let bars = pending[t] else { continue }
            guard bars.count == symbols.count || t < flushBefore else { break }
            pending[t] = nil
            let sorted = bars.keys.sorted().map { bars[$0]! }
            out.append(FeedStep(time: t, bars: sorted[...]))
            latest = t
        }
        return out
    }
}
