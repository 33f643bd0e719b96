import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `RSI2HedgeKernel` against the engine's `rsi2` with a hedge, on random parameter sets, fills and cost settings:
/// every summary figure and the trade list (bars, prices, quantities and symbols) to 1e-9.
@Suite struct RSI2HedgeKernelParityTests {
    /// Compares every set on the pair; returns the engine's closed trades (all) and those of the hedge.
    static func compare(traded: BarSeries, hedge: BarSeries, _ sets: [RSI2HedgeKernel.Parameters], fill: FillTiming,
                        account: KernelAccount) throws -> (trades: Int, hedgeTrades: Int) {
        let cash = 50_000.0
        let data = MarketDataset([traded, hedge])
        let tradedIndex = try #require(data.symbols.firstIndex(of: traded.symbol))
        let runs = try RSI2HedgeKernel.evaluate(traded: traded, hedge: hedge, tradedIndex: tradedIndex, parameters: sets,
                                                initialCash: cash, account: account, fillAtClose: fill == .signalClose,
                                                recordTrades: true)
        var trades = 0, hedgeTrades = 0
        for (k, p) in sets.enumerated() {
            let config = BacktestConfig(initialCash: cash, commission: account.commission, slippage: account.slippage,
                                        fillTiming: fill, wholeShares: account.wholeShares)
            let f = p.rsi2.filters
            let strategy = try RSI2(["rsi_period": .int(p.rsi2.rsiPeriod), "entry": .real(p.rsi2.entry), "exit": .real(p.rsi2.exit),
                                     "stop_loss": .real(p.rsi2.stopLoss), "position_size": .real(p.rsi2.positionSize),
                                     "filter_vwap": .bool(f.vwap), "filter_trend": .bool(f.trend), "trend_period": .int(f.trendPeriod),
                                     "min_volume": .real(f.minVolume), "filter_bollinger": .bool(f.bollinger),
                                     "bb_period": .int(f.bbPeriod), "bb_std": .real(f.bbStd),
                                     "hedge_size": .real(p.hedge.size), "hedge_entry": .real(p.hedge.entry), "hedge_exit": .real(p.hedge.exit)],
                                    hedgeSymbol: hedge.symbol)
            let e = try Backtest.run(strategy, data: data, config: config)
            let ctx = "\(traded.symbol)/\(hedge.symbol) \(p) \(fill) \(account)"
            let closed = e.closedTrades
            let em = KernelStatistics.metrics(equity: e.equity.equity, initialCash: cash, trades: closed.count,
                                              wins: closed.filter { $0.netPnL > 0 }.count)
            let run = runs[k]
            expectKernelEqualsEngine(trades: run.trades, metrics: run.metrics, engine: e, engineMetrics: em, interval: traded.interval,
                                     sameBars: { $0.entryBar == $1.entryStep && $0.exitBar == $1.exitStep }, context: ctx)
            let symbols = run.tradeSymbols.map { data.symbols[$0] }
            #expect(symbols == closed.map(\.symbol), "\(ctx): trade symbols")
            trades += closed.count
            hedgeTrades += closed.filter { $0.symbol == hedge.symbol }.count
        }
        return (trades, hedgeTrades)
    }

    /// Random `rsi2` sets (some with filters) with random hedges: hedge entry from 50 to 100, or (a third of them)
    /// below the entry level with the exit just under it, so both legs are often bought on one bar, sizes up to the 0.3 limit, position sizes up to
    /// 1 (so a hedge can be refused for lack of cash).
    static func randomSets(_ rng: inout TestRandom, _ count: Int, volumes: [Double]) -> [RSI2HedgeKernel.Parameters] {
        let filtered = RSI2KernelParityTests.randomFilteredSets(&rng, count, volumes: volumes)
        return RSI2KernelParityTests.randomSets(&rng, count).enumerated().map { k, base in
            var rsi2 = base
            if k % 3 == 2 { rsi2 = filtered[k] }
            // A third of the hedges open below the entry level and close just under their opening level: the hedge
            // then comes and goes often, and both legs are often bought on the same bar.
            let low = rng.uniform() < 0.35
            let entry = low ? max(6, (rsi2.entry * (0.3 + 0.7 * rng.uniform())).rounded()) : (50 + 50 * rng.uniform()).rounded()
            let exit = low ? entry - (1 + 4 * rng.uniform()).rounded() : ((entry - 1) * rng.uniform()).rounded()
            return RSI2HedgeKernel.Parameters(rsi2: rsi2, hedge: RSI2HedgeKernel.Hedge(
                size: rng.uniform() < 0.1 ? 0 : ((0.05 + 0.25 * rng.uniform()) * 100).rounded() / 100, entry: entry, exit: exit))
        }
    }

