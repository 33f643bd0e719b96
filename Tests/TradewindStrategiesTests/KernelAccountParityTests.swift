import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// The kernels that model the engine's account (`ExactKernel.coversAccount`: `LongOnlySignalKernel`, `RSI2Kernel`,
/// `RSI2HedgeKernel`) against the engine with a margin account (its margin calls included), margin interest and a
/// volume cap, on random parameter sets, series with missing bars (longer gaps between sessions), next-open and
/// close fills: every summary figure, and for the rsi2 kernels the trade list, to 1e-9. A volume cap that would split
/// a fill makes the kernel give the batch back to the engine, never a different answer.
@Suite struct KernelAccountParityTests {
    /// `series` with about one bar in `every` dropped at random (never the first).
    static func withGaps(_ s: BarSeries, every: Int, seed: UInt64) -> BarSeries {
        var rng = TestRandom(seed: seed)
        let keep = (0..<s.count).filter { $0 == 0 || rng.next() % UInt64(every) != 0 }
        return BarSeries(symbol: s.symbol, interval: s.interval, time: keep.map { s.time[$0] }, open: keep.map { s.open[$0] },
                         high: keep.map { s.high[$0] }, low: keep.map { s.low[$0] }, close: keep.map { s.close[$0] },
                         volume: keep.map { s.volume[$0] })
    }

    /// A margin account with `initial` margin (the maintenance margin `BacktestSettings` gives it) and `rate` interest.
    static func margin(_ initial: Double, rate: Double = 0) -> @Sendable (inout BacktestConfig) -> Void {
        { config in
            config.account = .margin(initialMargin: initial, maintenanceMargin: BacktestSettings.maintenanceMargin(initialMargin: initial))
            config.financing = FinancingModel(marginInterestRate: rate)
        }
    }

    /// The account settings compared: leverage from 1× to 5× (at 5× the maintenance margin equals the initial margin,
    /// so most drops after an entry call the margin), interest, a volume cap that never binds for these sizes, and
    /// the cost models on top.
    static let accounts: [(String, @Sendable (inout BacktestConfig) -> Void)] = [
        ("margin 0.5, 8 % interest", margin(0.5, rate: 0.08)),
        ("margin 0.2, 5 % interest, 0.1 % commission", { margin(0.2, rate: 0.05)(&$0); $0.commission = .percentOfValue(0.001) }),
        ("margin 0.35, whole shares, per share + minimum, spread", {
            margin(0.35, rate: 0.12)(&$0); $0.wholeShares = true
            $0.commission = CommissionModel(perShare: 0.005, minimum: 1); $0.slippage = .halfSpread(0.03)
        }),
        ("margin 1, volume cap 5 %, bps slippage", { margin(1)(&$0); $0.volumeParticipation = 0.05; $0.slippage = .basisPoints(3) }),
        ("cash, volume cap 2 %, fixed + percent capped", {
            $0.volumeParticipation = 0.02; $0.commission = CommissionModel(percent: 0.0008, fixed: 2.5, maximum: 20)
        }),
    ]

