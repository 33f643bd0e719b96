import Testing
import TradewindCore
import TradewindEngine
import TradewindIndicators
import TradewindStrategies

/// The classics' indicators against TA-Lib/pandas (fixture), then each strategy's orders on eqker-daily SPY
/// against the signals those reference values imply, bar by bar.
@Suite struct ClassicStrategyTests {
    static func values(_ a: [Double?]) -> [Double] { a.map { $0 ?? .nan } }

    @Test func theStrategiesMACDBollingerDonchianAndEMAMatchTheReferences() throws {
        let f = try TalibFixture.load()
        var macd = try MACD(fastperiod: 12, slowperiod: 26, signalperiod: 9), bb = try BBANDS(timeperiod: 20)
        var high20 = try DONCHIAN(timeperiod: 20), low10 = try DONCHIAN(timeperiod: 10), ema30 = try EMA(timeperiod: 30)
        // The breakout strategy compares each bar with the channel of the bars before it: the previous output.
        var priorHigh = Double.nan, priorLow = Double.nan
        for i in 0..<f.close.count {
            let m = macd.update(f.close[i])
            #expect(RSI2Tests.same(m?.macd ?? .nan, f.macd[i]) && RSI2Tests.same(m?.macdsignal ?? .nan, f.macd_signal[i]),
                    "macd at \(f.dates[i])")
            let b = bb.update(f.close[i])
            #expect(RSI2Tests.same(b?.middleband ?? .nan, f.bb_middle[i]) && RSI2Tests.same(b?.lowerband ?? .nan, f.bb_lower[i])
                    && RSI2Tests.same(b?.upperband ?? .nan, f.bb_upper[i]), "bbands at \(f.dates[i])")
            let bar = OHLCV(high: f.high[i], low: f.low[i], close: f.close[i])
            #expect(RSI2Tests.same(priorHigh, f.donchian_high20[i]) && RSI2Tests.same(priorLow, f.donchian_low10[i]),
                    "donchian at \(f.dates[i])")
            priorHigh = high20.update(bar)?.upperband ?? .nan
            priorLow = low10.update(bar)?.lowerband ?? .nan
            #expect(RSI2Tests.same(ema30.update(f.close[i]) ?? .nan, f.ema30[i]))
        }
    }

    /// Runs `strategy` on SPY daily and checks that entries are submitted exactly on the bars where the
    /// position is flat and `buy(j)` holds, and exits exactly where it is long and `sell(j)` holds.
    static func check<S: Strategy>(_ strategy: S, buy: (Int) -> Bool, sell: (Int) -> Bool,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws -> BacktestResult {
        let spy = try SampleBars.eqkerDaily("SPY")
        let r = try Backtest.run(strategy, data: MarketDataset([spy]))
        let pos = r.positions[0]
        let entries = (0..<spy.count).filter { pos[$0] == 0 && buy($0) }
        let exits = (0..<spy.count).filter { pos[$0] > 0 && sell($0) }
        #expect(!entries.isEmpty && !exits.isEmpty, sourceLocation: sourceLocation)
        #expect(RSI2Tests.submitted(r, tag: "entry", symbol: 0) == entries, sourceLocation: sourceLocation)
        #expect(RSI2Tests.submitted(r, tag: "exit", symbol: 0) == exits, sourceLocation: sourceLocation)
        for fill in r.fills where r.orders[fill.orderID].request.tag == "entry" {
            #expect(fill.price == spy.open[fill.step], sourceLocation: sourceLocation)
        }
        return r
    }

    static func crossed(_ a: [Double], _ b: [Double], _ j: Int) -> Bool {
        j > 0 && a[j] > b[j] && a[j - 1] < b[j - 1]
    }

    @Test func emaCrossTradesTheCrossingsOfTALibEMAs() throws {
        let f = try TalibFixture.load()
        let fast = Self.values(f.ema10), slow = Self.values(f.ema30)
        _ = try Self.check(EMACross(fast: 10, slow: 30), buy: { Self.crossed(fast, slow, $0) }, sell: { Self.crossed(slow, fast, $0) })
    }

    @Test func macdCrossTradesTheCrossingsOfTALibMACDAndSignal() throws {
        let f = try TalibFixture.load()
        let m = Self.values(f.macd), s = Self.values(f.macd_signal)
        _ = try Self.check(MACDCross(), buy: { Self.crossed(m, s, $0) }, sell: { Self.crossed(s, m, $0) })
    }

    @Test func bollingerReversionBuysBelowTheLowerBandAndSellsAtTheMiddle() throws {
        let f = try TalibFixture.load()
        let lower = Self.values(f.bb_lower), middle = Self.values(f.bb_middle)
        _ = try Self.check(BollingerReversion(), buy: { f.close[$0] < lower[$0] }, sell: { f.close[$0] >= middle[$0] })
    }

    @Test func donchianBreakoutBuysNewHighsExitsOnTheLowChannelOrItsATRStop() throws {
        let f = try TalibFixture.load()
        let high = Self.values(f.donchian_high20), low = Self.values(f.donchian_low10), atr = Self.values(f.atr14)
        let r = try Self.check(DonchianBreakout(), buy: { f.close[$0] > high[$0] }, sell: { f.close[$0] < low[$0] })
        let spy = try SampleBars.eqkerDaily("SPY")
        for fill in r.fills where r.orders[fill.orderID].request.tag == "atr-stop" {
            let entry = r.fills.last { $0.step < fill.step && r.orders[$0.orderID].request.tag == "entry" }!
            let level = entry.price - 2 * atr[r.orders[entry.orderID].submittedStep]
            #expect(fill.price == min(level, spy.open[fill.step]))
        }
    }
}
