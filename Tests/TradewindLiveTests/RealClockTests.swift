import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// A live feed's run follows the real clock between bars: scheduled events run when their time comes and a session
/// closes when the clock passes its close, though no bar arrives (the clock is injected here; the ticks are real).
@Suite struct RealClockTests {
    /// Recorded steps delivered at once, then silence for `linger` (a quiet live feed), then the end.
    struct QuietLiveFeed: MarketFeed {
        let symbols: [String]
        let interval: BarInterval
        let script: [FeedStep]
        let linger: Duration
        let live: Bool
        var isRealTime: Bool { live }
        func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
            let script = script, linger = linger
            return AsyncThrowingStream { c in
                let task = Task {
                    c.yield(script[...])
                    try? await Task.sleep(for: linger)
                    c.finish()
                }
                c.onTermination = { _ in task.cancel() }
            }
        }
    }

    final class Alerts: TradingNotifier, @unchecked Sendable {
        let lines = LockedLines()
        func send(_ alert: TradingAlert) { lines.append("\(alert.kind) \(alert)") }
    }

    struct Setup {
        let descriptor: StrategyDescriptor
        let parameters: StrategyParameters
        let config: BacktestConfig
        let timeline: [FeedStep]
        let symbols: [String]
        let days: [CivilDate]
    }

    static func momentum() throws -> Setup {
        let data = ReplayParityTests.minute
        let d = try StrategyCatalog.builtIn.named("momentum")
        let p = try d.parameters([:])
        let config = try d.prepare(BacktestConfig(session: .nyse), parameters: p, data: data).config
        let feed = try ReplaySession(data: data, config: config).feed()
        let zone = config.session.zone
        var days: [CivilDate] = []
        for step in feed.timeline where days.last != zone.localDate(of: step.time) { days.append(zone.localDate(of: step.time)) }
        return Setup(descriptor: d, parameters: p, config: config, timeline: feed.timeline, symbols: feed.symbols, days: days)
    }

    /// The first session in full, then the second up to (not including) `hour:minute` local.
    static func steps(_ s: Setup, before hour: Int, _ minute: Int) -> [FeedStep] {
        let zone = s.config.session.zone
        let cut = zone.instant(s.days[1], hour: hour, minute: minute)
        return s.timeline.filter { $0.time < cut }
    }

    func run(_ s: Setup, _ script: [FeedStep], clock: UnixNanos, live: Bool = true)
        async throws -> (RuntimeStatus, [String], TradingRuntime) {
        let broker = try PaperBroker(symbols: s.symbols, interval: .minute, config: s.config)
        let alerts = Alerts()
        let runtime = try TradingRuntime(symbols: s.symbols, interval: .minute, config: s.config, broker: broker,
                                         notifier: alerts) { setup in try s.descriptor.stream(s.parameters, setup) }
        runtime.wallClock = { clock }
        runtime.clockTick = .milliseconds(10)
        let feed = QuietLiveFeed(symbols: s.symbols, interval: .minute, script: script, linger: .milliseconds(300), live: live)
        _ = try await runtime.trade(feed)
        return (runtime.currentStatus(), alerts.lines.lines, runtime)
    }

    @Test func aScheduledEventRunsWhenTheClockReachesItThoughNoBarCame() async throws {
        let s = try Self.momentum()
        let script = Self.steps(s, before: 9, 59)  // the second session's bars up to 09:58; momentum buys from 10:00
        let zone = s.config.session.zone
        let (before, _, _) = try await run(s, script, clock: zone.instant(s.days[1], hour: 9, minute: 59, second: 30))
        #expect(before.ordersSent == 0, "no order before buy_time")
        let (after, _, runtime) = try await run(s, script, clock: zone.instant(s.days[1], hour: 10, minute: 0, second: 5))
        #expect(after.ordersSent > 0, "the 10:00 event placed its stop-buys on the clock, with no 10:00 bar")
        let tenAM = zone.instant(s.days[1], hour: 10, minute: 0)
        #expect(runtime.context.openOrders.allSatisfy { $0.submittedAt == tenAM })
        #expect(!runtime.context.openOrders.isEmpty)
    }

    @Test func theSessionClosesOnTheClockWhenItsLastBarNeverComes() async throws {
        let s = try Self.momentum()
        let script = Self.steps(s, before: 10, 30)  // the second session stops at 10:29, with the entry orders working
        let zone = s.config.session.zone
        let late = zone.instant(s.days[1], hour: 16, minute: 5)
        let (replayed, replayAlerts, _) = try await run(s, script, clock: late, live: false)
        #expect(!replayAlerts.contains { $0.contains("session_summary") && $0.contains("\(s.days[1])") },
                "a replay has no clock: the session stays open")
        #expect(replayed.openOrders > 0 || replayed.fills > 0)
        let (live, liveAlerts, _) = try await run(s, script, clock: late)
        #expect(liveAlerts.contains { $0.contains("session_summary") && $0.contains("\(s.days[1])") }, "\(liveAlerts)")
        #expect(live.openOrders == 0, "day orders expire at the close")
    }
}
