import Foundation
import Hummingbird
import Logging
import Synchronization
import TradewindAlpaca
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindExchange
import TradewindProviders

/// `tradewind bench alpaca`: the adapters against `tradewind exchange` on loopback. Order round trip (submit →
/// the `new` event on `trade_updates`), and historical bars download throughput of TradewindProviders'
/// `AlpacaBarsClient` against alpaca-py's `StockHistoricalDataClient` on the same exchange, in the same run.
public enum AlpacaBenchmark {
    public struct Configuration: Sendable {
        public var symbols = 372
        public var from = CivilDate(year: 2023, month: 1, day: 3)!
        public var to = CivilDate(year: 2023, month: 12, day: 29)!
        public var orders = 500
        /// Symbol batches the Tradewind client pages concurrently.
        public var concurrentBatches = 4
        public var peer = true
        /// alpaca-py downloads only the first this many symbols (each over the whole period), for time: at about
        /// 12,000 bars/s it would need most of an hour for 372 symbols × a year. nil: every symbol. The ratio compares
        /// throughput (bars/s), which does not depend on how many symbols are asked for.
        public var peerSymbols: Int?
        public init() {}
    }

    public struct Report: Sendable {
        public var bars = 0
        public var tradewindSeconds = 0.0
        public var peerSeconds: Double?
        public var peerBars = 0
        public var peerNote: String?
        /// Symbols per alpaca-py call (its whole answer is held as models, so large downloads go in batches).
        public var peerBatch = 0
        public var roundTrips: [Double] = []
        /// Milliseconds from a bar's publication on the data stream to the exchange's answer to the order
        /// submitted on it (through `AlpacaFeed` and `AlpacaRESTClient`).
        public var barToOrder: [Double] = []
    }

    static let keys = ExchangeKeys(keyID: "PKBENCH", secretKey: "bench-secret")

    /// Serves `market` on a loopback port while `body` runs with its base URL.
    static func serving<T>(_ market: ExchangeMarket, _ body: (String) async throws -> T) async throws -> T {
        let server = ExchangeServer(market: market, keys: keys, port: 0, pace: .manual)
        var logger = Logger(label: "bench.exchange")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.application(logger: logger) { continuation.yield($0) }.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        return try await body("http://127.0.0.1:\(port)")
    }

    /// Bar-to-order latency: one symbol replayed from its first bar; for each of `count` steps, the time from the
    /// exchange publishing the bar (the clock advanced) to the answer to a limit order `AlpacaFeed`'s step triggered.
    static func barToOrder(_ c: Configuration, count: Int, config: BacktestConfig) async throws -> [Double] {
        let data = try SyntheticMarket(seed: 7).generate(symbols: 1, from: c.from, to: c.to, interval: .minute)
        let market = try ExchangeMarket(data: data, config: config)
        return try await serving(market) { base in
            let credentials = AlpacaCredentials(keyID: keys.keyID, secretKey: keys.secretKey)
            let endpoints = AlpacaEndpoints(oneServer: base)
            let policy = RequestPolicy(limiter: nil, retry: .standard, timeout: .seconds(120))
            let rest = AlpacaRESTClient(credentials: credentials, endpoints: endpoints, policy: policy)
            let feed = AlpacaFeed(symbols: data.symbols, credentials: credentials, endpoints: endpoints, feed: "iex", policy: policy)
            let clock = ContinuousClock()
            let published = Mutex<[UnixNanos: ContinuousClock.Instant]>([:])
            let latencies = Mutex<[Double]>([])
            let seen = Atomic<Int>(0)
            let symbol = data.symbols[0]
            let reader = Task {
                var n = 0
                for try await batch in feed.steps() {
                    for step in batch {
                        n += 1
                        if let t0 = published.withLock({ $0[step.time] }) {
                            _ = try await rest.submit(AlpacaOrderRequest(symbol: symbol, qty: "1", side: "buy", type: "limit",
                                                                         timeInForce: "gtc", limitPrice: "0.01", clientOrderId: "bar-\(n)"))
                            let ms = Double((clock.now - t0) / .nanoseconds(1)) / 1e6
                            latencies.withLock { $0.append(ms) }
                        }
                        seen.add(1, ordering: .releasing)
                    }
                }
            }
            defer { feed.stop(); reader.cancel() }
            // Until the subscription is live (bounded: a minute).
            let deadline = clock.now + .seconds(60)
            while seen.load(ordering: .acquiring) == 0, clock.now < deadline, !market.finished {
                market.advance(1)
                try await Task.sleep(for: .milliseconds(5))
            }
            // A step is handed out when a later bar shows it complete or all its symbols arrived (one symbol: at once).
            for _ in 0..<count where !market.finished {
                let before = latencies.withLock { $0.count }
                let time = market.replay.timeline[market.stepsPlayed].time
                published.withLock { $0[time] = clock.now }
                market.advance(1)
                let limit = clock.now + .seconds(10)
                while latencies.withLock({ $0.count }) == before, clock.now < limit { await Task.yield() }
            }
            return latencies.withLock { $0 }
        }
    }

    public static func run(_ c: Configuration) async throws -> Report {
        let data = try SyntheticMarket(seed: 7).generate(symbols: c.symbols, from: c.from, to: c.to, interval: .minute)
        // The whole recording is history: the replay starts at its last bar.
        let last = data.series.map { $0.time.last ?? 0 }.max() ?? 0
        var config = BacktestConfig(initialCash: 1e12)
        config.session = .nyse
        let market = try ExchangeMarket(data: data, from: last, config: config)
        market.advance(1)
        var report = try await serving(market) { base in try await downloadAndRoundTrips(c, data: data, market: market, base: base) }
        report.barToOrder = try await barToOrder(c, count: c.orders, config: config)
        return report
    }

