import Testing
import TradewindCore
@testable import TradewindStrategies

/// Kernels refuse bars with a price that is not a finite positive number, naming the bar; the vectorised check
/// must catch a bad value in any column and at any position (inside the four-lane blocks and in the tail).
@Suite struct KernelInputCheckTests {
    private func series(count: Int) -> BarSeries {
        let time = (0..<count).map { UnixTime.midnightUTC(CivilDate(year: 2024, month: 1, day: 1)!.adding(days: $0)) }
        let close = (0..<count).map { 100 + Double($0 % 7) }
        return BarSeries(symbol: "T", interval: .daily, time: time, open: close, high: close.map { $0 + 1 },
                         low: close.map { $0 - 1 }, close: close, volume: Array(repeating: 1, count: count))
    }

    @Test func cleanPricesPass() throws {
        for n in [0, 1, 3, 4, 5, 31] {
            #expect(IntradaySessionData.pricesArePositiveNumbers(series(count: n)))
            try IntradaySessionData.checkPrices(series(count: n))
        }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 0, -0.0, -1, -.leastNonzeroMagnitude])
    func anyBadPriceAnywhereIsRefusedWithItsBar(bad: Double) {
        for n in [1, 4, 7, 13] {
            for position in 0..<n {
                for column in 0..<4 {
                    var s = series(count: n)
                    switch column {
                    case 0: s.open[position] = bad
                    case 1: s.high[position] = bad
                    case 2: s.low[position] = bad
                    default: s.close[position] = bad
                    }
                    #expect(!IntradaySessionData.pricesArePositiveNumbers(s))
                    #expect(throws: KernelError.self) { try IntradaySessionData.checkPrices(s) }
                    do {
                        try IntradaySessionData.checkPrices(s)
                    } catch {
                        #expect(error.description.contains("bar \(position) "))
                    }
                }
            }
        }
    }

    @Test func theSmaCrossKernelRefusesABadClose() {
        var s = series(count: 50)
        s.close[37] = .nan
        #expect(throws: KernelError.self) {
            _ = try SMACrossKernel.evaluate(series: s, pairs: [.init(fast: 3, slow: 5)])
        }
    }
}
