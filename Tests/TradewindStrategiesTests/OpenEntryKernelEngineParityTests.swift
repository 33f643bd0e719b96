import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// The engine is the reference for `open-10am`, `open-10am-stop` and `vwap-momentum` too: random parameter sets run
/// through the event-driven engine (`OpenTenAM`, `OpenTenAMStop`, `VWAPMomentum` on `OrderType.openIf`) and through
/// `IntradayKernel` must give the same trades, final equity and metrics (≤ 1e-9 relative), on the bundled eqker
/// minute bars and on synthetic sessions with missing minutes.
@Suite struct OpenEntryKernelEngineParityTests {
    enum Member: CaseIterable { case open10am, open10amStop, vwap }

    static func randomParameters(_ member: Member, _ rng: inout TestRandom) -> (IntradayParameters, reference: Int) {
        func r(_ lo: Double, _ hi: Double) -> Double { ((lo + (hi - lo) * rng.uniform()) * 1000).rounded() / 1000 }
        let times = [600, 600, 600, 571, 575, 630, 720, 900, 959]
        let buyTime = times[Int(rng.next() % UInt64(times.count))]
        let stop: Double
        switch member {
        case .open10am: stop = 0
        case .open10amStop: stop = r(0.02, 2)
        case .vwap: stop = rng.uniform() < 0.4 ? 0 : r(0.02, 2)
        }
        let trigger = member == .vwap ? r(-0.6, 0.6) : r(-1.2, 1.2)
        let refs = [570, 580, 580, 590, 600, 650].filter { $0 < buyTime }
        let reference = refs[Int(rng.next() % UInt64(refs.count))]
        return (IntradayParameters(buyTrigger: trigger, sellTrigger: r(0.02, 2.5), stopLoss: stop, buyTime: buyTime,
                                   compound: rng.uniform() < 0.6), reference)
    }

    static func engineRun(_ member: Member, _ p: IntradayParameters, reference: Int, series: BarSeries,
                          config: BacktestConfig) throws -> BacktestResult {
        let data = MarketDataset([series])
        switch member {
        case .open10am: return try Backtest.run(OpenTenAM(p), data: data, config: config)
        case .open10amStop: return try Backtest.run(OpenTenAMStop(p), data: data, config: config)
        case .vwap: return try Backtest.run(VWAPMomentum(p, referenceTime: reference), data: data, config: config)
        }
    }

    static func compare(_ member: Member, _ series: BarSeries, _ p: IntradayParameters, reference: Int, costs: KernelCosts,
                        label: String) throws -> Int {
        let cash = 10_000.0
        let data = try IntradaySessionData(series: series)
        let rule: IntradayEntryRule = member == .vwap ? .vwapMomentum : .openAbove
        let k = try IntradayKernel.evaluate(rule: rule, data: data, grid: IntradayGrid(p), initialCash: cash, costs: costs,
                                            referenceTime: reference, recordTrades: true)
        let e = try engineRun(member, p, reference: reference, series: series,
                              config: KernelEngineParityTests.engineConfig(costs, cash: cash))
        let km = k.metrics(at: 0), em = KernelEngineParityTests.engineMetrics(e, cash: cash)
        let kt = k.tradeLists![0], et = e.closedTrades
        let ctx = "\(member) \(label) \(p) reference \(reference) costs \(costs)"
        #expect(e.trades.allSatisfy { !$0.isOpen }, "\(ctx): open trade left")
        expectKernelEqualsEngine(trades: kt, metrics: km, engine: e, engineMetrics: em, interval: series.interval,
                                 sameBars: { series.time[$0.entryBar] == $1.entryTime && series.time[$0.exitBar] == $1.exitTime },
                                 context: ctx)
        // The brute-force reference agrees as well.
        let b = try IntradayBruteForce.evaluate(rule: rule, data: data, grid: IntradayGrid(p), initialCash: cash, costs: costs,
                                                referenceTime: reference)
        #expect(b.metrics(at: 0).trades == km.trades && relativeDifference(b.metrics(at: 0).finalEquity, km.finalEquity) <= 1e-12,
                "\(ctx): brute force \(b.metrics(at: 0)) vs kernel \(km)")
        return et.count
    }

    @Test(arguments: Member.allCases)
    func kernelEqualsEngineOnRandomParametersOnEqkerMinuteBars(_ member: Member) throws {
        var rng = TestRandom(seed: 2025 + UInt64(Member.allCases.firstIndex(of: member)!))
        var trades = 0
        for round in 0..<100 {
            let symbol = SampleBars.eqkerSymbols[round % SampleBars.eqkerSymbols.count]
            let costs = round % 3 == 0 ? KernelCosts.none
                : KernelCosts(commission: (rng.uniform() * 10).rounded() / 10_000, slippageBps: (rng.uniform() * 50).rounded() / 10)
            let (p, reference) = Self.randomParameters(member, &rng)
            trades += try Self.compare(member, SampleBars.eqkerMinute(symbol), p, reference: reference, costs: costs, label: symbol)
        }
        #expect(trades > (member == .vwap ? 50 : 100))   // not vacuous: the sample trades
    }

    @Test(arguments: Member.allCases)
    func kernelEqualsEngineOnRandomParametersOnSyntheticSessionsWithMissingMinutes(_ member: Member) throws {
        var rng = TestRandom(seed: 88 + UInt64(Member.allCases.firstIndex(of: member)!))
        let series = [
            try SyntheticMinuteBars.generate(symbol: "SYN", seed: 5, from: CivilDate(year: 2019, month: 11, day: 18)!,
                                             to: CivilDate(year: 2019, month: 12, day: 31)!),
            try SyntheticMinuteBars.generate(symbol: "GAPS", seed: 9, from: CivilDate(year: 2019, month: 11, day: 18)!,
                                             to: CivilDate(year: 2019, month: 12, day: 20)!, minuteVolatility: 0.002,
                                             tick: 0.05, missingFraction: 0.3),
        ]
        var trades = 0
        for round in 0..<60 {
            let costs = round % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0005, slippageBps: 2)
            let (p, reference) = Self.randomParameters(member, &rng)
            trades += try Self.compare(member, series[round % 2], p, reference: reference, costs: costs, label: series[round % 2].symbol)
        }
        #expect(trades > 100)
    }
}
