import Testing
import TradewindCore
import TradewindIndicators
@testable import TradewindEngine

/// Indicators a strategy registers once: the context feeds each symbol's bars before `onBar`, hands out the latest
/// value, and keeps the values for reports.
@Suite struct RegisteredIndicatorTests {
    /// Registers RSI(3) of the close and ATR(4) of the bars, and records what `value` says on every bar.
    struct Recorder: Strategy {
        var rsi: IndicatorHandle<RSI>?
        var atr: IndicatorHandle<ATR>?
        var seenRSI: [[Double]] = [[], []]
        var seenATR: [[Double]] = [[], []]

        mutating func onStart(_ context: some TradingContext) throws {
            rsi = context.register(try RSI(timeperiod: 3), name: "RSI(3)", pane: .separate)
            atr = context.register(try ATR(timeperiod: 4), name: "ATR(4)", pane: .separate)
        }

        mutating func onBar(_ context: some TradingContext) throws {
            for s in 0..<context.symbolCount where context.hasBar(s) {
                seenRSI[s].append(context.value(rsi!, s) ?? .nan)
                seenATR[s].append(context.value(atr!, s) ?? .nan)
            }
        }
    }

    static func series(_ symbol: String, days: [Int], seed: UInt64) -> BarSeries {
        var rng = SplitMix64(seed: seed)
        var price = 100.0
        var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = []
        for _ in days {
            let open = price
            price *= 1 + Double.random(in: -0.03...0.03, using: &rng)
            o.append(open); c.append(price)
            h.append(max(open, price) * 1.01); l.append(min(open, price) * 0.99)
        }
        let d0 = CivilDate(year: 2024, month: 1, day: 2)!
        return BarSeries(symbol: symbol, interval: .daily, time: days.map { UnixTime.midnightUTC(d0.adding(days: $0)) },
                         open: o, high: h, low: l, close: c, volume: [Double](repeating: 1_000, count: days.count))
    }

    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test func eachSymbolsIndicatorsSeeOnlyItsOwnBarsAndEqualTheBatchValues() throws {
        // B has gaps: on the steps where it has no bar its indicators are not fed.
        let a = Self.series("A", days: Array(0..<60), seed: 1)
        let b = Self.series("B", days: Array(0..<60).filter { $0 % 7 != 3 }, seed: 2)
        var strategy = Recorder()
        let result = try Backtest.run(&strategy, data: MarketDataset([a, b]))
        for (s, bars) in [a, b].enumerated() {
            let rsi = try RSI(timeperiod: 3).batch(bars.close)[0]
            let atr = try ATR(timeperiod: 4).batch(PriceColumns(open: bars.open, high: bars.high, low: bars.low, close: bars.close))[0]
            #expect(Self.same(strategy.seenRSI[s], rsi), "RSI of \(bars.symbol)")
            #expect(Self.same(strategy.seenATR[s], atr), "ATR of \(bars.symbol)")
            let kept = try #require(result.indicators.first { $0.symbol == s && $0.name == "RSI(3)" })
            #expect(kept.time == bars.time && Self.same(kept.values[0], rsi) && kept.pane == .separate)
        }
        #expect(result.indicators.count == 4)
    }

    @Test func aHandleFromAnotherRunOrOfAnotherTypeReadsNothing() throws {
        struct Prober: Strategy {
            var foreign: Double?? = .none
            mutating func onStart(_ context: some TradingContext) throws {
                _ = context.register(try SMA(timeperiod: 2), name: "SMA(2)", pane: .price)
            }
            mutating func onBar(_ context: some TradingContext) throws {
                foreign = .some(context.value(IndicatorHandle<EMA>(index: 0), 0) ?? context.value(IndicatorHandle<SMA>(index: 9), 0))
            }
        }
        var p = Prober()
        _ = try Backtest.run(&p, data: MarketDataset([Self.series("A", days: Array(0..<5), seed: 3)]))
        #expect(p.foreign == .some(nil))
    }

    @Test func aStrategyThatRegistersNothingRecordsNothing() throws {
        let r = try run(daily(flat(10, 5))) { _ in }
        #expect(r.indicators.isEmpty)
    }
}
