import Testing
import TradewindTestSupport
import TradewindCore
@testable import TradewindCharts

@Suite struct ChartSVGTests {
    static let zone = ZoneRules.utc

    /// 20 years of weekday closes starting 2004-01-02.
    static func dailyPath(days: Int = 5_200) -> (times: [UnixNanos], values: [Double]) {
        var t: [UnixNanos] = []
        var v: [Double] = []
        var d = CivilDate(year: 2004, month: 1, day: 2)!
        var x = 100_000.0
        var state: UInt64 = 7
        while t.count < days {
            if !d.isWeekend {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                x *= 1 + (Double(Int64(bitPattern: state >> 11) % 2001) / 1000 - 1) * 0.01
                t.append(zone.instant(d, hour: 0, minute: 0))
                v.append(x)
            }
            d = d.adding(days: 1)
        }
        return (t, v)
    }

    @Test func lineChartIsWellFormedAndEndsExactlyOnTheLastValue() throws {
        let (t, v) = Self.dailyPath()
        let axis = XAxis.time(zone: Self.zone, intraday: false)
        var chart = XYChart(title: "Equity <&> \"test\"", id: "eq", xAxis: axis,
                            series: [ChartSeries(name: "Strategy", times: t, values: v, on: axis)])
        chart.yFormat = .currency(symbol: "$", decimals: 0)
        let svg = chart.svg()
        let xml = try #require(XMLCheck.parse(svg))
        let path = try #require(xml.withClass("tw-series").first)
        #expect(path.attributes["data-n"] == "5200")
        #expect(path.attributes["data-last"] == NumberText.fixed(v.last!, 6))
        #expect(Int(path.attributes["data-drawn"]!)! < 2_000)
        let pts = pathPoints(path.attributes["d"]!)
        let ys = chart.yScaleUsed(), xs = chart.xScaleUsed()
        let last = try #require(pts.last)
        #expect(abs(last.1 - ys.position(v.last!)) <= 0.05)
        #expect(abs(last.0 - xs.position(Double(t.last!))) <= 0.05)
        #expect(abs(ys.value(at: last.1) - v.last!) / v.last! < 0.001)
        // Readable ticks: year labels along x, currency along y.
        let texts = xml.all("text").count
        #expect(texts > 6)
        #expect(xml.text.contains("2010"))
        #expect(xml.text.contains("$"))
        #expect(svg.utf8.count < 80_000)
        #expect(!svg.contains("http"))
    }

    @Test func logScaleIsUsedOnlyForPositiveData() {
        let axis = XAxis.numeric(format: .auto)
        var chart = XYChart(title: "t", xAxis: axis, series: [ChartSeries(name: "a", x: [0, 1, 2], y: [10, 100, 1000])])
        chart.yScale = .log
        #expect(chart.yScaleUsed().kind == .log)
        #expect(chart.svg().contains("data-y-scale=\"log\""))
        chart.series[0].y = [-1, 100, 1000]
        #expect(chart.yScaleUsed().kind == .linear)
    }

    @Test func renderingIsDeterministic() {
        let (t, v) = Self.dailyPath(days: 300)
        let axis = XAxis.time(zone: Self.zone, intraday: false)
        let chart = XYChart(title: "x", xAxis: axis, series: [ChartSeries(name: "s", times: t, values: v, on: axis)])
        #expect(chart.svg() == chart.svg())
    }

