import Testing
import TradewindTestSupport
import TradewindCore
@testable import TradewindCharts

@Suite struct AxisAndTooltipTests {
    @Test func ordinalAxisPlacesInstantsOnTheirBars() {
        let times: [UnixNanos] = [100, 200, 300, 400]
        let axis = XAxis.ordinal(times: times, zone: .utc, intraday: true)
        #expect(axis.position(of: 200) == 1)
        #expect(axis.position(of: 250) == 2)
        #expect(axis.position(of: 50) == 0)
        #expect(axis.position(of: 999) == 3)
        #expect(XAxis.time(zone: .utc, intraday: false).position(of: 12345) == 12345)
    }

    @Test func tooltipsListEverySeriesAtTheHoveredPoint() throws {
        let axis = XAxis.numeric(format: .number(decimals: 0))
        var chart = XYChart(title: "two", xAxis: axis, series: [
            ChartSeries(name: "A", x: [0, 1, 2], y: [10, 20, 30]),
            ChartSeries(name: "B", x: [0, 1, 2], y: [5, 6, 7]),
        ])
        chart.yFormat = .number(decimals: 1)
        let xml = try #require(XMLCheck.parse(chart.svg()))
        let hit = try #require(xml.withClass("tw-hit").first)
        let labels = hit.attributes["data-tt"]!.split(separator: "|").map(String.init)
        #expect(labels == ["0\nA: 10.0\nB: 5.0", "1\nA: 20.0\nB: 6.0", "2\nA: 30.0\nB: 7.0"])
        let xs = hit.attributes["data-xs"]!.split(separator: " ").compactMap { Double($0) }
        #expect(xs == [64, 385, 706])
        #expect(xml.withClass("tw-guide").count == 1)
    }

    @Test func standaloneSVGCarriesItsNamespaceAndInlineSVGNone() {
        let chart = BarChart(title: "b", categories: ["x"], series: [BarChart.Series(name: "s", values: [1])])
        #expect(chart.svg(standalone: true).hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!chart.svg().contains("xmlns"))
        #expect(chart.svg().contains("viewBox=\"0 0 720 260\" width=\"100%\""))
    }

    @Test func heatmapsCapTheirWidthSoSmallGridsDoNotBalloon() {
        let h = HeatmapChart(title: "h", rowLabels: ["a"], columnLabels: ["x", "y"], values: [[1, 2]])
        #expect(h.svg().contains("style=\"max-width:\(NumberText.coord(h.width * 1.3))px\""))
    }

    @Test func longTimeAxisLabelsDoNotOverlap() throws {
        let day = UnixTime.nanosPerDay
        let axis = XAxis.time(zone: .utc, intraday: false)
        let t0 = ZoneRules.utc.instant(CivilDate(year: 2000, month: 1, day: 3)!, hour: 0, minute: 0)
        var chart = XYChart(title: "t", xAxis: axis, series: [ChartSeries(name: "s", x: [Double(t0), Double(t0 + 400 * day)], y: [1, 2])])
        chart.width = 300
        let xml = try #require(XMLCheck.parse(chart.svg()))
        let xLabels = xml.elements.filter { $0.name == "text" && $0.attributes["text-anchor"] == "middle" }
            .compactMap { Double($0.attributes["x"]!) }
        #expect(xLabels.count >= 2)
        for (a, b) in zip(xLabels, xLabels.dropFirst()) { #expect(b - a > 30) }
    }
}
