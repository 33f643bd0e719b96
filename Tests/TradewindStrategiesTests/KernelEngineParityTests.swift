import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// The engine is the reference: random parameter sets of `momentum` run through the event-driven engine and
/// through `IntradayKernel` must give the same trades, final equity and metrics (≤ 1e-9 relative).
@Suite struct KernelEngineParityTests {
    static func engineConfig(_ costs: KernelCosts, cash: Double) -> BacktestConfig {
        BacktestConfig(initialCash: cash, commission: .percentOfValue(costs.commission),
                       slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none,
                       session: SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true))
    }

    /// Session-close equity of an engine run (last step of each local day) and its metrics by the kernel's
    /// definitions (computed two-pass, independently of the kernel's running sums).
    static func engineMetrics(_ r: BacktestResult, cash: Double) -> KernelMetrics {
        var closes: [Double] = []
        let t = r.equity.time
        for i in 0..<t.count {
            let last = i == t.count - 1 || ZoneRules.newYork.localDate(of: t[i + 1]) != ZoneRules.newYork.localDate(of: t[i])
            if last { closes.append(r.equity.equity[i]) }
        }
        let closed = r.closedTrades
        return KernelStatistics.metrics(equity: closes, initialCash: cash, trades: closed.count,
                                        wins: closed.filter { $0.netPnL > 0 }.count)
    }

    static func randomParameters(_ rng: inout TestRandom) -> IntradayParameters {
        func r(_ lo: Double, _ hi: Double) -> Double { ((lo + (hi - lo) * rng.uniform()) * 1000).rounded() / 1000 }
        let times = [600, 600, 571, 630, 720, 900, 959]
        return IntradayParameters(buyTrigger: r(-1.5, 2.5), sellTrigger: r(0.02, 2.5),
                                  stopLoss: rng.uniform() < 0.4 ? 0 : r(0.02, 2),
                                  buyTime: times[Int(rng.next() % UInt64(times.count))], compound: rng.uniform() < 0.6)
    }

    static func compare(_ series: BarSeries, _ p: IntradayParameters, costs: KernelCosts, label: String) throws -> Int {
        let cash = 10_000.0
        let data = try IntradaySessionData(series: series)
        let k = try IntradayKernel.evaluate(rule: .momentum, data: data, grid: IntradayGrid(p), initialCash: cash, costs: costs,
                                            recordTrades: true)
        let e = try Backtest.run(Momentum(p), data: MarketDataset([series]), config: engineConfig(costs, cash: cash))
        let km = k.metrics(at: 0), em = engineMetrics(e, cash: cash)
        let kt = k.tradeLists![0], et = e.closedTrades
        let ctx = "\(label) \(p) costs \(costs)"
        #expect(e.trades.allSatisfy { !$0.isOpen }, "\(ctx): open trade left")
        expectKernelEqualsEngine(trades: kt, metrics: km, engine: e, engineMetrics: em, interval: series.interval,
                                 sameBars: { series.time[$0.entryBar] == $1.entryTime && series.time[$0.exitBar] == $1.exitTime },
                                 context: ctx)
        return et.count
    }

    @Test func momentumKernelEqualsEngineOnRandomParametersOnEqkerMinuteBars() throws {
        var rng = TestRandom(seed: 2024)
        var trades = 0
        for round in 0..<240 {
            let symbol = SampleBars.eqkerSymbols[round % SampleBars.eqkerSymbols.count]
            let costs = round % 3 == 0 ? KernelCosts.none
                : KernelCosts(commission: (rng.uniform() * 10).rounded() / 10_000, slippageBps: (rng.uniform() * 50).rounded() / 10)
            trades += try Self.compare(SampleBars.eqkerMinute(symbol), Self.randomParameters(&rng), costs: costs, label: symbol)
        }
        #expect(trades > 200)
    }

    @Test func momentumKernelEqualsEngineOnRandomParametersOnSyntheticSessions() throws {
        var rng = TestRandom(seed: 77)
        let series = [
            try SyntheticMinuteBars.generate(symbol: "SYN", seed: 5, from: CivilDate(year: 2019, month: 11, day: 18)!,
                                             to: CivilDate(year: 2019, month: 12, day: 31)!),
            try SyntheticMinuteBars.generate(symbol: "WILD", seed: 6, from: CivilDate(year: 2019, month: 11, day: 18)!,
                                             to: CivilDate(year: 2019, month: 12, day: 6)!, minuteVolatility: 0.004, tick: 0.05),
        ]
        var trades = 0
        for round in 0..<120 {
            let costs = round % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0005, slippageBps: 2)
            trades += try Self.compare(series[round % 2], Self.randomParameters(&rng), costs: costs, label: series[round % 2].symbol)
        }
        #expect(trades > 300)
    }

    /// Whole shares, per-share commissions with a minimum, fixed and capped commissions, spread slippage: the
    /// per-combination pass with the engine's own cost models (`KernelAccount`), in both sizing modes.
    @Test func momentumEqualsEngineUnderEveryCostSettingThroughThePerCombinationPass() throws {
        var rng = TestRandom(seed: 4242)
        let accounts = [KernelAccount(wholeShares: true), KernelAccount(commission: CommissionModel(perShare: 0.005, minimum: 1)),
                        KernelAccount(commission: CommissionModel(percent: 0.0005, fixed: 1.5, maximum: 10), slippage: .halfSpread(0.02)),
                        KernelAccount(commission: CommissionModel(perShare: 0.01, maximumPercent: 0.002), slippage: .basisPoints(2),
                                      wholeShares: true)]
        let cash = 10_000.0
        var trades = 0
        for round in 0..<48 {
            let symbol = SampleBars.eqkerSymbols[round % SampleBars.eqkerSymbols.count]
            let series = try SampleBars.eqkerMinute(symbol)
            let account = accounts[round % accounts.count]
            let p = Self.randomParameters(&rng)
            let data = try IntradaySessionData(series: series)
            let k = try IntradayBruteForce.evaluate(rule: .momentum, data: data, grid: IntradayGrid(p), initialCash: cash,
                                                    account: account, recordTrades: true)
            var config = Self.engineConfig(.none, cash: cash)
            config.commission = account.commission
            config.slippage = account.slippage
            config.wholeShares = account.wholeShares
            let e = try Backtest.run(Momentum(p), data: MarketDataset([series]), config: config)
            let ctx = "\(symbol) \(p) \(account)"
            #expect(e.trades.allSatisfy { !$0.isOpen }, "\(ctx): open trade left")
            expectKernelEqualsEngine(trades: k.tradeLists![0], metrics: k.metrics(at: 0), engine: e,
                                     engineMetrics: Self.engineMetrics(e, cash: cash), interval: series.interval,
                                     sameBars: { series.time[$0.entryBar] == $1.entryTime && series.time[$0.exitBar] == $1.exitTime },
                                     context: ctx)
            trades += e.closedTrades.count
        }
        #expect(trades > 50)
    }

    /// Real SPY minute bars of 2011 with pre- and after-market bars (pyalgotrade sample): only regular-hours bars
    /// take part in either implementation.
    @Test func momentumKernelEqualsEngineOnSPY2011MinuteBarsWithExtendedHours() throws {
        let spy = try DataSource.sample("spy-1m-2011").load().series[0]
        var rng = TestRandom(seed: 2011)
        var trades = 0
        for round in 0..<24 {
            var p = Self.randomParameters(&rng)
            p.buyTrigger = (p.buyTrigger * 0.4 * 1000).rounded() / 1000
            let costs = round % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0003, slippageBps: 1)
            trades += try Self.compare(spy, p, costs: costs, label: "SPY-2011")
        }
        #expect(trades > 100)
    }
}