    /// Every long-only classic with each account setting on eqker and synthetic series with gaps, both fill timings:
    /// trade counts, final equity and every summary figure equal the engine's; margin calls happen.
    @Test(arguments: LongOnlySignalKernelParityTests.strategies)
    func longOnlyKernelEqualsEngineWithMarginInterestAndVolumeCap(_ name: String) throws {
        let d = try StrategyCatalog.builtIn.named(name)
        let kernel = try #require(d.kernel)
        let market = try SyntheticMarket(seed: 17).generate(symbols: 1, from: CivilDate(year: 2012, month: 1, day: 1)!,
                                                            to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        let series = [Self.withGaps(try SampleBars.eqkerDaily("TSLA"), every: 9, seed: 3),
                      Self.withGaps(try SampleBars.eqkerDaily("SPY"), every: 6, seed: 4),
                      Self.withGaps(market.series[0], every: 7, seed: 5)]
        var rng = TestRandom(seed: 77)
        var trades = 0, marginCalls = 0
        for (k, s) in series.enumerated() {
            let prepared = try #require(kernel.prepare(s))
            for (a, (label, settings)) in Self.accounts.enumerated() {
                for round in 0..<2 {
                    let values = LongOnlySignalKernelParityTests.randomParameters(name, &rng)
                    let p = try d.parameters(values)
                    var config = BacktestConfig(initialCash: 30_000, fillTiming: (round + a + k) % 2 == 0 ? .nextOpen : .signalClose)
                    settings(&config)
                    let ctx = "\(name) \(s.symbol) \(values) \(label) \(config.fillTiming)"
                    #expect(kernel.supports(p, config: config, data: MarketDataset([s])), "\(ctx)")
                    let km = try #require(prepared.evaluate([p], config, 1)?.first, "\(ctx): the kernel refused")
                    let e = try d.run(p, MarketDataset([s]), config)
                    let closed = e.closedTrades
                    #expect(km.trades == closed.count && km.wins == closed.filter { $0.netPnL > 0 }.count,
                            "\(ctx): \(km.trades) kernel trades vs \(closed.count)")
                    #expect(relativeDifference(km.finalEquity, e.finalEquity) <= 1e-9, "\(ctx): equity \(km.finalEquity) vs \(e.finalEquity)")
                    if let why = summaryDifference(km.summary, KernelSummary(engine: BacktestSummary(result: e, interval: s.interval)),
                                                   tolerance: 1e-9) {
                        Issue.record("\(ctx): \(why)")
                    }
                    trades += closed.count
                    marginCalls += e.orders.filter { $0.request.tag == "margin-call" }.count
                }
            }
        }
        #expect(trades > 60, "\(name): \(trades) trades")
        #expect(marginCalls > 0, "\(name): no margin call was compared")
    }

