import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// Alerts reach a real HTTP receiver on loopback; a failing webhook is retried, then given up on, and never stops
/// the run.
@Suite(.serialized) struct WebhookNotifierTests {
    @Test func discordPayloadsOfFillsAndSessionSummariesReachTheReceiver() async throws {
        let receiver = try LocalHTTPReceiver()
        defer { receiver.stop() }
        let notifier = WebhookNotifier(url: receiver.url, format: .discord)
        let data = MarketDataset([try DataSource(parsing: "sample:spy-daily").load().series[0].slice(0..<60)])
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let runner = NotifyingRunner(data: data, notifier: notifier)
        let result = try await runner.run(try SMACross(parameters: d.parameters(["fast": "5", "slow": "20"])))
        await notifier.flush()
        let bodies = receiver.received
        let fills = bodies.filter { $0.contains("Fill: ") }
        #expect(fills.count == result.fills.count)
        #expect(bodies.filter { $0.contains("Session ") }.count == 60, "a daily bar is a session: one summary each")
        #expect(bodies.allSatisfy { $0.hasPrefix("{\"content\":") })
        #expect(notifier.counts.delivered == bodies.count)
    }

    @Test func aFailingWebhookIsRetriedThenGivenUpOnWithoutTheSecretInTheLog() async throws {
        let receiver = try LocalHTTPReceiver(statuses: [500, 503, 500, 502, 500, 500])
        defer { receiver.stop() }
        let logged = LockedLines()
        let notifier = WebhookNotifier(url: receiver.url, format: .json, attempts: 3, log: { logged.append($0) })
        notifier.send(.halt(reason: "max drawdown", time: 0))
        notifier.send(.error("feed lost"))
        await notifier.flush()
        #expect(receiver.received.count == 6, "3 attempts each")
        #expect(notifier.counts.failed == 2)
        #expect(logged.lines.count == 2)
        #expect(logged.lines.allSatisfy { !$0.contains("secret-token") && $0.contains("HTTP status 50") })
        #expect(receiver.received[0].contains("\"type\":\"halt\""))
    }

    @Test func anUnreachableWebhookDoesNotStopTrading() async throws {
        let receiver = try LocalHTTPReceiver()
        let url = receiver.url
        receiver.stop()  // nothing listens there any more
        let notifier = WebhookNotifier(url: url, attempts: 1, timeout: 1, log: { _ in })
        let data = MarketDataset([try DataSource(parsing: "sample:spy-daily").load().series[0].slice(0..<40)])
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters(["fast": "5", "slow": "20"])
        let result = try await NotifyingRunner(data: data, notifier: notifier).run(try SMACross(parameters: p))
        let backtest = try d.run(p, data, BacktestConfig())
        ReplayParityTests.expectSame(result, backtest, "unreachable webhook")
        await notifier.flush()
        #expect(notifier.counts.failed > 0)
    }

    struct NotifyingRunner {
        let data: MarketDataset
        let notifier: WebhookNotifier
        func run<S: Strategy>(_ strategy: S) async throws -> BacktestResult {
            let feed = try ReplayFeed(data)
            let broker = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: BacktestConfig())
            let runtime = try TradingRuntime(strategy: strategy, symbols: feed.symbols, interval: feed.interval,
                                             config: BacktestConfig(), broker: broker, notifier: notifier)
            return try await runtime.trade(feed)
        }
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ s: String) { lock.lock(); stored.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
