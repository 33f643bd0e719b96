import Foundation
import Testing
import TradewindCore
@testable import TradewindAnalytics

@Suite("Performance report")
struct PerformanceReportTests {
    @Test("bundles the QuantStats metrics; JSON is one object with snake_case keys and fractions")
    func json() throws {
        let f = try QuantStatsFixture.load("ko_vs_spy")
        let report = try PerformanceReport(series: try f.series(), benchmark: f.benchmark)
        #expect(close(report.sharpe, f.value("sharpe")!))
        #expect(close(report.maxDrawdown, -f.value("max_drawdown")!))
        #expect(close(report.var95, f.value("var_95")!) && close(report.cvar95, f.value("cvar_95")!))
        #expect(close(report.beta!, f.value("beta")!) && close(report.alpha!, f.value("alpha")!))
        #expect(report.longestDrawdownDays.map(Double.init) == f.value("longest_drawdown_days"))
        #expect(report.maxDrawdownStart.map { String($0.prefix(10)) } == f.string("max_dd_start"))
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["total_return", "cagr", "volatility", "sharpe", "sortino", "calmar", "max_drawdown", "omega",
                    "var_95", "cvar_95", "skew", "kurtosis", "tail_ratio", "best_day", "worst_day", "win_rate",
                    "profit_factor", "alpha", "beta", "monthly_returns", "yearly_returns", "longest_drawdown_days",
                    "probabilistic_sharpe_ratio", "kelly_criterion", "exposure"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["max_drawdown"] as? Double).map { $0 > 0 && $0 < 1 } == true)
        let decoded = try JSONDecoder().decode(PerformanceReport.self, from: data)
        #expect(decoded == report)
    }

    @Test("undefined metrics of a flat series encode as null, and the table shows '-'")
    func flat() throws {
        let f = try QuantStatsFixture.load("flat")
        let report = try PerformanceReport(series: try f.series())
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"sharpe\":null") && json.contains("\"max_drawdown\":0"))
        let table = report.formattedTable()
        #expect(table.contains("| Sharpe") && table.contains("- |"))
        let widths = Set(table.split(separator: "\n").map(\.count))
        #expect(widths.count == 1)  // every line of the box is aligned
    }

    @Test("invalid options are reported, not computed")
    func invalidOptions() throws {
        let s = try ReturnSeries(returns: [0.01, 0.02], times: [0, UnixTime.nanosPerDay])
        #expect(throws: AnalyticsError.self) { try PerformanceReport(series: s, options: ReportOptions(periodsPerYear: 0)) }
        #expect(throws: AnalyticsError.self) { try PerformanceReport(series: s, options: ReportOptions(riskFree: -2)) }
        #expect(throws: AnalyticsError.lengthMismatch(what: "benchmark", expected: 2, actual: 1)) {
            try PerformanceReport(series: s, benchmark: [0.01])
        }
    }

    @Test("trade statistics are nested under trades")
    func trades() throws {
        let s = try ReturnSeries(returns: [0.01, -0.02, 0.03], times: [0, 1, 2])
        let t = [TradeRecord(entryTime: 0, exitTime: 2, netPnL: 20, returnPct: 0.02, barsHeld: 3)]
        let report = try PerformanceReport(series: s, trades: t, totalBars: 3)
        #expect(report.trades?.numberOfTrades == 1 && report.trades?.exposure == 1)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"trades\":{"))
    }
}
