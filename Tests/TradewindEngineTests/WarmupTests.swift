import Foundation
import Testing
import TradewindCore
@testable import TradewindEngine

/// The warm-up (`BacktestConfig.warmup`, `Warmup`): bars the strategy sees but never trades on.
@Suite struct WarmupTests {
    /// 40 daily bars of a wave, so averages move.
    static let wave = daily((0..<40).map { i in
        let p = 100 + 5 * sin(Double(i) / 3)
        return (p, p + 1, p - 1, p + 0.5)
    })

    @Test func ordersDuringTheWarmupAreRejectedAndNothingIsPlacedOrFilled() throws {
        var config = BacktestConfig()
        config.warmup = 10
        let result = try run(Self.wave, config: config) { c in c.buy(0, .units(1)) }
        #expect(result.orders.count == 40)
        for o in result.orders {
            if o.submittedStep < 10 {
                #expect(o.status == .rejected && o.reason == Warmup.refusal, "order \(o.id) at step \(o.submittedStep)")
            } else {
                #expect(o.status != .rejected)
            }
        }
        #expect(result.fills.allSatisfy { $0.step > 10 }, "the first fill is the first trading bar's order, at the next open")
        #expect(result.fills.count == 29)
        // The results start after the warm-up.
        #expect(result.warmupSteps == 10)
        #expect(result.equity.time == Array(Self.wave.time[10...]))
        #expect(result.equity.equity.first == config.initialCash)
        #expect(result.positions[0].count == 30)
    }

    @Test func theStrategySeesTheWarmupBarsInItsHistoryAndKnowsItIsWarmingUp() throws {
        let data = MarketDataset([Self.wave])
        // From day 20 with a warm-up of 6 bars: the run starts at day 14, trades from day 20.
        var config = BacktestConfig()
        config.from = Self.wave.time[20]
        config = Warmup.applying(bars: 6, to: config, data: data)
        #expect(config.from == Self.wave.time[14] && config.warmup == 6)
        var seen: [(time: UnixNanos, closes: [Double], warming: Bool)] = []
        _ = try run(Self.wave, config: config) { c in
            seen.append((c.time, c.history(0).closes, (c as? SimulationContext)?.isWarmingUp ?? false))
        }
        #expect(seen.prefix(6).allSatisfy(\.warming) && !seen[6].warming)
        #expect(seen[6].time == Self.wave.time[20])
        // The first trading bar's history: the warm-up bars and the current one, as a run over every bar sees them.
        #expect(seen[6].closes == Array(Self.wave.close[14...20]))
        // (Registered indicators at the first live bar: `WarmupRuntimeTests`.)
    }

    @Test func theWarmupWindowIsTheLastStepsBeforeTheStartOrTheDatasFirst() {
        let a = daily(flat(10, 10), symbol: "A"), b = daily(flat(20, 3), symbol: "B", startDay: 20)
        let data = MarketDataset([a, b])
        var config = BacktestConfig()
        config.from = b.time[1]
        // Steps before B's second bar: A's 10 days and B's first: the last 4.
        let four = Warmup.applying(bars: 4, to: config, data: data)
        #expect(four.warmup == 4 && four.from == a.time[7])
        #expect(Warmup.lastSteps(4, of: [a, b], before: b.time[1]) == [a.time[7], a.time[8], a.time[9], b.time[0]])
        // More than the data has: all of it.
        let all = Warmup.applying(bars: 50, to: config, data: data)
        #expect(all.warmup == 11 && all.from == a.time[0])
        // No start: the data's first bars; none asked: none.
        let noStart = Warmup.applying(bars: 4, to: BacktestConfig(), data: data)
        #expect(noStart.warmup == 4 && noStart.from == nil)
        #expect(Warmup.applying(bars: 0, to: config, data: data) == config)
    }

    @Test func aNegativeWarmupIsAnErrorThatSaysWhatIsValid() {
        var config = BacktestConfig()
        config.warmup = -1
        #expect(throws: BacktestError.self) { try config.validate() }
        do { try config.validate() } catch { #expect("\(error)".contains("≥ 0")) }
    }
}
