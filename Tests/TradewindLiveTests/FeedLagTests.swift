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
        /// Bars that ended `ago` seconds before they are delivered.
        let ago: Double
        func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            let start = now - Int64(ago * 1e9) - BarInterval.minute.nominalNanos
            let step = FeedStep(time: start, bars: [StreamedBar(symbol: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 10)][...])
            return AsyncThrowingStream { c in
                c.yield([step][...])
                c.finish()
            }
        }
    }

    func runtime() throws -> TradingRuntime {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters(["fast": "2", "slow": "3"])
        let broker = try PaperBroker(symbols: ["SPY"], interval: .minute, config: BacktestConfig())
        return try TradingRuntime(symbols: ["SPY"], interval: .minute, config: BacktestConfig(), broker: broker) { setup in
            try d.stream(p, setup)
        }
    }

    @Test func aLiveFeedsLagIsTheWallClockAtArrivalMinusTheBarsEnd() async throws {
        let r = try runtime()
        _ = try await r.trade(MinuteFeed(isRealTime: true, ago: 3))
        let lag = try #require(r.currentStatus().feedLagSeconds)
        #expect(lag >= 3 && lag < 30, "lag \(lag) s")
        #expect(r.currentStatus().line.contains("feed lag"))
    }

    @Test func aReplayReportsNoLag() async throws {
        let r = try runtime()
        _ = try await r.trade(MinuteFeed(isRealTime: false, ago: 3))
        #expect(r.currentStatus().feedLagSeconds == nil)
        #expect(!r.currentStatus().line.contains("feed lag"))
    }
}
