import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// A market prepared once (`PreparedMarket`) must give every run exactly what preparing the data in the run gives,
/// whatever the strategy, the number of symbols or the number of concurrent runs sharing it.
@Suite struct PreparedMarketTests {
    static func expectSame(_ a: BacktestResult, _ b: BacktestResult, _ label: String) {
        #expect(a.finalEquity == b.finalEquity, "\(label)")
        #expect(a.equity == b.equity, "\(label)")
        #expect(a.positions == b.positions, "\(label)")
        #expect(a.trades == b.trades, "\(label)")
        #expect(a.fills == b.fills, "\(label)")
        #expect(a.orderLog == b.orderLog, "\(label)")
        #expect(a.totalCommission == b.totalCommission && a.totalDividends == b.totalDividends, "\(label)")
    }

    @Test(arguments: [("sma-cross", ["fast": "5", "slow": "20"]), ("rsi2", [:]), ("macd-cross", [:]),
                      ("bollinger-reversion", [:]), ("buy-and-hold", [:])])
    func runsOnAPreparedMarketEqualRunsThatPrepareTheirData(_ name: String, _ parameters: [String: String]) throws {
        // Five raw symbols (splits and dividends booked by the engine), aligned on their union.
        let data = try DataSource(parsing: "sample:sp500-50").load(symbols: ["AAPL", "IBM", "KO", "MSFT", "XOM"])
        let config = BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(2))
        let market = try PreparedMarket(data, config: config)
        #expect(market.symbols == ["AAPL", "IBM", "KO", "MSFT", "XOM"])
        let d = try StrategyCatalog.builtIn.named(name)
        let p = try d.parameters(parameters)
        let whole = try d.run(p, data, config)
        #expect(!whole.fills.isEmpty)
        Self.expectSame(try d.runPrepared(p, market, config), whole, name)
        // Settings outside the market (costs, cash) may change from run to run.
        var cheaper = config
        cheaper.commission = .percentOfValue(0.0002)
        cheaper.initialCash = 50_000
        Self.expectSame(try d.runPrepared(p, market, cheaper), try d.run(p, data, cheaper), name + " other costs")
    }

    @Test func intradayRunsWithTheExchangeCalendarEqualToo() throws {
        let data = try DataSource(parsing: "sample:spy-1m-2011").load()
        var config = BacktestConfig(commission: .percentOfValue(0.0005))
        config.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        let market = try PreparedMarket(data, config: config)
        let d = try StrategyCatalog.builtIn.named("momentum")
        let p = try d.parameters(["buy_trigger": "0.2", "sell_trigger": "0.4"])
        let whole = try d.run(p, data, config)
        #expect(!whole.trades.isEmpty)
        Self.expectSame(try d.runPrepared(p, market, config), whole, "momentum")
    }

    @Test func concurrentRunsShareOnePreparedMarket() async throws {
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let config = BacktestConfig(commission: .percentOfValue(0.001))
        let market = try PreparedMarket(data, config: config)
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let pairs = (2...9).map { (fast: $0, slow: 4 * $0) }
        let expected = try pairs.map { try d.run(d.parameters(["fast": "\($0.fast)", "slow": "\($0.slow)"]), data, config).finalEquity }
        let got = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for (k, pair) in pairs.enumerated() {
                group.addTask {
                    let p = try d.parameters(["fast": "\(pair.fast)", "slow": "\(pair.slow)"])
                    return (k, try d.runPrepared(p, market, config).finalEquity)
                }
            }
            var out = [Double](repeating: .nan, count: pairs.count)
            for try await (k, v) in group { out[k] = v }
            return out
        }
        #expect(got == expected)
    }

    @Test func aRunWithAnotherSessionOrPeriodIsRefused() throws {
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let market = try PreparedMarket(data, config: BacktestConfig())
        var other = BacktestConfig()
        other.from = ZoneRules.newYork.instant(CivilDate(iso: "2010-01-04")!, hour: 0, minute: 0)
        var strategy = try SMACross(fast: 10, slow: 30)
        #expect(throws: BacktestError.self) { try Backtest.run(&strategy, market: market, config: other) }
        var zone = BacktestConfig()
        zone.session = SessionPolicy(zone: .utc)
        #expect(throws: BacktestError.self) { try Backtest.run(&strategy, market: market, config: zone) }
        // The same period prepared: accepted, and equal to the run that prepares it.
        let cut = try PreparedMarket(data, config: other)
        #expect(try Backtest.run(&strategy, market: cut, config: other).finalEquity
                == Backtest.run(try SMACross(fast: 10, slow: 30), data: data, config: other).finalEquity)
    }
}
