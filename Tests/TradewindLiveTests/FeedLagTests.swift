import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// Feed lag: for a live feed, the wall clock at a bar's arrival minus the bar's end; a replay reports none.
@Suite struct FeedLagTests {
    struct MinuteFeed: MarketFeed {
        let symbols = ["SPY"]
        let interval = BarInterval.minute
        let isRealTime: Bool
        /// One bar that ended `ago` seconds before `now`, the instant the test's clock shows at its arrival.
        let ago: Double
        let now: UnixNanos
        func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
            let start = now - Int64(ago * 1e9) - BarInterval.minute.nominalNanos
            let step = FeedStep(time: start, bars: [StreamedBar(symbol: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 10)][...])
            return AsyncThrowingStream { c in
                c.yield([step][...])
                c.finish()
            }
        }
    }

    static let now: UnixNanos = 1_765_000_000_000_000_000

    func runtime() throws -> TradingRuntime {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters(["fast": "2", "slow": "3"])
        let broker = try PaperBroker(symbols: ["SPY"], interval: .minute, config: BacktestConfig())
        let r = try TradingRuntime(symbols: ["SPY"], interval: .minute, config: BacktestConfig(), broker: broker) { setup in
            try d.stream(p, setup)
        }
        r.wallClock = { Self.now }
        r.clockTick = .milliseconds(10)
        return r
    }

    @Test func aLiveFeedsLagIsTheWallClockAtArrivalMinusTheBarsEnd() async throws {
        let r = try runtime()
        _ = try await r.trade(MinuteFeed(isRealTime: true, ago: 3, now: Self.now))
        #expect(r.currentStatus().feedLagSeconds == 3)
        #expect(r.currentStatus().line.contains("feed lag"))
    }

    @Test func aReplayReportsNoLag() async throws {
        let r = try runtime()
        _ = try await r.trade(MinuteFeed(isRealTime: false, ago: 3, now: Self.now))
        #expect(r.currentStatus().feedLagSeconds == nil)
        #expect(!r.currentStatus().line.contains("feed lag"))
    }
}
