import Testing
import TradewindCore
import TradewindStrategies

/// The fast intraday kernel against the bar-by-bar reference, on random grids.
@Suite struct IntradayKernelExactnessTests {
    static func randomGrid(_ rng: inout TestRandom, stops: Bool) throws -> IntradayGrid {
        func pick(_ n: Int, _ lo: Double, _ hi: Double) -> [Double] {
            (0..<n).map { _ in ((lo + (hi - lo) * rng.uniform()) * 100).rounded() / 100 }
        }
        let times = [600] + (0..<Int(rng.next() % 3)).map { _ in 571 + Int(rng.next() % 388) }
        return try IntradayGrid(
            buyTriggers: pick(1 + Int(rng.next() % 6), -1.5, 2.5),
            sellTriggers: pick(1 + Int(rng.next() % 6), 0.05, 2.5),
            stopLosses: stops ? [0] + pick(Int(rng.next() % 4), 0.05, 2.0) : [0],
            buyTimes: times, compound: [true, false])
    }

    static func check(_ data: IntradaySessionData, seed: UInt64, rounds: Int, label: String) throws {
        var rng = TestRandom(seed: seed)
        for round in 0..<rounds {
            for rule in IntradayEntryRule.allCases {
                let grid = try randomGrid(&rng, stops: true)
                let costs = round % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0005 * rng.uniform(), slippageBps: 5 * rng.uniform())
                let fast = try IntradayKernel.evaluate(rule: rule, data: data, grid: grid, initialCash: 10_000, costs: costs,
                                                       recordTrades: true)
                let slow = try IntradayBruteForce.evaluate(rule: rule, data: data, grid: grid, initialCash: 10_000, costs: costs,
                                                           recordTrades: true)
                expectSameResults(fast, slow, context: "\(label) \(rule.rawValue) round \(round)")
            }
        }
    }

    @Test func kernelMatchesBarByBarReferenceOnEveryEqkerMinuteSymbol() throws {
        var trades = 0
        for (k, symbol) in SampleBars.eqkerSymbols.enumerated() {
            let data = try IntradaySessionData(series: SampleBars.eqkerMinute(symbol))
            try Self.check(data, seed: UInt64(100 + k), rounds: 4, label: symbol)
            let g = try IntradayGrid(buyTriggers: [-0.5, 0, 0.3], sellTriggers: [0.2, 1], stopLosses: [0, 0.3])
            trades += Int(try IntradayKernel.evaluate(rule: .momentum, data: data, grid: g).trades.reduce(0, +))
        }
        #expect(trades > 100)   // the comparison is not vacuous: the sample trades
    }

    @Test func kernelMatchesBarByBarReferenceOnSyntheticSessionsWithEarlyClosesAndGaps() throws {
        // 2019-11-01 … 2020-01-10 holds the 13:00 early closes of 2019-11-29 and 2019-12-24.
        let from = CivilDate(year: 2019, month: 11, day: 1)!, to = CivilDate(year: 2020, month: 1, day: 10)!
        let complete = try IntradaySessionData(series: SyntheticMinuteBars.generate(symbol: "SYN", seed: 7, from: from, to: to))
        try Self.check(complete, seed: 1, rounds: 3, label: "synthetic")
        let gappy = try IntradaySessionData(series: SyntheticMinuteBars.generate(
            symbol: "GAP", seed: 8, from: from, to: to, tick: 0.05, missingFraction: 0.2))
        try Self.check(gappy, seed: 2, rounds: 3, label: "synthetic with missing minutes")
        // Wide bars: one bar often touches the target and the stop for the first time together (the stop wins
        // unless the bar opens at or above the target), and bars often open beyond either level.
        let wild = try IntradaySessionData(series: SyntheticMinuteBars.generate(
            symbol: "WILD", seed: 9, from: from, to: to, minuteVolatility: 0.006))
        try Self.check(wild, seed: 3, rounds: 3, label: "synthetic wide bars")
    }

    @Test func universeEvaluationInParallelEqualsOneSymbolAtATime() throws {
        let universe = try ["AAPL", "SPY", "TSLA", "PPLT"].map { try IntradaySessionData(series: SampleBars.eqkerMinute($0)) }
        let grid = try IntradayGrid(buyTriggers: [-0.5, 0, 0.5, 1], sellTriggers: [0.1, 0.5, 2], stopLosses: [0, 0.5],
                                    buyTimes: [600, 630], compound: [true, false])
        let costs = KernelCosts(commission: 0.0002, slippageBps: 1)
        let all = try IntradayKernel.evaluate(rule: .momentum, universe: universe, grid: grid, costs: costs, threads: 3)
        for (k, data) in universe.enumerated() {
            let one = try IntradayKernel.evaluate(rule: .momentum, data: data, grid: grid, costs: costs)
            #expect(all[k].finalEquity == one.finalEquity && all[k].trades == one.trades && all[k].sharpe == one.sharpe)
        }
    }
}