    @Test func candlesMarkersAndReferenceLinesAreDrawn() throws {
        var times: [UnixNanos] = []
        let open = Self.zone.instant(CivilDate(year: 2011, month: 1, day: 3)!, hour: 14, minute: 30)
        for m in 0..<390 { times.append(open + Int64(m) * UnixTime.nanosPerMinute) }
        let o = times.indices.map { 100 + Double($0 % 17) * 0.1 }
        let c = o.map { $0 + 0.05 }
        let axis = XAxis.ordinal(times: times, zone: Self.zone, intraday: true)
        var chart = XYChart(title: "SPY", id: "p-spy", xAxis: axis)
        chart.candles = Candles(x: times.indices.map(Double.init), open: o, high: c.map { $0 + 0.1 }, low: o.map { $0 - 0.1 }, close: c)
        chart.markers = [ChartMarker(x: 10, y: 99.9, kind: .entry, tip: "Buy 100 @ 100.0"),
                         ChartMarker(x: 200, y: 101.9, kind: .exit, tip: "Sell 100 @ 101.9")]
        chart.referenceLines = [ReferenceLine(value: 101, label: "Level 101")]
        let xml = try #require(XMLCheck.parse(chart.svg()))
        let g = try #require(xml.withClass("tw-candles").first)
        #expect(g.attributes["data-n"] == "390")
        #expect(Int(g.attributes["data-drawn"]!)! <= 214)
        #expect(xml.withClass("tw-entry").count == 1)
        #expect(xml.withClass("tw-exit").first?.attributes["data-tip"] == "Sell 100 @ 101.9")
        #expect(xml.withClass("tw-ref").first?.attributes["data-value"] == "101.000000")
        let hit = try #require(xml.withClass("tw-hit").first)
        #expect(hit.attributes["data-tt"]!.contains("2011-01-03 14:30"))
    }

    @Test func singlePointSeriesStillDraws() throws {
        let axis = XAxis.time(zone: Self.zone, intraday: false)
        let chart = XYChart(title: "one", xAxis: axis, series: [ChartSeries(name: "s", x: [1e18], y: [5])])
        let xml = try #require(XMLCheck.parse(chart.svg()))
        #expect(xml.withClass("tw-series").first?.attributes["data-last"] == "5.000000")
        #expect(xml.all("circle").count == 1)
    }

    @Test func barChartColoursBySign() throws {
        let chart = BarChart(title: "Years", categories: ["2019", "2020", "2021"],
                             series: [BarChart.Series(name: "Return", values: [0.1, -0.05, 0.2])])
        let xml = try #require(XMLCheck.parse(chart.svg()))
        let bars = xml.withClass("tw-bar")
        #expect(bars.count == 3)
        #expect(bars[1].attributes["fill"] == ChartTheme.negative)
        #expect(bars[2].attributes["fill"] == ChartTheme.positive)
        #expect(bars[2].attributes["data-value"] == "0.200000")
    }

    @Test func histogramCountsEveryValue() throws {
        let values = (0..<1000).map { Double($0 % 37) / 10 - 1.8 }
        let chart = HistogramChart(title: "Daily returns", values: values, format: .number(decimals: 2))
        let xml = try #require(XMLCheck.parse(chart.svg()))
        let counts = xml.withClass("tw-bin").compactMap { Int($0.attributes["data-count"]!) }
        #expect(counts.reduce(0, +) == 1000)
        #expect(HistogramChart(title: "empty", values: []).svg().contains("No data"))
    }

    @Test func heatmapUsesADivergingScaleWithALegend() throws {
        var chart = HeatmapChart(title: "Monthly", id: "hm", rowLabels: ["2020", "2021"], columnLabels: ["Jan", "Feb"],
                                 values: [[0.1, -0.1], [nil, 0.05]], format: .percent(decimals: 1))
        #expect(chart.color(0) == "#ffffff")
        #expect(chart.color(0.1) == "#16a34a")
        #expect(chart.color(-0.1) == "#dc2626")
        chart.higherIsBetter = false
        #expect(chart.color(-0.1) == "#16a34a")
        let xml = try #require(XMLCheck.parse(chart.svg()))
        #expect(xml.withClass("tw-cell").count == 3)
        #expect(xml.all("linearGradient").count == 1)
        #expect(xml.text.contains("10.0%"))
    }

    @Test func hostileLabelsStayWellFormed() throws {
        let chart = BarChart(title: "<script>alert('x')</script>", categories: ["a&b", "</svg>"],
                             series: [BarChart.Series(name: "\"q\"", values: [1, 2])])
        let svg = chart.svg()
        #expect(XMLCheck.parse(svg) != nil)
        #expect(!svg.contains("<script>"))
    }
}
