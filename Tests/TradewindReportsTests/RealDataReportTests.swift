import Foundation
import Testing
import TradewindCharts
import TradewindCore
import TradewindData
@testable import TradewindReports

/// Reports over the bundled real data (sample `sp500-50`: 50 S&P 500 names, daily, 1999-11-01..2021-04-21,
/// Alpha Vantage via Pooksoft), with buy-and-hold books built here in lieu of the engine.
@Suite(.serialized) struct RealDataReportTests {
    /// Loaded once; a sample that fails to load fails every test that needs it, with the loader's error.
    static let dataset = Result { try DataSource.sample("sp500-50").load() }

    /// Equal-weight buy and hold of `symbols` on their common sessions, on split- and dividend-adjusted closes.
    static func buyAndHold(_ symbols: [String], capital: Double = 100_000) throws -> BacktestReportInput {
        let data = try dataset.get()
        let series = try symbols.map { s in try #require(data[s]).adjusted(.splitAndDividend) }
        var common = Set(series[0].time)
        for s in series.dropFirst() { common.formIntersection(s.time) }
        let times = common.sorted()
        let cut = series.map { s in s.between(times.first!, times.last! + 1) }
        let closes: [[Double]] = cut.map { s in
            let index = Dictionary(uniqueKeysWithValues: s.time.enumerated().map { ($1, $0) })
            return times.map { s.close[index[$0]!] }
        }
        let weight = capital / Double(symbols.count)
        let equity = times.indices.map { i in closes.indices.reduce(0.0) { $0 + weight * closes[$1][i] / closes[$1][0] } }
        let benchmark = closes[0].map { capital * $0 / closes[0][0] }
        let trades = symbols.enumerated().map { k, s in
            TradeRow(id: k + 1, symbol: s, side: "Long", entryTime: times[0], entryPrice: closes[k][0], exitTime: nil, exitPrice: nil,
                     quantity: (weight / closes[k][0]).rounded(.down), pnl: weight * (closes[k].last! / closes[k][0] - 1),
                     returnFraction: closes[k].last! / closes[k][0] - 1, costs: 0, bars: times.count - 1)
        }
        let prices = cut.enumerated().map { k, s in
            SymbolPrices(bars: s, marks: [TradeMark(time: times[0], price: closes[k][0], kind: .entry, label: "Buy \(s.symbol)")])
        }
        let eq = TimeSeries(times: times, values: equity)
        let bench = TimeSeries(times: times, values: benchmark)
        let figures = try BacktestFigures(equity: eq, benchmark: bench, trades: trades, interval: .daily)
        return BacktestReportInput(
            title: "Equal-weight buy and hold, \(symbols.count) S&P 500 names", strategy: "Buy and hold",
            parameters: [ReportParameter(name: "weighting", value: .text("equal"))], symbols: symbols,
            period: ReportPeriod(start: times.first!, end: times.last!, interval: .daily), dataSource: "sample:sp500-50",
            costs: "none", equity: eq, benchmark: bench, benchmarkName: "Buy & hold " + symbols[0], figures: figures,
            prices: prices, trades: trades)
    }

    @Test
    func twentyYearDailyReportOfRealDataIsSmall() throws {
        let input = try Self.buyAndHold(["KO"])
        let ko = try #require(Self.dataset.get()["KO"])
        #expect(input.equity.count == ko.count)
        #expect(input.equity.count > 5_000)
        let html = BacktestReport.render(input)
        #expect(html.utf8.count < 2_000_000, "\(html.utf8.count) bytes")
        let xml = try #require(Page.parse(html))
        for id in BacktestReport.sectionIDs { #expect(Page.ids(xml).contains(id)) }
        let line = try #require(xml.withClass("tw-series").first { $0.attributes["data-series"] == "Strategy" })
        #expect(line.attributes["data-last"] == NumberText.fixed(input.equity.values.last!, 6))
        #expect(xml.withClass("tw-cell").count >= 12 * 21)
        #expect(html.contains("1999-11-01 → 2021-04-21"))
        #expect(Page.externalReferences(html).isEmpty)
    }

    @Test
    func fiftySymbolRealPortfolioRenders() throws {
        let symbols = try Self.dataset.get().symbols
        #expect(symbols.count == 50)
        let input = try Self.buyAndHold(symbols)
        let html = BacktestReport.render(input)
        let xml = try #require(Page.parse(html))
        #expect(xml.withClass("symbol").count == 50)
        #expect(xml.withClass("tw-entry").count == 50)
        #expect(html.utf8.count < 3_000_000, "\(html.utf8.count) bytes")
        // The 50 open positions are listed; nothing is closed, so there is no trade P&L histogram.
        #expect(html.contains("No closed trades"))
        let rows = xml.all("tr").filter { $0.attributes["data-key"] == nil }
        #expect(rows.count >= 51)
    }
}
