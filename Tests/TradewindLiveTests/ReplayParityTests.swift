import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies
import TradewindTestSupport

/// The proof of the design: replaying recorded bars through the live runtime with the paper broker records exactly
/// what the backtest records on the same bars and settings.
@Suite struct ReplayParityTests {
    static let minute = try! DataSource(parsing: "sample:eqker-1m").load()
    static let daily = try! DataSource(parsing: "sample:spy-daily").load()

    /// Every order event, fill, trade and equity row equal (numbers to 1e-9 relative).
    static func expectSame(_ a: BacktestResult, _ b: BacktestResult, _ label: String) {
        func close(_ x: Double, _ y: Double) -> Bool { x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1) || (x.isNaN && y.isNaN) }
        #expect(a.orderLog.count == b.orderLog.count, "\(label): order events \(a.orderLog.count) vs \(b.orderLog.count)")
        for (x, y) in zip(a.orderLog, b.orderLog) {
            let same = x.orderID == y.orderID && x.status == y.status && x.step == y.step && x.time == y.time
                && x.symbol == y.symbol && x.side == y.side && x.type == y.type && x.reason == y.reason && x.tag == y.tag
                && close(x.quantity, y.quantity) && close(x.price, y.price)
            #expect(same, "\(label): order event \(x) vs \(y)")
            if !same { break }
        }
        #expect(a.fills.count == b.fills.count, "\(label): fills \(a.fills.count) vs \(b.fills.count)")
        for (x, y) in zip(a.fills, b.fills) {
            let same = x.orderID == y.orderID && x.symbol == y.symbol && x.step == y.step && close(x.quantity, y.quantity)
                && close(x.price, y.price) && close(x.commission, y.commission)
            #expect(same, "\(label): fill \(x) vs \(y)")
            if !same { break }
        }
        #expect(a.trades.count == b.trades.count, "\(label): trades \(a.trades.count) vs \(b.trades.count)")
        for (x, y) in zip(a.trades, b.trades) {
            let same = x.symbol == y.symbol && x.entryStep == y.entryStep && x.exitStep == y.exitStep
                && close(x.netPnL, y.netPnL) && close(x.quantity, y.quantity) && close(x.mae, y.mae) && close(x.mfe, y.mfe)
                && x.isOpen == y.isOpen
            #expect(same, "\(label): trade \(x) vs \(y)")
            if !same { break }
        }
        #expect(a.equity.time == b.equity.time, "\(label): equity times differ")
        let rows = zip(a.equity.equity, b.equity.equity).enumerated().first { !close($0.element.0, $0.element.1) }
        #expect(rows == nil, "\(label): equity differs first at step \(rows?.offset ?? -1): \(String(describing: rows?.element))")
        #expect(zip(a.equity.cash, b.equity.cash).allSatisfy { close($0, $1) }, "\(label): cash curve differs")
        #expect(zip(a.positions.joined(), b.positions.joined()).allSatisfy { close($0, $1) }, "\(label): positions differ")
    }

    static func both(_ name: String, _ overrides: [String: String], data: MarketDataset, config: BacktestConfig) async throws
        -> (backtest: BacktestResult, replay: BacktestResult) {
        let d = try StrategyCatalog.builtIn.named(name)
        let p = try d.parameters(overrides)
        let prepared = try d.prepare(config, parameters: p, data: data).config
        let backtest = try d.run(p, data, prepared)
        let replay = try await ReplaySession(data: data, config: prepared).run(d, parameters: p)
        return (backtest, replay)
    }

    static let dailyStrategies = ["buy-and-hold", "sma-cross", "ema-cross", "macd-cross", "bollinger-reversion",
                                  "donchian-breakout", "rsi2"]

    @Test(arguments: dailyStrategies)
    func dailyStrategyReplayEqualsBacktest(_ name: String) async throws {
        let (b, r) = try await Self.both(name, [:], data: Self.daily,
                                         config: BacktestConfig(commission: CommissionModel(percent: 0.001)))
        #expect(b.fills.count > 0 || name == "bollinger-reversion", "\(name) traded nothing; the comparison proves little")
        Self.expectSame(r, b, name)
    }

    @Test(arguments: [FillTiming.signalClose, .nextOpen])
    func fillTimingsReplayEqualsBacktest(_ timing: FillTiming) async throws {
        let (b, r) = try await Self.both("sma-cross", ["fast": "5", "slow": "20"], data: Self.daily,
                                         config: BacktestConfig(fillTiming: timing, wholeShares: true))
        #expect(b.fills.count > 10)
        Self.expectSame(r, b, "sma-cross \(timing)")
    }

    static let intradayStrategies = ["momentum", "open-10am", "open-10am-stop", "vwap-momentum"]

    @Test(arguments: intradayStrategies)
    func intradayStrategyReplayEqualsBacktest(_ name: String) async throws {
        let (b, r) = try await Self.both(name, [:], data: Self.minute, config: BacktestConfig(session: .nyse))
        #expect(b.fills.count > 0, "\(name) traded nothing on the sample; the comparison proves little")
        Self.expectSame(r, b, name)
    }

    @Test func twoSymbolRSI2WithHedgeReplayEqualsBacktest() async throws {
        let data = try DataSource(parsing: "sample:eqker-daily").load()
        let symbols = Array(data.symbols.prefix(2))
        let two = MarketDataset(data.series.filter { symbols.contains($0.symbol) })
        let (b, r) = try await Self.both("rsi2", ["hedge_symbol": symbols[1], "hedge_entry": "70",
                                                  "hedge_exit": "50"], data: two, config: BacktestConfig())
        #expect(b.fills.contains { $0.symbol == 1 }, "the hedge never traded; the comparison proves little")
        Self.expectSame(r, b, "rsi2 hedge")
    }
}

