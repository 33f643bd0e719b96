import Testing
import TradewindCore
import TradewindData
@testable import TradewindReports

@Suite struct BenchmarkCurveTests {
    static let bars = BarSeries(symbol: "X", interval: .daily, time: [10, 20, 30, 40], open: [1, 2, 2, 4], high: [1, 2, 2, 4],
                                low: [1, 2, 2, 4], close: [100, 110, 99, 121], volume: [1, 1, 1, 1])

    @Test func followsTheCloseFromTheFirstTime() {
        let b = BenchmarkCurve.buyAndHold(Self.bars, on: [10, 20, 30, 40], capital: 1_000)
        #expect(b.values == [1_000, 1_100, 990, 1_210])
    }

    @Test func carriesTheLastCloseAcrossMissingBarsAndWaitsForTheFirstBar() {
        let b = BenchmarkCurve.buyAndHold(Self.bars, on: [5, 25, 35, 45], capital: 1_000)
        #expect(b.values == [1_000, 1_100, 990, 1_210])
        let later = BenchmarkCurve.buyAndHold(Self.bars, on: [25, 40], capital: 1_000)
        #expect(later.values == [1_000, 1_100])
    }

    @Test func splitsDoNotShowAsLosses() {
        var bars = Self.bars
        bars.close = [100, 110, 55, 60.5]
        bars.splitCoefficient = [1, 1, 2, 1]
        let b = BenchmarkCurve.buyAndHold(bars, on: bars.time, capital: 1_000)
        #expect(b.values.map { ($0 * 1e6).rounded() / 1e6 } == [1_000, 1_100, 1_100, 1_210])
    }
}
