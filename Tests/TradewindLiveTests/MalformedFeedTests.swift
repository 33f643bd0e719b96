import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// A feed that misbehaves: steps out of order, repeated, with non-finite prices, unknown symbols or a symbol twice
/// are logged and skipped; the run goes on and records what the clean bars alone give.
@Suite struct MalformedFeedTests {
    struct ScriptedFeed: MarketFeed {
        let symbols: [String]
        let interval: BarInterval
        let script: [FeedStep]
        func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
            let script = script
            return AsyncThrowingStream { c in
                for k in script.indices { c.yield(script[k...k]) }
                c.finish()
            }
        }
    }

    @Test func badStepsAreLoggedAndSkipped() async throws {
        let series = try DataSource(parsing: "sample:spy-daily").load().series[0].slice(0..<120)
        let clean = try ReplayFeed(MarketDataset([series]))
        var timeline: [FeedStep] = []
        _ = try await { () async throws in
            for try await batch in clean.steps() { timeline.append(contentsOf: batch) }
        }()
        let good = timeline
        let t = good[60].time
        func bar(_ symbol: Int, _ price: Double) -> StreamedBar {
            StreamedBar(symbol: symbol, open: price, high: price, low: price, close: price, volume: 1)
        }
        var script = Array(good[..<61])
        script.append(good[30])                                                     // out of order
        script.append(good[60])                                                     // repeated
        script.append(FeedStep(time: t + 1, bars: [bar(0, .nan)][...]))             // non-finite price
        script.append(FeedStep(time: t + 2, bars: [bar(7, 100)][...]))              // unknown symbol index
        script.append(FeedStep(time: t + 3, bars: [bar(0, 100), bar(0, 101)][...])) // one symbol twice
        script.append(contentsOf: good[61...])
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters(["fast": "5", "slow": "20"])
        let broker = try PaperBroker(symbols: clean.symbols, interval: clean.interval, config: BacktestConfig())
        let runtime = try TradingRuntime(symbols: clean.symbols, interval: clean.interval, config: BacktestConfig(),
                                         broker: broker) { setup in try d.stream(p, setup) }
        let logged = LockedLines()
        runtime.log = { logged.append($0) }
        let result = try await runtime.trade(ScriptedFeed(symbols: clean.symbols, interval: clean.interval, script: script))
        #expect(runtime.currentStatus().skippedSteps == 5)
        #expect(logged.lines.count == 5)
        #expect(logged.lines.contains { $0.contains("non-finite price") })
        #expect(logged.lines.contains { $0.contains("symbol index 7") })
        let backtest = try d.run(p, MarketDataset([series]), BacktestConfig())
        ReplayParityTests.expectSame(result, backtest, "malformed steps skipped")
    }
}
