import Foundation
import Testing
import TradewindTestSupport
import TradewindCharts
import TradewindCore
@testable import TradewindReports

@Suite struct BacktestReportTests {
    @Test func reportParsesAndHasEverySection() throws {
        let input = Synthetic.backtest(days: 1_000, trades: 20)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        let ids = Page.ids(xml)
        for id in BacktestReport.sectionIDs { #expect(ids.contains(id), "missing section #\(id)") }
        #expect(xml.all("section").count == BacktestReport.sectionIDs.count)
        #expect(Page.externalReferences(html).isEmpty, "external references: \(Page.externalReferences(html))")
    }

    @Test func everyChartIsNonEmptySVG() throws {
        let html = BacktestReport.render(Synthetic.backtest(days: 1_000, trades: 20))
        let charts = Page.charts(html)
        let expected = ["equity-linear", "equity-log", "drawdown-chart", "price-chart-SPY", "indicator-SPY-0", "monthly-heatmap",
                        "yearly-bars", "rolling-sharpe", "rolling-vol", "daily-returns-hist", "trade-pnl-hist", "trade-duration-hist"]
        #expect(charts.map(\.id) == expected)
        for c in charts { #expect(c.drawn > 5, "chart \(c.id) draws almost nothing") }
    }

    @Test func equityPathEndsOnTheFinalEquityAndBenchmarkIsDrawn() throws {
        let input = Synthetic.backtest(days: 1_000, trades: 20)
        let xml = try #require(Page.parse(BacktestReport.render(input)))
        let lines = xml.withClass("tw-series")
        let strategy = try #require(lines.first { $0.attributes["data-series"] == "Strategy" })
        #expect(strategy.attributes["data-last"] == NumberText.fixed(input.equity.values.last!, 6))
        #expect(strategy.attributes["data-first"] == NumberText.fixed(Synthetic.initial, 6))
        #expect(strategy.attributes["data-n"] == "1000")
        let bench = try #require(lines.first { $0.attributes["data-series"] == "Buy & hold SPY" })
        #expect(bench.attributes["data-last"] == NumberText.fixed(input.benchmark!.values.last!, 6))
        // The drawn path's last point sits at the final equity on the chart's own scale.
        let svg = try #require(xml.elements.first { $0.attributes["id"] == "equity-linear" })
        let plot = svg.attributes["data-plot"]!.split(separator: " ").map { Double($0)! }
        let domain = svg.attributes["data-y-domain"]!.split(separator: " ").map { Double($0)! }
        let last = try #require(pathPoints(strategy.attributes["d"]!).last)
        let value = domain[0] + (plot[3] - last.1) / (plot[3] - plot[1]) * (domain[1] - domain[0])
        #expect(abs(value - input.equity.values.last!) <= (domain[1] - domain[0]) * 0.001)
        #expect(abs(last.0 - plot[2]) < 0.1)
    }

    @Test func cardsTablesAndTradesMatchTheInput() throws {
        let input = Synthetic.backtest(days: 1_000, trades: 20)
        let xml = try #require(Page.parse(BacktestReport.render(input)))
        let cards = xml.withClass("card")
        #expect(cards.count == 9)
        #expect(cards.first { $0.attributes["data-key"] == "final_value" }?.attributes["data-value"] == NumberText.fixed(input.summary.finalValue, 6))
        // Trade table: one row per trade, sortable, exportable.
        let table = try #require(xml.elements.first { $0.attributes["id"] == "trade-table" })
        #expect(table.attributes["class"]?.contains("sortable") == true)
        #expect(xml.all("tr").count >= 20 + 1 + input.metrics.count + 1)
        #expect(xml.elements.contains { $0.attributes["data-csv"] == "trade-table" })
        // Metrics table in input order, undefined values as a dash.
        let keys = xml.all("tr").compactMap { $0.attributes["data-key"] }
        #expect(keys == input.metrics.map(\.key))
        // Five worst drawdowns.
        #expect(input.worstDrawdowns.count == 5)
        let markers = xml.withClass("tw-marker")
        #expect(markers.count == 40)
        #expect(xml.withClass("tw-ref").contains { $0.attributes["data-value"] == "30.000000" })
        #expect(xml.withClass("tw-ref").contains { $0.attributes["data-value"] == "70.000000" })
    }

    @Test func noTradesRendersWithNotes() throws {
        let input = Synthetic.backtest(days: 300, trades: 0)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        for id in BacktestReport.sectionIDs { #expect(Page.ids(xml).contains(id)) }
        #expect(html.contains("The strategy made no trades."))
        #expect(!Page.ids(xml).contains("trade-table"))
        #expect(xml.withClass("tw-marker").isEmpty)
        #expect(xml.elements.first { $0.attributes["data-key"] == "win_rate" } != nil)
        #expect(html.contains(">—<"))
    }

    @Test func singleTradeRenders() throws {
        let input = Synthetic.backtest(days: 300, trades: 1)
        let xml = try #require(Page.parse(BacktestReport.render(input)))
        #expect(xml.withClass("tw-entry").count == 1)
        #expect(xml.withClass("tw-exit").count == 1)
        let bins = xml.withClass("tw-bin").filter { $0.attributes["data-tip"]?.contains("$") == true }
        #expect(bins.compactMap { Int($0.attributes["data-count"]!) }.reduce(0, +) == 1)
    }

    @Test func oneDayIntradaySessionUsesCandles() throws {
        let input = Synthetic.backtest(days: 390, trades: 3, intraday: true)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        let candles = try #require(xml.withClass("tw-candles").first)
        #expect(candles.attributes["data-n"] == "390")
        #expect(html.contains("Less than a month") == false)
        #expect(html.contains("2011-03-14 09:30"))
        #expect(html.contains("shorter than the rolling window") == false)
    }

    @Test func oneBarBacktestRenders() throws {
        let input = Synthetic.backtest(days: 1, trades: 0)
        let html = BacktestReport.render(input)
        #expect(Page.parse(html) != nil)
        #expect(html.contains("shorter than the rolling window"))
    }

    @Test func twentyYearDailyReportStaysUnderTwoMegabytes() throws {
        let input = Synthetic.backtest(days: 5_040, trades: 200)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = BacktestReport.render(input) }
        #expect(html.utf8.count < 2_000_000, "report is \(html.utf8.count) bytes")
        #expect(elapsed < .seconds(20))
        let xml = try #require(Page.parse(html))
        let strategy = try #require(xml.withClass("tw-series").first { $0.attributes["data-series"] == "Strategy" })
        #expect(strategy.attributes["data-last"] == NumberText.fixed(input.equity.values.last!, 6))
        #expect(Int(strategy.attributes["data-drawn"]!)! < 2_000)
        // Long daily span: a close line, not candles.
        #expect(xml.withClass("tw-candles").isEmpty)
        #expect(xml.withClass("tw-cell").count >= 240)
    }

    @Test func fiftySymbolPortfolioRendersEverySymbol() throws {
        let input = Synthetic.backtest(days: 750, symbols: 50, trades: 30)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        let symbolDivs = xml.withClass("symbol")
        #expect(symbolDivs.count == 50)
        #expect(Page.ids(xml).contains("price-S49"))
        #expect(html.utf8.count < 4_000_000, "report is \(html.utf8.count) bytes")
    }

    @Test func hostileNamesAreEscaped() throws {
        var input = Synthetic.backtest(days: 200, trades: 2)
        input.title = "<script>alert(1)</script> & co"
        input.strategy = "\"quoted\" 'strategy'"
        input.parameters.append(ReportParameter(name: "mode", value: .text("a<b>")))
        let html = BacktestReport.render(input)
        #expect(Page.parse(html) != nil)
        #expect(!html.contains("<script>alert"))
    }
}
