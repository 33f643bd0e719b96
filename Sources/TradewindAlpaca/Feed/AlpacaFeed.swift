import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindProviders

/// TradewindLive's `MarketFeed` on Alpaca's real-time stock stream (`/v2/iex` or `/v2/sip`): authenticates,
/// subscribes to the symbols' minute bars (or, with `.builtFromTrades`, to their trades only, building the minute bars
/// itself by Alpaca's rules, `MinuteBarBuilder`), and hands the runtime one step per minute, as soon as every symbol's
/// bar for it arrived (or a later bar shows it complete). Bars come out once each, in time order: a repeated bar, or
/// one for a step already given out, is dropped and logged (`StepAssembler`). After a dropped connection it
/// reconnects, subscribes again and, once the subscription is confirmed, takes the bars it missed from the historical
/// bars API (`TradewindProviders.AlpacaBarsClient`). Malformed frames and unknown message types are logged, shortened,
/// and skipped. The stream's error codes are handled as `DataStreamError` says (402, 405, 406, 408 and 409 end the
/// steps with the error). Runs until the task is cancelled or `stop()`.
public struct AlpacaFeed: MarketFeed {
    /// Where the minute bars come from.
    public enum BarSource: Sendable, Hashable {
        /// Alpaca's own minute bars (`b` messages).
        case streamedBars
        /// Trades only (`t` messages), aggregated here: a minute closes when a trade of a later minute arrives or,
        /// by the system clock, `closeDelay` after it ended (Alpaca publishes its bars about a second after the
        /// minute; later trades are late and dropped).
        case builtFromTrades(closeDelay: Duration)
    }

    public let symbols: [String]
    public let interval: BarInterval = .minute
    public let credentials: AlpacaCredentials
    public let endpoints: AlpacaEndpoints
    /// `iex` or `sip`.
    public let feed: String
    public let policy: RequestPolicy
    public let source: BarSource
    private let logger: Logger
    private let stopper = Stopper()
    /// The last warm-up step handed out (`warmupSteps(_:)`): the streamed steps continue after it.
    private let seam = Seam()

    /// The instant of the last warm-up step given out (shared by the feed's copies).
    private final class Seam: Sendable {
        let latest = Mutex<UnixNanos?>(nil)
    }

    public init(symbols: [String], credentials: AlpacaCredentials, endpoints: AlpacaEndpoints, feed: String = "iex",
                policy: RequestPolicy = AlpacaRESTClient.standardPolicy(), source: BarSource = .streamedBars,
                logger: Logger = Logger(label: "tradewind.alpaca.feed")) {
        self.symbols = Array(Set(symbols.map { $0.uppercased() })).sorted()
        self.credentials = credentials
        self.endpoints = endpoints
        self.feed = feed
        self.policy = policy
        self.source = source
        self.logger = logger
    }

    /// Ends the steps (a trading run's Ctrl+C): the runtime finishes with what it has.
    public func stop() { stopper.stop() }

