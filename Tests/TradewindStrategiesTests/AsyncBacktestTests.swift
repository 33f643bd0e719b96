import Foundation
import Synchronization
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// A strategy that stops at one bar until the test lets it go on (to cancel a run at a known bar).
struct GatedStrategy: Strategy {
    final class Gate: Sendable {
        private let reachedFlag = Atomic<Bool>(false)
        private let releasedFlag = Atomic<Bool>(false)
        var reached: Bool { reachedFlag.load(ordering: .acquiring) }
        func release() { releasedFlag.store(true, ordering: .releasing) }

        /// Marks the gate reached and waits (at most 300 s) to be released.
        func pass() {
            reachedFlag.store(true, ordering: .releasing)
            let limit = ContinuousClock.now + .seconds(300)
            while !releasedFlag.load(ordering: .acquiring) && ContinuousClock.now < limit { usleep(200) }
        }
    }

    let gate: Gate
    let stopAt: Int
    var bars = 0

    mutating func onBar(_ context: some TradingContext) throws {
        bars += 1
        if bars == stopAt { gate.pass() }
    }
}

@Suite struct AsyncBacktestTests {
    @Test func anAsyncBacktestEqualsTheSynchronousOne() async throws {
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let config = BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(2))
        // In an async context the value-taking `run` is the async one; the inout one is synchronous.
        var strategy = try SMACross(fast: 10, slow: 30)
        let sync = try Backtest.run(&strategy, data: data, config: config)
        let async = try await Backtest.run(try SMACross(fast: 10, slow: 30), data: data, config: config)
        #expect(!sync.trades.isEmpty)
        PreparedMarketTests.expectSame(async, sync, "data")
        let market = try PreparedMarket(data, config: config)
        let prepared = try await Backtest.run(try SMACross(fast: 10, slow: 30), market: market, config: config)
        PreparedMarketTests.expectSame(prepared, sync, "prepared market")
    }

    @Test func cancellingTheTaskStopsTheRunAtTheNextPoll() async throws {
        let data = try SyntheticMarket(seed: 4).generate(symbols: 1, from: CivilDate(iso: "2022-05-02")!,
                                                         to: CivilDate(iso: "2022-05-20")!, interval: .minute)
        #expect(data.series[0].count > 3 * Backtest.cancellationInterval)
        let gate = GatedStrategy.Gate()
        let stopAt = Backtest.cancellationInterval + 500
        let task = Task { try await Backtest.run(GatedStrategy(gate: gate, stopAt: stopAt), data: data) }
        // Generous limits: other tests may keep the cooperative pool busy before the task starts.
        let limit = ContinuousClock.now + .seconds(300)
        while !gate.reached && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(1)) }
        #expect(gate.reached)
        let start = ContinuousClock.now
        task.cancel()
        gate.release()
        let outcome = await task.result
        #expect(ContinuousClock.now - start < .seconds(60))
        // Bar `stopAt` is step stopAt − 1; the flag is polled at the next multiple of the interval: the run stops
        // at the first poll after the cancellation.
        guard case .failure(let error) = outcome, case BacktestError.cancelled(let step)? = error as? BacktestError else {
            Issue.record("expected a cancelled run, got \(outcome)")
            return
        }
        #expect(step == 2 * Backtest.cancellationInterval)
    }
}
