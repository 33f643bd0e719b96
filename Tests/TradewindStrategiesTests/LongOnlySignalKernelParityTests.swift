import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `LongOnlySignalKernel` (ema-cross, macd-cross, bollinger-reversion, donchian-breakout) against the engine's runs
/// of the same strategies on random parameter sets, next-open and close fills, with and without costs: the same
/// closed trades, final equity and every figure of the engine's summary (1e-9).
@Suite struct LongOnlySignalKernelParityTests {
    static func randomParameters(_ name: String, _ rng: inout TestRandom) -> [String: String] {
        func int(_ lo: Int, _ hi: Int) -> String { String(lo + Int(rng.next() % UInt64(hi - lo + 1))) }
        switch name {
        case "ema-cross":
            let fast = 2 + Int(rng.next() % 25)
            return ["fast": String(fast), "slow": String(fast + 1 + Int(rng.next() % 60))]
        case "macd-cross":
            let fast = 2 + Int(rng.next() % 20)
            return ["fast": String(fast), "slow": String(fast + 1 + Int(rng.next() % 40)), "signal": int(1, 15)]
        case "bollinger-reversion":
            return ["period": int(2, 60), "std": String(((0.5 + 2.5 * rng.uniform()) * 100).rounded() / 100)]
        default:
            return ["entry_period": int(2, 60), "exit_period": int(2, 40), "atr_period": int(1, 30),
                    "atr_multiple": rng.uniform() < 0.25 ? "0" : String(((0.5 + 4 * rng.uniform()) * 10).rounded() / 10)]
        }
    }

    /// Runs `rounds` random parameter sets of `name` on `series`; returns the number of closed trades compared.
    static func check(_ name: String, _ series: BarSeries, rounds: Int, seed: UInt64,
                      settings: ((inout BacktestConfig) -> Void)? = nil) throws -> Int {
        let d = try StrategyCatalog.builtIn.named(name)
        let kernel = try #require(d.kernel)
        let prepared = try #require(kernel.prepare(series))
        var rng = TestRandom(seed: seed)
        var trades = 0
        for round in 0..<rounds {
            let values = randomParameters(name, &rng)
            let p = try d.parameters(values)
            let costs = round % 3 == 0 ? KernelCosts.none
                : KernelCosts(commission: (rng.uniform() * 20).rounded() / 10_000, slippageBps: (rng.uniform() * 40).rounded() / 10)
            let fill: FillTiming = round % 2 == 0 ? .nextOpen : .signalClose
            var config = BacktestConfig(initialCash: 30_000, commission: .percentOfValue(costs.commission),
                                        slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none, fillTiming: fill)
            settings?(&config)
            #expect(kernel.supports(p, config: config, data: MarketDataset([series])))
            let km = try #require(prepared.evaluate([p], config, 1)?.first)
            let e = try d.run(p, MarketDataset([series]), config)
            let closed = e.closedTrades
            let ctx = "\(name) \(series.symbol) \(values) \(config.commission) \(config.slippage) whole \(config.wholeShares) \(fill)"
            #expect(km.trades == closed.count && km.wins == closed.filter { $0.netPnL > 0 }.count,
                    "\(ctx): \(km.trades) kernel trades vs \(closed.count)")
            #expect(relativeDifference(km.finalEquity, e.finalEquity) <= 1e-9, "\(ctx): equity \(km.finalEquity) vs \(e.finalEquity)")
            if let why = summaryDifference(km.summary, KernelSummary(engine: BacktestSummary(result: e, interval: series.interval)),
                                           tolerance: 1e-9) {
                Issue.record("\(ctx): \(why)")
            }
            trades += closed.count
        }
        return trades
    }

    static let strategies = ["ema-cross", "macd-cross", "bollinger-reversion", "donchian-breakout"]

    @Test(arguments: strategies)
    func kernelEqualsEngineOnRandomParametersOnEqkerDaily(_ name: String) throws {
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() where k % 3 == 0 {
            trades += try Self.check(name, SampleBars.eqkerDaily(symbol), rounds: 6, seed: UInt64(31 + k))
        }
        #expect(trades > 100, "\(name): \(trades) trades")
    }

    /// Whole shares, per-share commissions with a minimum, fixed and capped commissions, spread slippage: the
    /// kernel uses the engine's own cost models.
    @Test(arguments: strategies)
    func kernelEqualsEngineUnderEveryCostSetting(_ name: String) throws {
        let variants: [(String, (inout BacktestConfig) -> Void)] = [
            ("whole shares", { $0.wholeShares = true }),
            ("per share + minimum", { $0.commission = CommissionModel(perShare: 0.005, minimum: 1) }),
            ("fixed + percent, capped", { $0.commission = CommissionModel(percent: 0.0008, fixed: 2.5, maximum: 20) }),
            ("spread, whole shares, per share", { $0.slippage = .halfSpread(0.04); $0.wholeShares = true
                                                   $0.commission = CommissionModel(perShare: 0.01, maximumPercent: 0.005) }),
        ]
        let series = try SampleBars.eqkerDaily("AAPL")
        var trades = 0
        for (k, (label, settings)) in variants.enumerated() {
            let n = try Self.check(name, series, rounds: 4, seed: UInt64(200 + k), settings: settings)
            #expect(n > 0, "\(name) \(label): no trades")
            trades += n
        }
        #expect(trades > 40, "\(name): \(trades) trades")
        // Each of these is within the kernel's coverage.
        var whole = BacktestConfig()
        whole.wholeShares = true
        let d = try StrategyCatalog.builtIn.named(name)
        #expect(d.kernel?.supports(try d.parameters([:]), config: whole) == true)
    }

    @Test(arguments: strategies)
    func kernelEqualsEngineOnRandomParametersOnSyntheticDaily(_ name: String) throws {
        let market = try SyntheticMarket(seed: 9).generate(symbols: 2, from: CivilDate(year: 2014, month: 1, day: 1)!,
                                                           to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .daily)
        var trades = 0
        for (k, s) in market.series.enumerated() {
            trades += try Self.check(name, s, rounds: 10, seed: UInt64(91 + k))
        }
        #expect(trades > 100, "\(name): \(trades) trades")
    }
}
