import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindIndicators
import TradewindStrategies

struct TalibFixture: Decodable {
    let dates: [String]
    let close: [Double]
    let high: [Double]
    let low: [Double]
    let rsi2: [Double?]
    let rsi14: [Double?]
    let ema10: [Double?]
    let atr14: [Double?]
    let ema30: [Double?]
    let macd: [Double?]
    let macd_signal: [Double?]
    let bb_upper: [Double?]
    let bb_middle: [Double?]
    let bb_lower: [Double?]
    let donchian_high20: [Double?]
    let donchian_low10: [Double?]

    static func load() throws -> TalibFixture {
        let url = SampleBars.repoRoot.appendingPathComponent("Tests/Fixtures/strategies/talib_spy_daily.json")
        return try JSONDecoder().decode(TalibFixture.self, from: Data(contentsOf: url))
    }
}

/// Streaming indicators against TA-Lib 0.8.2 (Scripts/fixtures/strategies_talib.py), then `rsi2`'s rules checked
/// bar by bar against TA-Lib's RSI on eqker-daily SPY, alone and hedged with TZA.
@Suite struct RSI2Tests {
    static func same(_ ours: Double, _ theirs: Double?) -> Bool {
        guard let t = theirs else { return ours.isNaN }
        return abs(ours - t) <= 1e-9 * max(1, abs(t))
    }