    static func downloadAndRoundTrips(_ c: Configuration, data: MarketDataset, market: ExchangeMarket, base: String) async throws -> Report {
        let last = data.series.map { $0.time.last ?? 0 }.max() ?? 0
        let credentials = AlpacaCredentials(keyID: keys.keyID, secretKey: keys.secretKey)
        let endpoints = AlpacaEndpoints(oneServer: base)
        let policy = RequestPolicy(limiter: nil, retry: .standard, timeout: .seconds(120))
        var report = Report()
        let symbols = data.symbols
        let start = data.series.map { $0.time.first ?? 0 }.min() ?? 0

        // Bars: every symbol, the whole period, 10,000 bars a page.
        let client = AlpacaBarsClient(credentials: credentials, endpoints: endpoints, pageLimit: 10_000,
                                      concurrentBatches: c.concurrentBatches, policy: policy)
        let clock = ContinuousClock()
        let t0 = clock.now
        // Streamed: each symbol's series is counted and dropped once complete (a year of 372 symbols' minutes would
        // not fit in memory gathered).
        let received = Mutex(0)
        try await client.bars(symbols: symbols, interval: .minute, from: start, to: last + 1) { _, series in
            received.withLock { $0 += series.count }
        }
        report.tradewindSeconds = Double((clock.now - t0) / .milliseconds(1)) / 1000
        report.bars = received.withLock { $0 }
        if c.peer {
            // About a million bars per alpaca-py call.
            let perSymbol = max(1, data.series.map(\.count).max() ?? 1)
            let peerList = Array(symbols.prefix(c.peerSymbols ?? symbols.count))
            report.peerBatch = max(1, min(peerList.count, 1_000_000 / perSymbol))
            switch runPython(script: "Scripts/bench_alpaca_py.py",
                             arguments: [base, keys.keyID, keys.secretKey, RFC3339.format(start), RFC3339.format(last + 1),
                                         String(report.peerBatch)] + peerList) {
            case .success(let lines):
                let parts = (lines.last ?? "").split(separator: " ")
                if parts.count == 2, let n = Int(parts[0]), let s = Double(parts[1]) {
                    report.peerBars = n
                    report.peerSeconds = s
                } else {
                    report.peerNote = "alpaca-py printed \(lines.last ?? "nothing")"
                }
            case .failure(let why): report.peerNote = "\(why)"
            }
        }

        // Order round trip: a limit order far from the market (it stays open), until its `new` event arrives.
        let seen = Mutex<Set<String>>([])
        let stream = TradeUpdatesStream(url: endpoints.tradeUpdates, credentials: credentials) { u in
            if u.event == "new" { seen.withLock { _ = $0.insert(u.order.id) } }
        }
        try await stream.start()
        defer { stream.stop() }
        let rest = AlpacaRESTClient(credentials: credentials, endpoints: endpoints, policy: policy)
        for i in 0..<c.orders {
            let t = clock.now
            let o = try await rest.submit(AlpacaOrderRequest(symbol: symbols[i % symbols.count], qty: "1", side: "buy", type: "limit",
                                                             timeInForce: "gtc", limitPrice: "0.01", clientOrderId: "bench-\(i)"))
            while !seen.withLock({ $0.contains(o.id) }) { await Task.yield() }
            report.roundTrips.append(Double((clock.now - t) / .nanoseconds(1)) / 1e6)
        }
        return report
    }

    /// The report as text.
    public static func text(_ r: Report, _ c: Configuration) -> String {
        var lines = ["tradewind bench alpaca: \(c.symbols) synthetic symbols, 1-minute bars \(c.from) … \(c.to), served by tradewind exchange on loopback"]
        let tw = Double(r.bars) / max(r.tradewindSeconds, 1e-9)
        lines.append(String(format: "bars download: Tradewind (AlpacaBarsClient, %d concurrent symbol batches) %d bars in %.2f s = %.0f bars/s",
                            c.concurrentBatches, r.bars, r.tradewindSeconds, tw))
        if let s = r.peerSeconds {
            let py = Double(r.peerBars) / max(s, 1e-9)
            lines.append(String(format: "bars download: alpaca-py (StockHistoricalDataClient, %d symbols a call) %d bars in %.2f s = %.0f bars/s; Tradewind %.1f× alpaca-py",
                                r.peerBatch, r.peerBars, s, py, tw / max(py, 1e-9)))
        } else {
            lines.append("bars download: alpaca-py not measured: \(r.peerNote ?? "--no-peers")")
        }
        lines.append(String(format: "order round trip (submit → trade_updates new), %d orders: p50 %.3f ms, p99 %.3f ms",
                            r.roundTrips.count, quantile(r.roundTrips, 0.5), quantile(r.roundTrips, 0.99)))
        lines.append(String(format: "bar to order (bar published on the data stream → AlpacaFeed step → order accepted), %d bars: p50 %.3f ms, p99 %.3f ms",
                            r.barToOrder.count, quantile(r.barToOrder, 0.5), quantile(r.barToOrder, 0.99)))
        return lines.joined(separator: "\n")
    }
}