    /// What the connections of one `steps()` share: the steps being assembled and the bars being built.
    private final class AssemblyState: Sendable {
        let assembler: Mutex<StepAssembler>
        let builder = Mutex(MinuteBarBuilder())
        init(symbols: [String], after: UnixNanos?) { assembler = Mutex(StepAssembler(symbols: symbols, after: after)) }
    }

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
            // After a warm-up's history the steps continue from its last one: the first subscription's backfill (the
            // reconnect path) takes the bars completed since from REST, so there is no gap and no repeat at the seam.
            let state = AssemblyState(symbols: feed.symbols, after: feed.seam.latest.withLock { $0 })
            let index = Dictionary(uniqueKeysWithValues: feed.symbols.enumerated().map { ($1, $0) })
            // Bars (streamed, built or backfilled) into steps, once each and in order.
            let deliver: @Sendable ([(String, StreamedBarAt)], Bool) -> Void = { bars, flushAll in
                let steps = state.assembler.withLock { a in
                    var out: [FeedStep] = []
                    // Within a batch, bars go in time order (a frame sent out of order is put right).
                    for (symbol, bar) in bars.enumerated().sorted(by: { ($0.element.1.time, $0.offset) < ($1.element.1.time, $1.offset) }).map(\.element) {
                        if !a.add(symbol, bar) {
                            feed.logger.notice("dropped a bar already given out (repeated or late)",
                                               metadata: ["symbol": "\(symbol)", "time": "\(AlpacaJSON.time(bar.time))"])
                        }
                        out += a.completeSteps(flushBefore: bar.time)
                    }
                    if flushAll { out += a.completeSteps(flushBefore: .max) }
                    return out
                }
                for step in steps { continuation.yield([step][...]) }
            }
            let built: @Sendable ([MinuteBarBuilder.Built]) -> Void = { bars in
                deliver(bars.compactMap { b in
                    index[b.symbol].map { (b.symbol, StreamedBarAt(time: b.start, bar: StreamedBar(
                        symbol: $0, open: b.bar.o, high: b.bar.h, low: b.bar.l, close: b.bar.c, volume: b.bar.v))) }
                }, false)
            }
            // Built bars also close by the clock, when no later trade comes.
            var closing: Task<Void, Never>?
            if case .builtFromTrades(let delay) = feed.source {
                closing = Task { @Sendable in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(200))
                        let now = UnixNanos(Date().timeIntervalSince1970 * 1e9) - UnixNanos(delay.components.seconds) * UnixTime.nanosPerSecond
                            - UnixNanos(delay.components.attoseconds / 1_000_000_000)
                        built(state.builder.withLock { $0.close(through: now) })
                    }
                }
            }
            let closer = closing
            let task = Task { @Sendable in
                var failures = 0
                while !Task.isCancelled {
                    do {
                        // Back after a drop: once subscribed again, the bars missed meanwhile come from REST (bars
                        // streamed meanwhile wait in the socket; the assembler drops what it already gave out).
                        let backfill: @Sendable () async throws -> Void = {
                            guard let after = state.assembler.withLock({ $0.latest }) else { return }
                            let missed = try await feed.missedBars(after: after)
                            if let last = missed.map(\.1.time).max() {
                                // Trades of the backfilled minutes are superseded by Alpaca's bars.
                                _ = state.builder.withLock { $0.close(through: last + UnixTime.nanosPerMinute) }
                            }
                            deliver(missed.sorted { $0.1.time < $1.1.time }, true)
                        }
                        try await feed.listen(onSubscribed: backfill, onBars: { deliver($0, false) }) { trades in
                            let closed = state.builder.withLock { b in
                                var out: [MinuteBarBuilder.Built] = []
                                for (symbol, trade, instant) in trades {
                                    let (bars, accepted) = b.add(symbol, trade, at: instant)
                                    out += bars
                                    if !accepted {
                                        feed.logger.notice("dropped a late trade: its minute's bar was already given out",
                                                           metadata: ["symbol": "\(symbol)", "time": "\(trade.t)"])
                                    }
                                }
                                return out
                            }
                            built(closed)
                        }
                        failures = 0
                    } catch let error as DataStreamError where error.handling == .stop {
                        feed.logger.error("\(error)")
                        continuation.finish(throwing: error)
                        return
                    } catch let error as AlpacaError where error.status == 401 || error.status == 403 {
                        continuation.finish(throwing: error)
                        return
                    } catch {
                        if Task.isCancelled { break }
                        feed.logger.warning("data stream connection ended; reconnecting", metadata: ["reason": "\(error)"])
                        failures += 1
                    }
                    try? await Task.sleep(for: .seconds(min(0.05 * pow(2, Double(min(failures, 7))), 5)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                closer?.cancel()
            }
        }
    }

    /// One connection: auth, subscribe (then `onSubscribed`), then every bar to `onBars`, and each frame's trades (in
    /// `.builtFromTrades`) to `onTrades`, until the connection ends.
    private func listen(onSubscribed: @escaping @Sendable () async throws -> Void,
                        onBars: @escaping @Sendable ([(String, StreamedBarAt)]) -> Void,
                        onTrades: @escaping @Sendable ([(String, AlpacaTrade, UnixNanos)]) -> Void) async throws {
        var quiet = Logger(label: "tradewind.alpaca.feed.socket")
        quiet.logLevel = .critical
        let path = "/v2/" + feed
        let url = endpoints.stream + path
        let symbols = symbols, credentials = credentials, logger = logger
        let fromTrades = source != .streamedBars
        let index = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        try await WebSocketClient.connect(url: url, logger: quiet) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 22) {
                let data = message.payload
                guard let batch = try? JSONDecoder().decode([AlpacaDataMessage].self, from: data) else {
                    logger.warning("skipped a malformed data-stream frame", metadata: ["frame": "\(Self.shortened(data))"])
                    continue
                }
                var bars: [(String, StreamedBarAt)] = [], trades: [(String, AlpacaTrade, UnixNanos)] = []
                for m in batch {
                    switch m.T {
                    case "success" where m.msg == "connected":
                        let auth = AlpacaDataAction(action: "auth", key: credentials.keyID, secret: credentials.secretKey)
                        try await outbound.write(.text(String(decoding: try JSONEncoder().encode(auth), as: UTF8.self)))
                    case "success" where m.msg == "authenticated":
                        let sub = fromTrades ? AlpacaDataAction(action: "subscribe", trades: symbols) : AlpacaDataAction(action: "subscribe", bars: symbols)
                        try await outbound.write(.text(String(decoding: try JSONEncoder().encode(sub), as: UTF8.self)))
                    case "success":
                        continue
                    case "subscription":
                        try await onSubscribed()
                    case "error":
                        let error = DataStreamError(code: m.code ?? 0, message: m.msg ?? "", path: path)
                        guard error.handling == .ignore else { throw error }
                        logger.warning("\(error)")
                    case "b" where !fromTrades:
                        guard let symbol = m.S, let s = index[symbol], let bar = m.asBar, let t = AlpacaJSON.instant(bar.t) else {
                            logger.warning("skipped a bar it cannot read", metadata: ["message": "\(Self.shortened(m))"])
                            continue
                        }
                        bars.append((symbol, StreamedBarAt(time: t, bar: StreamedBar(symbol: s, open: bar.o, high: bar.h, low: bar.l,
                                                                                     close: bar.c, volume: bar.v))))
                    case "t" where fromTrades:
                        guard let symbol = m.S, index[symbol] != nil, let trade = m.asTrade, let t = AlpacaJSON.instant(trade.t) else {
                            logger.warning("skipped a trade it cannot read", metadata: ["message": "\(Self.shortened(m))"])
                            continue
                        }
                        trades.append((symbol, trade, t))
                    case "b", "t", "q", "u", "d", "s", "l", "c", "x":
                        continue // documented types this feed did not subscribe to (or does not use)
                    default:
                        logger.notice("skipped a data-stream message of unknown type", metadata: ["message": "\(Self.shortened(m))"])
                    }
                }
                if !bars.isEmpty { onBars(bars) }
                if !trades.isEmpty { onTrades(trades) }
            }
        }
    }

    /// A frame for a log line: at most 200 characters (the data stream's frames carry no keys).
    static func shortened(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return data.count > 200 ? text + "… (\(data.count) bytes)" : text
    }

    static func shortened(_ message: AlpacaDataMessage) -> String {
        shortened((try? JSONEncoder().encode(message)) ?? Data())
    }

    /// The warm-up's history from the historical bars API: the last `count` steps (`Warmup.lastSteps`) of the minute
    /// bars that started before the current minute by the venue's clock (`/v2/clock`: a replaying exchange's is its
    /// replay clock; the system clock when it cannot be read), fetched over a window that grows (×4, from `count`
    /// minutes to at most 40 years) until every symbol has `count` bars in it. `steps()` continues after the last.
    public func warmupSteps(_ count: Int) async throws -> [FeedStep] {
        guard count > 0 else { return [] }
        let client = AlpacaBarsClient(credentials: credentials, endpoints: endpoints, feed: feed, policy: policy)
        let minute = UnixTime.nanosPerMinute
        let venueNow = try? await AlpacaRESTClient(credentials: credentials, endpoints: endpoints, policy: policy).clock().timestamp
        let now = venueNow.flatMap(AlpacaJSON.instant) ?? UnixNanos(Date().timeIntervalSince1970 * 1e9)
        let end = now / minute * minute
        let longest = 40 * 366 * UnixTime.nanosPerDay
        var span = UnixNanos(count) * minute
        var fetched: [String: BarSeries] = [:]
        while true {
            fetched = try await client.bars(symbols: symbols, interval: .minute, from: end - span, to: end)
            if span >= longest || symbols.allSatisfy({ (fetched[$0]?.count ?? 0) >= count }) { break }
            span = min(span * 4, longest)
        }
        let series = symbols.map { fetched[$0] ?? BarSeries(symbol: $0, interval: .minute) }
        guard let first = Warmup.lastSteps(count, of: series, before: end).first else { return [] }
        let steps = FeedStep.steps(of: series.map { $0.between(first, end) })
        seam.latest.withLock { $0 = steps.last?.time }
        return steps
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
