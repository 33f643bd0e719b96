import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `RSI2Kernel` against the engine's `rsi2` (no filters, no hedge) on random parameter sets and costs.
@Suite struct RSI2KernelParityTests {
    static func compare(_ series: BarSeries, _ sets: [RSI2Kernel.Parameters], costs: KernelCosts,
                        fill: FillTiming = .nextOpen, account: KernelAccount? = nil) throws -> Int {
        let cash = 25_000.0
        let k = try RSI2Kernel.evaluate(series: series, parameters: sets, initialCash: cash, costs: costs, account: account,
                                        fillAtClose: fill == .signalClose, recordTrades: true)
        var trades = 0
        for (i, p) in sets.enumerated() {
            var config = BacktestConfig(initialCash: cash, commission: .percentOfValue(costs.commission),
                                        slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none, fillTiming: fill)
            if let account {
                config.commission = account.commission
                config.slippage = account.slippage
                config.wholeShares = account.wholeShares
            }
            let f = p.filters
            let strategy = try RSI2(["rsi_period": .int(p.rsiPeriod), "entry": .real(p.entry), "exit": .real(p.exit),
                                     "stop_loss": .real(p.stopLoss), "position_size": .real(p.positionSize),
                                     "filter_vwap": .bool(f.vwap), "filter_trend": .bool(f.trend), "trend_period": .int(f.trendPeriod),
                                     "min_volume": .real(f.minVolume), "filter_bollinger": .bool(f.bollinger),
                                     "bb_period": .int(f.bbPeriod), "bb_std": .real(f.bbStd)])
            let e = try Backtest.run(strategy, data: MarketDataset([series]), config: config)
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

    static func randomSets(_ rng: inout TestRandom, _ count: Int) -> [RSI2Kernel.Parameters] {
        (0..<count).map { _ in
            let entry = (5 + 40 * rng.uniform()).rounded()
            return RSI2Kernel.Parameters(rsiPeriod: 2 + Int(rng.next() % 5), entry: entry, exit: entry + (10 + 45 * rng.uniform()).rounded(),
                                         stopLoss: rng.uniform() < 0.3 ? 0 : ((1 + 8 * rng.uniform()) * 10).rounded() / 10,
                                         positionSize: rng.uniform() < 0.2 ? 1 : ((0.3 + 0.7 * rng.uniform()) * 100).rounded() / 100)
        }
    }

    @Test func kernelEqualsEngineOnRandomParameterSetsOnEqkerDaily() throws {
        var rng = TestRandom(seed: 21)
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() {
            let costs = k % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.001, slippageBps: 4)
            trades += try Self.compare(SampleBars.eqkerDaily(symbol), Self.randomSets(&rng, 6), costs: costs)
        }
        #expect(trades > 500)
    }

    /// Random filter settings on top of random sets: each filter on in about half the sets.
    static func randomFilteredSets(_ rng: inout TestRandom, _ count: Int, volumes: [Double]) -> [RSI2Kernel.Parameters] {
        randomSets(&rng, count).map { p in
            var p = p
            let sorted = volumes.sorted()
            p.filters = RSI2Kernel.Filters(
                vwap: rng.uniform() < 0.5, trend: rng.uniform() < 0.5, trendPeriod: 2 + Int(rng.next() % 60),
                minVolume: rng.uniform() < 0.5 ? 0 : sorted[Int(rng.next() % UInt64(sorted.count))],
                bollinger: rng.uniform() < 0.4, bbPeriod: 2 + Int(rng.next() % 40), bbStd: ((0.2 + 2 * rng.uniform()) * 10).rounded() / 10)
            // Entry thresholds wide enough that filtered sets still trade.
            p.entry = max(p.entry, 40)
            p.exit = max(p.exit, p.entry + 10)
            return p
        }
    }

    @Test func filteredKernelEqualsEngineOnRandomParameterSetsAndFills() throws {
        var rng = TestRandom(seed: 24)
        var trades = 0, filtered = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() where k % 2 == 0 {
            let series = try SampleBars.eqkerDaily(symbol)
            let sets = Self.randomFilteredSets(&rng, 6, volumes: series.volume)
            filtered += sets.filter { !$0.filters.areOff }.count
            trades += try Self.compare(series, sets, costs: k % 4 == 0 ? .none : KernelCosts(commission: 0.001, slippageBps: 2),
                                       fill: k % 4 == 2 ? .signalClose : .nextOpen)
        }
        #expect(trades > 300 && filtered > 20)
    }

    /// Whole shares, per-share, fixed and capped commissions, spread slippage: the engine's own cost models.
    @Test func kernelEqualsEngineUnderEveryCostSetting() throws {
        var rng = TestRandom(seed: 25)
        var trades = 0
        let accounts = [KernelAccount(wholeShares: true), KernelAccount(commission: CommissionModel(perShare: 0.005, minimum: 1)),
                        KernelAccount(commission: CommissionModel(percent: 0.0008, fixed: 2.5, maximum: 20), slippage: .halfSpread(0.03)),
                        KernelAccount(commission: CommissionModel(perShare: 0.01, maximumPercent: 0.005), slippage: .basisPoints(3),
                                      wholeShares: true)]
        for (k, account) in accounts.enumerated() {
            for fill in [FillTiming.nextOpen, .signalClose] {
                trades += try Self.compare(SampleBars.eqkerDaily(k % 2 == 0 ? "AAPL" : "SPY"), Self.randomSets(&rng, 4), costs: .none,
                                           fill: fill, account: account)
            }
        }
        #expect(trades > 100)
    }

    @Test func closeFillKernelEqualsEngineOnRandomParameterSets() throws {
        var rng = TestRandom(seed: 23)
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() where k % 2 == 1 {
            let costs = k % 4 == 1 ? KernelCosts.none : KernelCosts(commission: 0.001, slippageBps: 4)
            trades += try Self.compare(SampleBars.eqkerDaily(symbol), Self.randomSets(&rng, 5), costs: costs, fill: .signalClose)
        }
        let market = try SyntheticMarket(seed: 6).generate(symbols: 2, from: CivilDate(year: 2016, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        for (k, s) in market.series.enumerated() {
            trades += try Self.compare(s, Self.randomSets(&rng, 12), costs: k == 0 ? .none : KernelCosts(commission: 0.0005, slippageBps: 2),
                                       fill: .signalClose)
        }
        #expect(trades > 500)
    }

    @Test func kernelEqualsEngineOnRandomParameterSetsOnSyntheticDaily() throws {
        var rng = TestRandom(seed: 22)
        let market = try SyntheticMarket(seed: 4).generate(symbols: 4, from: CivilDate(year: 2016, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        var trades = 0
        for (k, s) in market.series.enumerated() {
            trades += try Self.compare(s, Self.randomSets(&rng, 15), costs: k % 2 == 0 ? .none : KernelCosts(commission: 0.0005, slippageBps: 2))
        }
        #expect(trades > 1000)
    }
}