    /// `rsi2` without a hedge: the trade list too. Where the kernel gives a set back for a split fill, the engine's run
    /// of it has a partial fill, and where the engine has none the kernel answers.
    @Test func rsi2KernelEqualsEngineWithMarginInterestAndVolumeCap() throws {
        var rng = TestRandom(seed: 41)
        var trades = 0, calls = 0, compared = 0, split = 0
        let market = try SyntheticMarket(seed: 23).generate(symbols: 1, from: CivilDate(year: 2013, month: 1, day: 1)!,
                                                            to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        let series = [Self.withGaps(try SampleBars.eqkerDaily("MU"), every: 8, seed: 6), Self.withGaps(market.series[0], every: 5, seed: 7)]
        for (k, s) in series.enumerated() {
            for (a, (label, settings)) in Self.accounts.enumerated() {
                let fill: FillTiming = (a + k) % 2 == 0 ? .nextOpen : .signalClose
                var config = BacktestConfig(initialCash: 25_000, fillTiming: fill)
                settings(&config)
                for p in RSI2KernelParityTests.randomSets(&rng, 4) {
                    let strategy = try RSI2(["rsi_period": .int(p.rsiPeriod), "entry": .real(p.entry), "exit": .real(p.exit),
                                             "stop_loss": .real(p.stopLoss), "position_size": .real(p.positionSize)])
                    let e = try Backtest.run(strategy, data: MarketDataset([s]), config: config)
                    let ctx = "\(s.symbol) \(p) \(label) \(fill)"
                    let partial = e.orderLog.contains { $0.status == .partiallyFilled }
                    let r: KernelGridResult
                    do {
                        r = try RSI2Kernel.evaluate(series: s, parameters: [p], initialCash: config.initialCash, account: KernelAccount(config),
                                                    fillAtClose: fill == .signalClose, zone: config.session.zone, recordTrades: true)
                    } catch {
                        #expect(error == KernelError.unsupportedData(KernelAccount.splitFillReason), "\(ctx): \(error)")
                        #expect(partial, "\(ctx): the kernel gave the set back but the engine filled every order whole")
                        split += 1
                        continue
                    }
                    #expect(!partial, "\(ctx): the engine split a fill the kernel took whole")
                    let closed = e.closedTrades
                    let em = KernelStatistics.metrics(equity: e.equity.equity, initialCash: config.initialCash, trades: closed.count,
                                                      wins: closed.filter { $0.netPnL > 0 }.count)
                    expectKernelEqualsEngine(trades: r.tradeLists![0], metrics: r.metrics(at: 0), engine: e, engineMetrics: em,
                                             interval: s.interval, sameBars: { $0.entryBar == $1.entryStep && $0.exitBar == $1.exitStep },
                                             context: ctx)
                    trades += closed.count
                    compared += 1
                    calls += r.tradeLists![0].filter { $0.reason == .marginCall }.count
                }
            }
        }
        // (`position_size` ≤ 1 keeps the loan to a commission's worth: rsi2 alone is never called.)
        #expect(trades > 150 && compared >= 30 && calls == 0, "\(trades) trades in \(compared) runs (\(split) split), \(calls) margin calls")
    }

    /// `rsi2` with its hedge: two legs bought on leverage (position and hedge up to 1.3 × equity), both legs liquidated
    /// by a margin call in symbol order, interest on the loan; trade list and symbols equal the engine's.
    @Test func hedgedKernelEqualsEngineWithMarginAndInterest() throws {
        var rng = TestRandom(seed: 43)
        var trades = 0, hedgeTrades = 0
        for (k, (a, b)) in [("QQQ", "TZA"), ("TSLA", "GLD"), ("MU", "XLP")].enumerated() {
            let pair = try DataSource.sample("eqker-daily").load(symbols: [a, b])
            var traded = try #require(pair[a]), hedge = try #require(pair[b])
            traded = Self.withGaps(traded, every: 7, seed: UInt64(10 + k))
            hedge = Self.withGaps(hedge, every: 7, seed: UInt64(10 + k))  // the same bars dropped: still aligned
            for (j, (label, settings)) in Self.accounts.enumerated() where j != 4 {
                let fill: FillTiming = (j + k) % 2 == 0 ? .nextOpen : .signalClose
                var config = BacktestConfig(initialCash: 50_000, fillTiming: fill)
                settings(&config)
                let r = try Self.compareHedged(traded: traded, hedge: hedge, RSI2HedgeKernelParityTests.randomSets(&rng, 4, volumes: traded.volume),
                                               config: config, label: label)
                trades += r.trades
                hedgeTrades += r.hedgeTrades
            }
        }
        #expect(trades > 150 && hedgeTrades > 30, "\(trades) trades, \(hedgeTrades) of the hedge")
    }

    static func compareHedged(traded: BarSeries, hedge: BarSeries, _ sets: [RSI2HedgeKernel.Parameters], config: BacktestConfig,
                              label: String) throws -> (trades: Int, hedgeTrades: Int) {
        let data = MarketDataset([traded, hedge])
        let tradedIndex = try #require(data.symbols.firstIndex(of: traded.symbol))
        let runs = try RSI2HedgeKernel.evaluate(traded: traded, hedge: hedge, tradedIndex: tradedIndex, parameters: sets,
                                                initialCash: config.initialCash, account: KernelAccount(config),
                                                fillAtClose: config.fillTiming == .signalClose, zone: config.session.zone,
                                                recordTrades: true)
        var trades = 0, hedgeTrades = 0
        for (k, p) in sets.enumerated() {
            let strategy = try RSI2(["rsi_period": .int(p.rsi2.rsiPeriod), "entry": .real(p.rsi2.entry), "exit": .real(p.rsi2.exit),
                                     "stop_loss": .real(p.rsi2.stopLoss), "position_size": .real(p.rsi2.positionSize),
                                     "filter_vwap": .bool(p.rsi2.filters.vwap), "filter_trend": .bool(p.rsi2.filters.trend),
                                     "trend_period": .int(p.rsi2.filters.trendPeriod), "min_volume": .real(p.rsi2.filters.minVolume),
                                     "filter_bollinger": .bool(p.rsi2.filters.bollinger), "bb_period": .int(p.rsi2.filters.bbPeriod),
                                     "bb_std": .real(p.rsi2.filters.bbStd), "hedge_size": .real(p.hedge.size),
                                     "hedge_entry": .real(p.hedge.entry), "hedge_exit": .real(p.hedge.exit)],
                                    hedgeSymbol: hedge.symbol)
            let e = try Backtest.run(strategy, data: data, config: config)
            let ctx = "\(traded.symbol)/\(hedge.symbol) \(p) \(label) \(config.fillTiming)"
            let closed = e.closedTrades
            let em = KernelStatistics.metrics(equity: e.equity.equity, initialCash: config.initialCash, trades: closed.count,
                                              wins: closed.filter { $0.netPnL > 0 }.count)
            expectKernelEqualsEngine(trades: runs[k].trades, metrics: runs[k].metrics, engine: e, engineMetrics: em, interval: traded.interval,
                                     sameBars: { $0.entryBar == $1.entryStep && $0.exitBar == $1.exitStep }, context: ctx)
            #expect(runs[k].tradeSymbols.map { data.symbols[$0] } == closed.map(\.symbol), "\(ctx): trade symbols")
            trades += closed.count
            hedgeTrades += closed.filter { $0.symbol == hedge.symbol }.count
        }
        return (trades, hedgeTrades)
    }

    /// A volume cap that would split a fill: the kernel refuses the batch (the optimizer then runs the engine) instead
    /// of answering differently from the engine's partial fills.
    @Test func aVolumeCapThatSplitsAFillSendsTheBatchToTheEngine() throws {
        let s = try SampleBars.eqkerDaily("AAPL")
        var config = BacktestConfig(initialCash: 1e9)
        config.volumeParticipation = 0.0001
        let d = try StrategyCatalog.builtIn.named("ema-cross")
        let kernel = try #require(d.kernel)
        let p = try d.parameters(["fast": "5", "slow": "20"])
        #expect(kernel.supports(p, config: config, data: MarketDataset([s])))
        #expect(try #require(kernel.prepare(s)).evaluate([p], config, 1) == nil)
        #expect(throws: KernelError.unsupportedData(KernelAccount.splitFillReason)) {
            try RSI2Kernel.evaluate(series: s, parameters: [RSI2Kernel.Parameters()], initialCash: 1e9, account: KernelAccount(config))
        }
        // The same settings with a cap the orders stay under: the kernel answers.
        config.initialCash = 10_000
        config.volumeParticipation = 0.01
        #expect(try #require(kernel.prepare(s)).evaluate([p], config, 1)?.count == 1)
    }

