import Foundation
import Synchronization
import Testing
@testable import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindLive
import TradewindProviders

/// `AlpacaFeed`'s warm-up: the history before the start from the historical bars API, then the streamed bars from
/// the step after it, with the bars completed between the two taken from REST (no gap, no repeat at the seam).
@Suite struct AlpacaWarmupTests {
    @Test func theWarmupComesFromRESTAndTheGapToTheFirstStreamedBarIsFilledFromREST() async throws {
        let data = ExchangeHarness.recording()
        let timeline = FeedStep.steps(of: data.series)
        // The exchange's clock starts 30 minutes into the second session: the first session and 30 bars are history.
        let start = 390 + 30
        var config = BacktestConfig()
        config.session = .nyse
        let market = try ExchangeMarket(data: data, from: timeline[start].time, config: config)
        try await ExchangeHarness.with(market) { x in
            let feed = AlpacaFeed(symbols: ["AAA", "BBB"], credentials: ExchangeHarness.credentials,
                                  endpoints: AlpacaEndpoints(oneServer: x.base), feed: "iex", policy: ExchangeHarness.quick)
            // 60 steps of history: the last 30 of the first session and the second's first 30, as a backtest takes them.
            let history = try await feed.warmupSteps(60)
            #expect(history.map(\.time) == timeline[(start - 60)..<start].map(\.time))
            #expect(history.map { $0.bars.map(\.close) } == timeline[(start - 60)..<start].map { $0.bars.map(\.close) })
            #expect(Warmup.lastSteps(60, of: data.series, before: timeline[start].time) == history.map(\.time))
            // Three bars complete before the feed subscribes: nobody hears them streamed.
            x.market.advance(3)
            let got = Mutex<[FeedStep]>([])
            let reader = Task {
                for try await batch in feed.steps() { got.withLock { $0.append(contentsOf: batch) } }
            }
            defer { feed.stop(); reader.cancel() }
            #expect(await eventually { x.market.dataStreamSubscribers > 0 })
            x.market.advance(4)
            let played = start + 7
            #expect(await eventually { got.withLock { $0.last?.time } == timeline[played - 1].time })
            let steps = got.withLock { $0 }
            // From the step after the history, every one once, in order: the first three from REST.
            #expect(steps.map(\.time) == timeline[start..<played].map(\.time))
            #expect(steps.map { $0.bars.map(\.close) } == timeline[start..<played].map { $0.bars.map(\.close) })
        }
    }

    @Test func aShortHistoryGivesWhatThereIs() async throws {
        let data = ExchangeHarness.recording()
        let timeline = FeedStep.steps(of: data.series)
        var config = BacktestConfig()
        config.session = .nyse
        let market = try ExchangeMarket(data: data, from: timeline[12].time, config: config)
        try await ExchangeHarness.with(market) { x in
            let feed = AlpacaFeed(symbols: ["AAA", "BBB"], credentials: ExchangeHarness.credentials,
                                  endpoints: AlpacaEndpoints(oneServer: x.base), feed: "iex", policy: ExchangeHarness.quick)
            let history = try await feed.warmupSteps(50)
            #expect(history.map(\.time) == timeline[0..<12].map(\.time))
        }
    }
}