/// Many symbols with different histories (listings, gaps): one step holds only the symbols that have a bar.
@Suite struct ManySymbolReplayParityTests {
    @Test(arguments: ["sma-cross", "rsi2", "donchian-breakout"])
    func twentySymbolsReplayEqualsBacktest(_ name: String) async throws {
        let all = try DataSource(parsing: "sample:sp500-50").load()
        let data = MarketDataset(Array(all.series.prefix(20)))
        let (b, r) = try await ReplayParityTests.both(name, [:], data: data,
                                                     config: BacktestConfig(commission: .percentOfValue(0.001)))
        #expect(b.fills.count > 100)
        ReplayParityTests.expectSame(r, b, "\(name) × 20 symbols")
    }
}

/// `signals` (buy/sell from a file), the last strategy of the catalog, on a file written here.
@Suite struct SignalFileReplayParityTests {
    @Test func signalsFromAFileReplayEqualsBacktest() async throws {
        let data = ReplayParityTests.daily
        let times = data.series[0].time
        let zone = ZoneRules.newYork
        var csv = "time,signal\n"
        for (k, i) in stride(from: 50, to: min(times.count, 2_000), by: 37).enumerated() {
            csv += "\(zone.localDate(of: times[i])),\(k % 2 == 0 ? "buy" : "sell")\n"
        }
        let path = NSTemporaryDirectory() + "tw-signals-\(UUID().uuidString).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (b, r) = try await ReplayParityTests.both("signals", ["file": path], data: data, config: BacktestConfig())
        #expect(b.fills.count > 20)
        ReplayParityTests.expectSame(r, b, "signals")
    }
}

/// One iteration on demand: a runtime driven a step at a time (as a server's tick does) records what the feed-driven
/// run records.
@Suite struct StepByStepRuntimeTests {
    @Test func tickingEveryStepEqualsTradingTheFeed() async throws {
        let data = MarketDataset([ReplayParityTests.daily.series[0].slice(0..<400)])
        let d = try StrategyCatalog.builtIn.named("rsi2")
        let p = try d.parameters([:])
        let feed = try ReplayFeed(data)
        let broker = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: BacktestConfig())
        let runtime = try TradingRuntime(symbols: feed.symbols, interval: feed.interval, config: BacktestConfig(),
                                         broker: broker) { setup in try d.stream(p, setup) }
        try runtime.start()
        for try await batch in feed.steps() {
            for step in batch {
                try runtime.process(step)
                #expect(runtime.currentStatus().steps == runtime.context.steps)
            }
        }
        let ticked = try await runtime.finish()
        let backtest = try d.run(p, data, BacktestConfig())
        #expect(backtest.fills.count > 5)
        ReplayParityTests.expectSame(ticked, backtest, "step by step")
    }
}