    /// Flattening at the close on daily bars (each bar its own session) cancels every next-open order in the engine:
    /// the daily kernels, which do not model it, leave it to the engine.
    @Test func flatteningAtEachDailyCloseIsLeftToTheEngine() throws {
        let s = try SampleBars.eqkerDaily("SPY")
        var config = BacktestConfig()
        config.session.flattenAtClose = true
        for name in ["ema-cross", "donchian-breakout", "rsi2", "sma-cross"] {
            let d = try StrategyCatalog.builtIn.named(name)
            let kernel = try #require(d.kernel)
            let p = try d.parameters([:])
            #expect(kernel.supports(p, config: BacktestConfig(), data: MarketDataset([s])), "\(name)")
            #expect(!kernel.supports(p, config: config, data: MarketDataset([s])), "\(name)")
        }
        let d = try StrategyCatalog.builtIn.named("ema-cross")
        let flattened = try d.run(try d.parameters([:]), MarketDataset([s]), config)
        let plain = try d.run(try d.parameters([:]), MarketDataset([s]), BacktestConfig())
        #expect(flattened.closedTrades.count != plain.closedTrades.count)
    }

    /// The kernels that do not model the account still send margin, interest and a volume cap to the engine, saying so.
    @Test func kernelsWithoutTheAccountNameTheSetting() throws {
        var config = BacktestConfig()
        Self.margin(0.5)(&config)
        let sma = try #require(try StrategyCatalog.builtIn.named("sma-cross").kernel)
        #expect(sma.unsupportedReason(try StrategyCatalog.builtIn.named("sma-cross").parameters([:]), config: config)?.contains("--margin") == true)
        let ema = try #require(try StrategyCatalog.builtIn.named("ema-cross").kernel)
        #expect(ema.unsupportedReason(try StrategyCatalog.builtIn.named("ema-cross").parameters([:]), config: config) == nil)
        config.warmup = 5
        #expect(ema.unsupportedReason(try StrategyCatalog.builtIn.named("ema-cross").parameters([:]), config: config)?.contains("--warmup") == true)
    }
}
