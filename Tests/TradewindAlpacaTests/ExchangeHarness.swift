import Foundation
import Hummingbird
import Logging
import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindProviders

/// A `tradewind exchange` on a loopback port for one test, over a small deterministic minute recording.
struct ExchangeHarness {
    static let keys = ExchangeKeys(keyID: "PKTEST", secretKey: "test-secret")
    static let credentials = AlpacaCredentials(keyID: keys.keyID, secretKey: keys.secretKey)
    /// Fast retries and no rate limit, so fault tests take milliseconds; a generous timeout, for a loaded machine
    /// running the whole suite at once.
    static let quick = RequestPolicy(limiter: nil, retry: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
                                     timeout: .seconds(60))

    /// `days` NYSE sessions of minute bars (09:30–16:00 New York) from 2019-02-14 (so Presidents' Day, 2019-02-18,
    /// is skipped), for `symbols`, with a deterministic wave so moving-average strategies trade.
    static func recording(symbols: [String] = ["AAA", "BBB"], days: Int = 2,
                          from: CivilDate = CivilDate(year: 2019, month: 2, day: 14)!) -> MarketDataset {
        let sessions = try! NYSECalendar.shared.sessions(from: from,
                                                         to: CivilDate(year: 2019, month: 3, day: 29)!).prefix(days)
        var out: [BarSeries] = []
        for (k, symbol) in symbols.enumerated() {
            var t: [UnixNanos] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
            var i = 0
            for s in sessions {
                var time = s.open
                while time < s.close {
                    let x = Double(i) + Double(k) * 7
                    let open = 100 + Double(k) * 50 + 3 * sin(x / 25) + 0.01 * x
                    let close = open + 0.4 * sin(x / 3)
                    t.append(time); o.append(open); c.append(close)
                    h.append(max(open, close) + 0.2); l.append(min(open, close) - 0.2); v.append(1000 + Double(i % 17))
                    time += UnixTime.nanosPerMinute
                    i += 1
                }
            }
            out.append(BarSeries(symbol: symbol, interval: .minute, time: t, open: o, high: h, low: l, close: c, volume: v))
        }
        return MarketDataset(out)
    }

    let market: ExchangeMarket
    let port: Int
    private let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)" }

    func client(_ credentials: AlpacaCredentials = Self.credentials) -> AlpacaRESTClient {
        AlpacaRESTClient(credentials: credentials, endpoints: AlpacaEndpoints(oneServer: base), policy: Self.quick)
    }

    /// Runs `body` with an exchange serving `market` (the clock advanced by the test).
    static func with<T>(_ market: ExchangeMarket, _ body: (ExchangeHarness) async throws -> T) async throws -> T {
        let server = ExchangeServer(market: market, keys: keys, port: 0, pace: .manual)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await server.application(logger: quiet) { port in continuation.yield(port) }.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let harness = ExchangeHarness(market: market, port: port, task: task)
        defer { task.cancel() }
        return try await body(harness)
    }

    static func market(_ data: MarketDataset = recording(), cash: Double = 100_000) throws -> ExchangeMarket {
        var config = BacktestConfig(initialCash: cash)
        config.session = .nyse
        return try ExchangeMarket(data: data, config: config)
    }
}

/// A logger for servers that tests stop by cancelling (their shutdown is not an error worth printing).
let quiet: Logger = {
    var l = Logger(label: "test")
    l.logLevel = .critical
    return l
}()

/// Polls `condition` every millisecond for at most `seconds`; true when it held.
func eventually(_ seconds: Double = 60, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return await condition()
}
