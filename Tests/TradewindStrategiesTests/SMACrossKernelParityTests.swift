import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `SMACrossKernel` against the engine's `sma-cross` (the reference) on random (fast, slow) pairs and costs.
@Suite struct SMACrossKernelParityTests {
    static func compare(_ series: BarSeries, _ pairs: [SMACrossKernel.Pair], costs: KernelCosts) throws -> Int {
        let cash = 50_000.0
        let k = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: cash, costs: costs, recordTrades: true)
        var trades = 0
        for (i, p) in pairs.enumerated() {
            let config = BacktestConfig(initialCash: cash, commission: .percentOfValue(costs.commission),
                                        slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none)
            let e = try Backtest.run(SMACross(fast: p.fast, slow: p.slow), data: MarketDataset([series]), config: config)
            let ctx = "\(series.symbol) \(p) \(costs)"
            let closed = e.closedTrades, kt = k.tradeLists![i]
            #expect(kt.count == closed.count, "\(ctx): \(kt.count) vs \(closed.count) trades")
            for (a, b) in zip(kt, closed) where !(a.entryBar == b.entryStep && a.exitBar == b.exitStep
                && relativeDifference(a.entryPrice, b.entryPrice) <= 1e-9 && relativeDifference(a.exitPrice, b.exitPrice) <= 1e-9
                && relativeDifference(a.quantity, b.quantity) <= 1e-9) {
                Issue.record("\(ctx): trade \(a) vs engine \(b)")
                break
            }
            let em = KernelStatistics.metrics(equity: e.equity.equity, initialCash: cash, trades: closed.count,
                                              wins: closed.filter { $0.netPnL > 0 }.count)
            let km = k.metrics(at: i)
            #expect(relativeDifference(km.finalEquity, e.finalEquity) <= 1e-9, "\(ctx): \(km.finalEquity) vs \(e.finalEquity)")
            #expect(km.trades == em.trades && km.wins == em.wins, "\(ctx): \(km) vs \(em)")
            #expect(abs(km.sharpe - em.sharpe) <= 1e-9 * max(1, abs(em.sharpe)) && abs(km.maxDrawdown - em.maxDrawdown) <= 1e-9,
                    "\(ctx): \(km) vs \(em)")
            trades += closed.count
        }
        return trades
    }

    static func randomPairs(_ rng: inout TestRandom, _ count: Int) -> [SMACrossKernel.Pair] {
        (0..<count).map { _ in
            let fast = 1 + Int(rng.next() % 30)
            return SMACrossKernel.Pair(fast: fast, slow: fast + 1 + Int(rng.next() % 60))
        }
    }

    @Test func kernelEqualsEngineOnRandomPairsOnEqkerDaily() throws {
        var rng = TestRandom(seed: 11)
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() {
            let costs = k % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.001, slippageBps: 3)
            trades += try Self.compare(SampleBars.eqkerDaily(symbol), Self.randomPairs(&rng, 6), costs: costs)
        }
        #expect(trades > 300)
    }

    @Test func kernelEqualsEngineOnRandomPairsOnSyntheticDaily() throws {
        var rng = TestRandom(seed: 12)
        let market = try SyntheticMarket(seed: 3).generate(symbols: 4, from: CivilDate(year: 2015, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        var trades = 0
        for (k, s) in market.series.enumerated() {
            trades += try Self.compare(s, Self.randomPairs(&rng, 15), costs: k % 2 == 0 ? .none : KernelCosts(commission: 0.0005, slippageBps: 1))
        }
        #expect(trades > 300)
    }

    @Test func invalidPairsAreRejected() {
        #expect(throws: KernelError.self) {
            try SMACrossKernel.evaluate(series: SampleBars.eqkerDaily("SPY"), pairs: [.init(fast: 30, slow: 10)])
        }
    }
}
