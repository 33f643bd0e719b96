import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindIndicators
import TradewindLive
import TradewindStrategies

/// The warm-up in the live runtime: history from the feed before the first live bar, seen and never traded on, so
/// that a run from a start equals the backtest from it with the same warm-up.
@Suite struct WarmupRuntimeTests {
    static let data = ReplayParityTests.daily
    /// The start: the daily sample's 400th bar.
    static var start: UnixNanos { data.series[0].time[400] }

    @Test(arguments: ReplayParityTests.dailyStrategies)
    func aReplayFromAStartWithItsWarmupRecordsWhatTheBacktestWithTheSameWarmupRecords(_ name: String) async throws {
        let d = try StrategyCatalog.builtIn.named(name)
        let p = try d.parameters([:])
        var config = BacktestConfig()
        config.from = Self.start
        config = Warmup.applying(bars: try WarmupSetting(parsing: "auto").bars(for: d, parameters: p), to: config, data: Self.data)
        #expect(config.warmup == d.warmupBars(p))
        #expect(name == "buy-and-hold" || config.warmup > 0, "\(name) declares its warm-up")
        let (backtest, replay) = try await ReplayParityTests.both(name, [:], data: Self.data, config: config)
        ReplayParityTests.expectSame(backtest, replay, name)
        #expect(replay.equity.time.first == Self.start && replay.warmupSteps == config.warmup)
        #expect(replay.fills.allSatisfy { $0.time > Self.start }, "\(name): nothing filled before the start")
    }

    @Test func noOrderReachesTheBrokerDuringTheWarmup() async throws {
        var config = BacktestConfig()
        config.from = Self.start
        config = Warmup.applying(bars: 25, to: config, data: Self.data)
        let session = ReplaySession(data: Self.data, config: config)
        let feed = try session.feed()
        #expect(feed.history.count == 25 && feed.timeline.first?.time == Self.start)
        let runtime = try session.runtime(for: feed) { setup throws(BacktestError) in
            try StreamingDriver(EveryBarBuyer(), setup: setup)
        }
        let result = try await runtime.trade(feed)
        let refused = result.orders.filter { $0.reason == Warmup.refusal }
        #expect(refused.count == 25 && refused.allSatisfy { $0.submittedStep < 25 && $0.status == .rejected })
        #expect(runtime.currentStatus().ordersSent == result.orders.count - 25, "only the orders after the warm-up were sent")
        #expect(result.fills.allSatisfy { $0.step > 25 })
    }

    @Test func indicatorsAtTheFirstLiveBarEqualTheBacktestsOverTheWholeHistory() async throws {
        let whole = Seen(), warm = Seen(), live = Seen()
        _ = try await Backtest.run(Watcher(seen: whole), data: Self.data)
        var config = BacktestConfig()
        config.from = Self.start
        config = Warmup.applying(bars: 20, to: config, data: Self.data)
        _ = try await Backtest.run(Watcher(seen: warm), data: Self.data, config: config)
        _ = try await ReplaySession(data: Self.data, config: config).run(Watcher(seen: live))
        let first = try #require(live.bars.first { $0.time == Self.start })
        // The backtest with the same warm-up: the same bits, on every bar.
        #expect(live.bars.map(\.time) == warm.bars.map(\.time))
        #expect(live.bars.map(\.sma) == warm.bars.map(\.sma) && live.bars.map(\.history) == warm.bars.map(\.history))
        // The backtest over the whole history: the same average (its running sum started 380 bars earlier: to rounding).
        let sma = try #require(first.sma)
        let full = try #require(whole.bars.first { $0.time == Self.start }?.sma)
        #expect(abs(sma - full) <= 1e-12 * abs(full))
        #expect(first.history == 21, "the 20 warm-up bars and the first live one")
        #expect(live.bars.count == whole.bars.count - 400 + 20)
    }
}

/// Buys one share on every bar.
struct EveryBarBuyer: Strategy {
    mutating func onBar(_ context: some TradingContext) throws { context.buy(0, .units(1)) }
}

/// What a strategy saw on each bar: the time, its history's length and SMA(20) of the close.
final class Seen: @unchecked Sendable {
    var bars: [(time: UnixNanos, history: Int, sma: Double?)] = []
}

struct Watcher: Strategy {
    let seen: Seen
    var sma: IndicatorHandle<SMA>?
    mutating func onStart(_ context: some TradingContext) throws {
        sma = context.register(try SMA(timeperiod: 20), name: "SMA(20)", pane: .price)
    }
    mutating func onBar(_ context: some TradingContext) throws {
        seen.bars.append((context.time, context.history(0).count, context.value(sma!, 0)))
    }
}
