import Foundation
import Testing
import TradewindAnalytics
import TradewindCharts
import TradewindCore
@testable import TradewindReports

@Suite struct BacktestFiguresTests {
    static func figures(days: Int = 800, trades: Int = 12) throws -> (BacktestReportInput, BacktestFigures) {
        let base = Synthetic.backtest(days: days, trades: trades)
        let f = try BacktestFigures(equity: base.equity, benchmark: base.benchmark, trades: base.trades, interval: .daily)
        return (base, f)
    }

    @Test func summaryAndMetricsComeFromTheAnalytics() throws {
        let (base, f) = try Self.figures()
        let r = Performance.returns(fromEquity: base.equity.values)
        #expect(f.summary.finalValue == base.equity.values.last!)
        #expect(f.summary.initialCapital == Synthetic.initial)
        #expect(abs(f.summary.totalReturn - (base.equity.values.last! / Synthetic.initial - 1)) < 1e-12)
        #expect(f.summary.sharpe == Performance.sharpe(r))
        #expect(f.summary.maxDrawdown == -Performance.maxDrawdown(r))
        #expect(f.summary.trades == 12)
        let wins = base.trades.filter { $0.pnl > 0 }
        #expect(abs(f.summary.winRate - Double(wins.count) / 12) < 1e-12)
        let keys = f.metrics.map(\.key)
        for k in ["total_return", "cagr", "sharpe", "sortino", "max_drawdown", "var_95", "alpha", "beta", "trades.number_of_trades", "trades.sqn"] {
            #expect(keys.contains(k), "missing metric \(k)")
        }
        #expect(Set(keys).count == keys.count)
    }

    @Test func drawdownsAndPeriodReturnsAreConsistentWithTheEquity() throws {
        let (base, f) = try Self.figures()
        let eq = base.equity.values
        #expect(f.drawdown.count == eq.count)
        var peak = eq[0]
        for (i, e) in eq.enumerated() {
            peak = max(peak, e)
            #expect(abs(f.drawdown.values[i] - (e / peak - 1)) < 1e-9)
        }
        #expect(f.worstDrawdowns.count == 5)
        #expect(f.worstDrawdowns[0].depth == f.drawdown.values.min())
        #expect(f.worstDrawdowns.map(\.depth) == f.worstDrawdowns.map(\.depth).sorted())
        let compounded = f.monthlyReturns.reduce(1.0) { $0 * (1 + $1.value) } - 1
        #expect(abs(compounded - f.summary.totalReturn) < 1e-9)
        #expect(f.yearlyReturns.allSatisfy { $0.benchmark != nil })
        #expect(f.rollingSharpe.count == eq.count - 1)
        #expect(f.rollingSharpe.values[124].isNaN && f.rollingSharpe.values[125].isFinite)
        #expect(f.rollingWindow == "126 days")
    }

    @Test func intradayEquityIsSampledOncePerDay() throws {
        let ny = ZoneRules.newYork
        var times: [UnixNanos] = []
        var values: [Double] = []
        for (d, day) in [14, 15].enumerated() {
            let open = ny.instant(CivilDate(year: 2011, month: 3, day: day)!, hour: 9, minute: 30)
            for m in 0..<390 {
                times.append(open + Int64(m) * UnixTime.nanosPerMinute)
                values.append(100_000 + Double(d * 390 + m))
            }
        }
        let f = try BacktestFigures(equity: TimeSeries(times: times, values: values), trades: [], interval: .minute, zone: ny)
        #expect(f.dailyReturns.count == 2)
        #expect(abs(f.dailyReturns.values[0] - (100_389.0 / 100_000 - 1)) < 1e-12)
        #expect(abs(f.dailyReturns.values[1] - (100_779.0 / 100_389 - 1)) < 1e-12)
        #expect(f.summary.winRate.isNaN)
        let best = f.metrics.first(where: { $0.key == "best_day" })
        #expect(best?.label == "Best bar")
        #expect(f.rollingSharpe.values.allSatisfy { $0.isNaN })
    }

    @Test func reportBuiltFromFiguresRenders() throws {
        let (base, f) = try Self.figures()
        let input = BacktestReportInput(title: base.title, strategy: base.strategy, parameters: base.parameters, symbols: base.symbols,
                                        period: base.period, dataSource: base.dataSource, costs: base.costs, equity: base.equity,
                                        benchmark: base.benchmark, benchmarkName: base.benchmarkName, figures: f, prices: base.prices,
                                        trades: base.trades)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        for id in BacktestReport.sectionIDs { #expect(Page.ids(xml).contains(id)) }
        let keys = xml.all("tr").compactMap { $0.attributes["data-key"] }
        #expect(keys == f.metrics.map(\.key))
        #expect(SummaryText.render(input).contains(ValueFormat.percent(decimals: 2).string(f.summary.totalReturn)))
    }

    @Test func nonPositiveEquityIsRejected() {
        let t: [UnixNanos] = [0, UnixTime.nanosPerDay, 2 * UnixTime.nanosPerDay]
        #expect(throws: AnalyticsError.self) {
            _ = try BacktestFigures(equity: TimeSeries(times: t, values: [100, 0, 50]), trades: [], interval: .daily)
        }
    }
}
