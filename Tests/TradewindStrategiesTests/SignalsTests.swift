import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindStrategies

@Suite struct SignalsTests {
    @Test func signalsFromCSVTradeOnTheFirstBarOnOrAfterEachSignal() throws {
        let csv = """
            date,symbol,signal
            2019-01-07,SPY,buy
            2019-01-19,SPY,sell
            2019-02-04T15:30:00Z,SPY,1
            2019-02-11,SPY,0
            2019-02-12T10:00:00-05:00,SPY,exit
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tw-signals-\(UUID().uuidString).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let spy = try SampleBars.eqkerDaily("SPY")
        let r = try Backtest.run(SignalStrategy(file: url.path), data: MarketDataset([spy]))
        let stamp = { (step: Int) in "\(ZoneRules.newYork.localDate(of: spy.time[step]))" }
        // Orders are placed on the close of the bar the signal reaches and fill at the next open:
        // buy 01-07 → fills 01-08; sell 2019-01-19 is a Saturday → first bar 01-22, fills 01-23;
        // 02-04 15:30Z is 10:30 New York, after that day's bar starts (09:30) → first bar 02-05, fills 02-06;
        // the 0 line is ignored; exit 02-12 10:00 New York → first bar 02-13, fills 02-14.
        let placed = r.orders.map { stamp($0.submittedStep) }
        #expect(placed == ["2019-01-07", "2019-01-22", "2019-02-05", "2019-02-13"])
        #expect(r.fills.map { stamp($0.step) } == ["2019-01-08", "2019-01-23", "2019-02-06", "2019-02-14"])
        #expect(r.closedTrades.count == 2)
    }

    @Test func badSignalFilesNameTheLineAndTheExpectation() {
        #expect(throws: SignalFileError(file: "s", line: 2, message: "signal 'hold' is not buy/sell, entry/exit, long/flat, 1/-1 or 0")) {
            try SignalFile.parse("time,signal\n2019-01-02,hold", name: "s")
        }
        #expect(throws: SignalFileError.self) { try SignalFile.parse("when,what\n2019-01-02,buy") }
        #expect(throws: SignalFileError.self) { try SignalFile.parse("time,signal\n2019-13-02,buy") }
    }
}

@Suite struct BadDataTests {
    @Test func kernelsRefuseNonFinitePricesAndIntradayStrategiesRefuseDailyBars() throws {
        var spy = try SampleBars.eqkerDaily("SPY")
        spy.close[5] = .nan
        #expect(throws: KernelError.self) { try SMACrossKernel.evaluate(series: spy, pairs: [.init(fast: 2, slow: 5)]) }
        #expect(throws: KernelError.self) { try RSI2Kernel.evaluate(series: spy, parameters: [.init()]) }
        var minute = try SampleBars.eqkerMinute("SPY")
        minute.low[100] = 0
        #expect(throws: KernelError.self) { try IntradaySessionData(series: minute) }
        #expect(throws: (any Error).self) {
            try Backtest.run(Momentum(IntradayParameters(buyTrigger: 1, sellTrigger: 1)),
                             data: MarketDataset([try SampleBars.eqkerDaily("SPY")]))
        }
    }
}