    @Test func hedgedKernelEqualsEngineOnRandomParameterSetsFillsAndCosts() throws {
        var rng = TestRandom(seed: 31)
        let pairs = [("QQQ", "TZA"), ("SPY", "VIX"), ("TSLA", "GLD"), ("AAPL", "UGA"), ("MU", "XLP")]
        let accounts = [KernelAccount(), KernelAccount(commission: .percentOfValue(0.001), slippage: .basisPoints(4)),
                        KernelAccount(commission: CommissionModel(perShare: 0.005, minimum: 1), wholeShares: true),
                        KernelAccount(commission: CommissionModel(percent: 0.0008, fixed: 2.5, maximum: 20), slippage: .halfSpread(0.03))]
        var trades = 0, hedgeTrades = 0
        for (k, (a, b)) in pairs.enumerated() {
            // Loaded together: the sample's symbols on their common dates.
            let pair = try DataSource.sample("eqker-daily").load(symbols: [a, b])
            let traded = try #require(pair[a]), hedge = try #require(pair[b])
            let aligned = traded.time == hedge.time
            try #require(aligned, "\(a) and \(b) share their bar times")
            for fill in [FillTiming.nextOpen, .signalClose] {
                let r = try Self.compare(traded: traded, hedge: hedge, Self.randomSets(&rng, 6, volumes: traded.volume), fill: fill,
                                         account: accounts[(k + (fill == .nextOpen ? 0 : 1)) % accounts.count])
                trades += r.trades
                hedgeTrades += r.hedgeTrades
            }
        }
        #expect(trades > 400 && hedgeTrades > 100, "\(trades) trades, \(hedgeTrades) of the hedge")
    }

    @Test func hedgedKernelEqualsEngineWhenTheHedgeSortsFirstOnSyntheticDaily() throws {
        var rng = TestRandom(seed: 32)
        let market = try SyntheticMarket(seed: 9).generate(symbols: 2, from: CivilDate(year: 2015, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        let (first, second) = (market.series[0], market.series[1])
        var trades = 0, hedgeTrades = 0
        // The traded symbol second in the run's order, then first.
        for (traded, hedge) in [(second, first), (first, second)] {
            for fill in [FillTiming.nextOpen, .signalClose] {
                let r = try Self.compare(traded: traded, hedge: hedge, Self.randomSets(&rng, 8, volumes: traded.volume), fill: fill,
                                         account: KernelAccount(commission: .percentOfValue(0.0005), slippage: .basisPoints(2)))
                trades += r.trades
                hedgeTrades += r.hedgeTrades
            }
        }
        #expect(trades > 300 && hedgeTrades > 50, "\(trades) trades, \(hedgeTrades) of the hedge")
    }

    @Test func barsAtDifferentTimesAreRefusedWithTheReason() throws {
        let a = try SampleBars.eqkerDaily("QQQ"), b = try SampleBars.eqkerDaily("TZA")
        let shorter = BarSeries(symbol: b.symbol, interval: b.interval, time: Array(b.time.dropFirst()), open: Array(b.open.dropFirst()),
                                high: Array(b.high.dropFirst()), low: Array(b.low.dropFirst()), close: Array(b.close.dropFirst()),
                                volume: Array(b.volume.dropFirst()))
        #expect(throws: KernelError.self) {
            try RSI2HedgeKernel.evaluate(traded: a, hedge: shorter, tradedIndex: 0, parameters: [RSI2HedgeKernel.Parameters()])
        }
        #expect(RSI2HedgeKernel.unsupportedReason(traded: a, hedge: shorter)?.contains("same times") == true)
    }
}
