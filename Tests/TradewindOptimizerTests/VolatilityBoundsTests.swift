import Testing
import TradewindCore
@testable import TradewindOptimizer

struct BoundsFixture: Decodable {
    struct Case: Decodable {
        let symbol: String
        let dates: [String]
        let open, high, low, close: [Double]
        let median_atr_pct, upper_atr_pct, hoc95: Double
        let start, stop, step: String
        let days: Int
    }
    let cases: [Case]
}

@Suite struct VolatilityBoundsTests {
    @Test func boundsOnRealSeriesMatchNumpyAndTALib() throws {
        let fx = try loadFixture("volatility_bounds.json", as: BoundsFixture.self)
        for c in fx.cases {
            let times = c.dates.map { Int64(CivilDate(iso: $0)!.daysSinceEpoch) * 86_400_000_000_000 }
            let series = BarSeries(symbol: c.symbol, interval: .daily, time: times, open: c.open, high: c.high, low: c.low,
                                   close: c.close, volume: [Double](repeating: 0, count: c.close.count))
            let b = try VolatilityBounds(series: series, parameter: "buy_trigger")
            #expect(close(b.medianATRPercent, c.median_atr_pct, rel: 1e-10), "\(c.symbol)")
            #expect(close(b.upperATRPercent, c.upper_atr_pct, rel: 1e-10), "\(c.symbol)")
            #expect(close(b.highOverPreviousClose95, c.hoc95, rel: 1e-10), "\(c.symbol)")
            #expect(b.days == c.days)
            #expect(b.range.start.description == c.start, "\(c.symbol)")
            #expect(b.range.last.description == c.stop, "\(c.symbol)")
            #expect(b.range.step.description == c.step, "\(c.symbol)")
        }
    }

    @Test func shortOrBrokenSeriesAreErrors() {
        let s = BarSeries(symbol: "X", interval: .daily, time: Array(0..<10), open: .init(repeating: 1, count: 10),
                          high: .init(repeating: 1, count: 10), low: .init(repeating: 1, count: 10),
                          close: .init(repeating: 1, count: 10), volume: .init(repeating: 0, count: 10))
        #expect(throws: OptimizerError.self) { try VolatilityBounds(series: s, parameter: "t") }
    }

    @Test func niceStepsAreExactDecimals() {
        #expect(VolatilityBounds.niceStep(0.173)?.description == "0.2")
        #expect(VolatilityBounds.niceStep(0.21)?.description == "0.25")
        #expect(VolatilityBounds.niceStep(3.7)?.description == "5")
        #expect(VolatilityBounds.niceStep(7)?.description == "10")
        #expect(VolatilityBounds.niceStep(0.01)?.description == "0.01")
    }
}
