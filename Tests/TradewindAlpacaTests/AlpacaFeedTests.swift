import Foundation
import Synchronization
import Testing
@testable import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindLive
import TradewindProviders

/// The real-time bar feed: steps from the exchange's data stream, and how bars are grouped into steps.
@Suite struct AlpacaFeedTests {
    @Test func theFeedDeliversTheExchangesStepsAsTheirBarsComplete() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let feed = AlpacaFeed(symbols: ["BBB", "AAA"], credentials: ExchangeHarness.credentials,
                                  endpoints: AlpacaEndpoints(oneServer: x.base), feed: "iex", policy: ExchangeHarness.quick)
            #expect(feed.symbols == ["AAA", "BBB"])
            let got = Mutex<[FeedStep]>([])
            let reader = Task {
                for try await batch in feed.steps() { got.withLock { $0.append(contentsOf: batch) } }
            }
            defer { feed.stop(); reader.cancel() }
            // The subscription is live once a bar comes through.
            #expect(await eventually { x.market.advance(1); return !got.withLock { $0.isEmpty } })
            let first = got.withLock { $0.count }
            let played = x.market.stepsPlayed
            x.market.advance(20)
            // The last step is given out when a later bar shows it complete: 20 more steps played, 19 or 20 seen.
            #expect(await eventually { got.withLock { $0.count } >= first + 19 })
            let steps = got.withLock { $0 }
            let timeline = x.market.replay.timeline
            for step in steps.suffix(19) {
                let k = try #require(timeline.firstIndex { $0.time == step.time })
                #expect(k < played + 20)
                #expect(step.bars.map(\.symbol) == [0, 1])
                #expect(step.bars.map(\.close) == timeline[k].bars.map(\.close))
            }
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.time < $1.time }, "in time order, once each")
        }
    }

    @Test func aDroppedDataStreamIsResubscribedAndItsGapBackfilledFromRESTWithoutDuplicates() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let feed = AlpacaFeed(symbols: ["AAA", "BBB"], credentials: ExchangeHarness.credentials,
                                  endpoints: AlpacaEndpoints(oneServer: x.base), feed: "iex", policy: ExchangeHarness.quick)
            let got = Mutex<[FeedStep]>([])
            let reader = Task {
                for try await batch in feed.steps() { got.withLock { $0.append(contentsOf: batch) } }
            }
            defer { feed.stop(); reader.cancel() }
            #expect(await eventually { x.market.advance(1); return !got.withLock { $0.isEmpty } })
            x.market.advance(5)
            #expect(await eventually { got.withLock { $0.last?.time } == x.market.replay.timeline[x.market.stepsPlayed - 1].time })
            // The connection drops; 30 bars are played while the feed is away (to nobody), then 10 more.
            #expect(x.market.dropDataStreams() == 1)
            x.market.advance(30)
            #expect(await eventually { x.market.dataStreamSubscribers > 0 }, "the feed reconnected and subscribed")
            x.market.advance(10)
            let timeline = x.market.replay.timeline
            let last = timeline[x.market.stepsPlayed - 1].time
            #expect(await eventually { got.withLock { $0.last?.time } == last })
            let steps = got.withLock { $0 }
            let first = try #require(timeline.firstIndex { $0.time == steps[0].time })
            // Every step from the first seen to the last played, once each, in order: the gap came from REST.
            #expect(steps.map(\.time) == timeline[first..<x.market.stepsPlayed].map(\.time))
            for (step, played) in zip(steps, timeline[first...]) {
                #expect(step.bars.map(\.close) == played.bars.map(\.close))
            }
        }
    }

    @Test func stepsCompleteWhenEverySymbolArrivedOrALaterBarShowsTheRestAreNotComing() {
        var a = StepAssembler(symbols: ["A", "B"])
        func bar(_ s: Int, _ t: UnixNanos) -> StreamedBarAt {
            StreamedBarAt(time: t, bar: StreamedBar(symbol: s, open: 1, high: 1, low: 1, close: Double(t), volume: 1))
        }
        a.add("A", bar(0, 60))
        #expect(a.completeSteps(flushBefore: 60).isEmpty, "B's bar may still come")
        a.add("B", bar(1, 60))
        #expect(a.completeSteps(flushBefore: 60).map(\.time) == [60])
        a.add("A", bar(0, 120))
        a.add("A", bar(0, 180))
        // B never sent 120: the 180 bar shows 120 is complete without it.
        #expect(a.completeSteps(flushBefore: 180).map { $0.bars.count } == [1])
        a.add("B", bar(1, 120))
        a.add("B", bar(1, 60))
        a.add("B", bar(1, 180))
        let out = a.completeSteps(flushBefore: 180)
        #expect(out.map(\.time) == [180], "late and repeated bars are dropped")
        #expect(out.first?.bars.count == 2)
    }
}
