import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
@testable import TradewindStrategies

@Suite("Loader → engine → summary")
struct EndToEndTests {
    @Test func bundledSPYSampleThroughTheCatalogMatchesVectorbt() throws {
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let fx = try VectorbtFixture.load("spy")
        #expect(data.series[0].close == fx.close)
        for c in fx.cases where c.fast == 10 {
            let config = BacktestConfig(commission: .percentOfValue(0.001), fillTiming: c.fill == "close" ? .signalClose : .nextOpen)
            let r = try StrategyCatalog.builtIn.run("sma-cross", parameters: ["fast": "10", "slow": "30"], data: data, config: config)
            #expect(relativeError(r.finalEquity, c.final_value) <= 1e-9)
            let summary = BacktestSummary(result: r, interval: .daily, strategy: "sma-cross")
            #expect(summary.trades + summary.openTrades == c.trades.count)
            #expect(abs(summary.totalReturn - c.total_return) <= 1e-9)
            #expect((summary.maxDrawdown ?? -1) > 0)
        }
    }

    @Test func summaryJSONHasTheDocumentedSnakeCaseKeys() throws {
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let r = try StrategyCatalog.builtIn.run("sma-cross", data: data, config: BacktestConfig(commission: .percentOfValue(0.001)))
        let json = try JSONEncoder().encode(BacktestSummary(result: r, interval: .daily))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in ["final_equity", "total_return", "cagr", "volatility", "sharpe", "sortino", "calmar", "max_drawdown",
                    "trades", "win_rate", "profit_factor", "exposure", "start", "end"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["exposure"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
        #expect((object["start"] as? String)?.hasPrefix("2007-01-03") == true)
    }
}