    @Test func theStrategiesRSIEMAAndATRMatchTALib() throws {
        let f = try TalibFixture.load()
        var r2 = try RSI(timeperiod: 2), r14 = try RSI(timeperiod: 14), e10 = try EMA(timeperiod: 10), a14 = try ATR(timeperiod: 14)
        for i in 0..<f.close.count {
            #expect(Self.same(r2.update(f.close[i]) ?? .nan, f.rsi2[i]), "rsi2 at \(f.dates[i])")
            #expect(Self.same(r14.update(f.close[i]) ?? .nan, f.rsi14[i]), "rsi14 at \(f.dates[i])")
            #expect(Self.same(e10.update(f.close[i]) ?? .nan, f.ema10[i]), "ema10 at \(f.dates[i])")
            #expect(Self.same(a14.update(OHLCV(high: f.high[i], low: f.low[i], close: f.close[i])) ?? .nan, f.atr14[i]),
                    "atr14 at \(f.dates[i])")
        }
    }

    /// One indicator set: with `entry` set to exactly the RSI that `tradewind indicator RSI` prints at a bar, the
    /// comparison RSI ≤ entry decides on that bar by the last bit; rsi2 must enter exactly where that RSI says.
    @Test func rsi2TradesOnTheRSIThatTradewindIndicatorRSIPrintsBitForBit() throws {
        let spy = try SampleBars.eqkerDaily("SPY")
        let descriptor = try IndicatorRegistry.descriptor(named: "RSI")
        let rsi = try descriptor.compute(try IndicatorTable.inputs(for: descriptor, series: spy, zone: .newYork),
                                         parameters: ["timeperiod": 2])[0]
        let thresholdBars = stride(from: 20, to: spy.count, by: 37).filter { rsi[$0] > 1 && rsi[$0] < 60 }
        #expect(thresholdBars.count >= 5)
        var enteredOnTheThreshold = 0
        for k in thresholdBars {
            let entry = rsi[k]
            let strategy = try RSI2(parameters: StrategyCatalog.builtIn.named("rsi2").parameters(
                ["entry": String(entry), "exit": "70", "stop_loss": "0"]))
            let r = try Backtest.run(strategy, data: MarketDataset([spy]))
            let entries = Self.submitted(r, tag: "entry", symbol: 0)
            // Flat at the end of the bar before and no entry pending: an entry fills at the next open.
            var expected: [Int] = []
            for j in 0..<spy.count where rsi[j] <= entry && r.positions[0][j] == 0 && (j == 0 || !expected.contains(j - 1)) {
                expected.append(j)
            }
            #expect(entries == expected, "entry = \(entry)")
            if entries.contains(k) { enteredOnTheThreshold += 1 }
        }
        // Some thresholds decided their own bar (RSI == entry exactly), where one bit would have flipped the decision.
        #expect(enteredOnTheThreshold >= 2)
    }

    /// Steps of the orders with `tag` on `symbol`.
    static func submitted(_ r: BacktestResult, tag: String, symbol: Int) -> [Int] {
        r.orders.filter { $0.request.tag == tag && $0.symbol == symbol }.map(\.submittedStep)
    }

    @Test func rsi2EntersAndExitsExactlyOnItsRSIThresholdsWithAStop() throws {
        let f = try TalibFixture.load()
        let spy = try SampleBars.eqkerDaily("SPY")
        #expect(spy.close == f.close)
        let r = try Backtest.run(RSI2(), data: MarketDataset([spy]), config: BacktestConfig(initialCash: 100_000))
        let rsi = f.rsi2.map { $0 ?? .nan }
        let pos = r.positions[0]
        var expectedEntries: [Int] = [], expectedExits: [Int] = []
        for j in 0..<spy.count where !rsi[j].isNaN {
            if pos[j] == 0 && rsi[j] <= 30 { expectedEntries.append(j) }
            if pos[j] > 0 && rsi[j] >= 75 { expectedExits.append(j) }
        }
        #expect(!expectedEntries.isEmpty && !expectedExits.isEmpty)
        #expect(Self.submitted(r, tag: "entry", symbol: 0) == expectedEntries)
        #expect(Self.submitted(r, tag: "rsi-exit", symbol: 0) == expectedExits)
        // Every entry fills at the next open with 0.9 of the (all-cash) equity.
        for fill in r.fills where r.orders[fill.orderID].request.tag == "entry" {
            #expect(fill.price == spy.open[fill.step])
            #expect(abs(fill.quantity * fill.price - 0.9 * r.equity.cash[fill.step - 1]) <= 1e-6)
        }
        // Stops: at 95 % of the entry fill (or a lower open), only while long.
        for fill in r.fills where r.orders[fill.orderID].request.tag == "stop" {
            let entryFill = r.fills.last { $0.step < fill.step && r.orders[$0.orderID].request.tag == "entry" }!
            #expect(fill.price <= entryFill.price * 0.95 * (1 + 1e-12))
            #expect(fill.price == min(entryFill.price * 0.95, spy.open[fill.step]))
        }
        #expect(r.closedTrades.count >= 10)
    }

    @Test func rsi2HedgeOpensAtRSI90AndClosesAtRSI60InTheSecondSymbol() throws {
        let f = try TalibFixture.load()
        let data = MarketDataset([try SampleBars.eqkerDaily("SPY"), try SampleBars.eqkerDaily("TZA")])
        var strategy = try RSI2(hedgeSymbol: "TZA")
        let r = try Backtest.run(&strategy, data: data, config: BacktestConfig(initialCash: 100_000))
        #expect(r.symbols == ["SPY", "TZA"])
        let rsi = f.rsi2.map { $0 ?? .nan }
        let hedgePos = r.positions[1], spyPos = r.positions[0]
        var expectedOpen: [Int] = [], expectedClose: [Int] = []
        for j in 0..<rsi.count where !rsi[j].isNaN {
            if hedgePos[j] == 0 && rsi[j] >= 90 { expectedOpen.append(j) }
            if hedgePos[j] > 0 && rsi[j] <= 60 { expectedClose.append(j) }
        }
        #expect(expectedOpen.count >= 3)
        #expect(Self.submitted(r, tag: "hedge", symbol: 1) == expectedOpen)
        #expect(Self.submitted(r, tag: "hedge-exit", symbol: 1) == expectedClose)
        for fill in r.fills where r.orders[fill.orderID].request.tag == "hedge" {
            let share = fill.quantity * fill.price / r.equity.equity[fill.step - 1]
            #expect(share > 0.25 && share < 0.35, "hedge worth \(share) of equity")
        }
        // The traded symbol still follows its own RSI rules (entries may be refused when the hedge holds the cash).
        for o in r.orders where o.symbol == 0 && o.request.tag == "entry" {
            #expect(rsi[o.submittedStep] <= 30 && spyPos[o.submittedStep] == 0)
            if o.status == .rejected { #expect(o.reason.contains("insufficient cash")) }
        }
        #expect(r.closedTrades.contains { $0.symbol == "TZA" })
    }

    @Test func inconsistentThresholdsAndAMissingHedgeSymbolAreRejected() throws {
        #expect(throws: ParameterError.self) { try RSI2(["entry": .real(80), "exit": .real(70)]) }
        var s = try RSI2(hedgeSymbol: "NOPE")
        #expect(throws: (any Error).self) {
            try Backtest.run(&s, data: MarketDataset([try SampleBars.eqkerDaily("SPY"), try SampleBars.eqkerDaily("TZA")]))
        }
    }
}
