import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `SMACrossKernel` against the engine's `sma-cross` (the reference) on random (fast, slow) pairs and costs.
@Suite struct SMACrossKernelParityTests {
    static func compare(_ series: BarSeries, _ pairs: [SMACrossKernel.Pair], costs: KernelCosts,
                        fill: FillTiming = .nextOpen, account: KernelAccount? = nil) throws -> Int {
        let cash = 50_000.0
        let k = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: cash, costs: costs, account: account,
                                            fillAtClose: fill == .signalClose, recordTrades: true)
        var trades = 0
        for (i, p) in pairs.enumerated() {
            var config = BacktestConfig(initialCash: cash, commission: .percentOfValue(costs.commission),
                                        slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none, fillTiming: fill)
            if let account {
                config.commission = account.commission
                config.slippage = account.slippage
                config.wholeShares = account.wholeShares
            }
            let e = try Backtest.run(SMACross(fast: p.fast, slow: p.slow), data: MarketDataset([series]), config: config)
            let ctx = "\(series.symbol) \(p) \(costs) \(fill) \(String(describing: account))"
            let closed = e.closedTrades
            let em = KernelStatistics.metrics(equity: e.equity.equity, initialCash: cash, trades: closed.count,
                                              wins: closed.filter { $0.netPnL > 0 }.count)
            expectKernelEqualsEngine(trades: k.tradeLists![i], metrics: k.metrics(at: i), engine: e, engineMetrics: em, interval: series.interval,
                                     sameBars: { $0.entryBar == $1.entryStep && $0.exitBar == $1.exitStep }, context: ctx)
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

    @Test func closeFillKernelEqualsEngineOnRandomPairsOnEqkerAndSyntheticDaily() throws {
        var rng = TestRandom(seed: 13)
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() where k % 2 == 0 {
            let costs = k % 4 == 0 ? KernelCosts.none : KernelCosts(commission: 0.001, slippageBps: 3)
            trades += try Self.compare(SampleBars.eqkerDaily(symbol), Self.randomPairs(&rng, 5), costs: costs, fill: .signalClose)
        }
        let market = try SyntheticMarket(seed: 5).generate(symbols: 2, from: CivilDate(year: 2015, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        for (k, s) in market.series.enumerated() {
            trades += try Self.compare(s, Self.randomPairs(&rng, 12) + [.init(fast: 1, slow: 2)],
                                       costs: k == 0 ? .none : KernelCosts(commission: 0.0005, slippageBps: 1), fill: .signalClose)
        }
        #expect(trades > 300)
    }

    /// Whole shares, per-share, fixed and capped commissions, spread slippage: the engine's own cost models.
    @Test func kernelEqualsEngineUnderEveryCostSetting() throws {
        var rng = TestRandom(seed: 14)
        var trades = 0
        let accounts = [KernelAccount(wholeShares: true), KernelAccount(commission: CommissionModel(perShare: 0.005, minimum: 1)),
                        KernelAccount(commission: CommissionModel(percent: 0.0008, fixed: 2.5, maximum: 20), slippage: .halfSpread(0.03)),
                        KernelAccount(commission: CommissionModel(perShare: 0.01, maximumPercent: 0.005), slippage: .basisPoints(3),
                                      wholeShares: true)]
        for (k, account) in accounts.enumerated() {
            for fill in [FillTiming.nextOpen, .signalClose] {
                trades += try Self.compare(SampleBars.eqkerDaily(k % 2 == 0 ? "AAPL" : "SPY"), Self.randomPairs(&rng, 4), costs: .none,
                                           fill: fill, account: account)
            }
        }
        #expect(trades > 50)
    }

    @Test func invalidPairsAreRejected() {
        #expect(throws: KernelError.self) {
            try SMACrossKernel.evaluate(series: SampleBars.eqkerDaily("SPY"), pairs: [.init(fast: 30, slow: 10)])
        }
    }
}
