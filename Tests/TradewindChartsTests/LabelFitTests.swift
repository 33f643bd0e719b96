import Foundation
import Testing
import TradewindTestSupport
@testable import TradewindCharts

/// Labels stay whole: inside the view box (by the charts' text-width estimate), distinct and true to their values.
@Suite struct LabelFitTests {
    /// The y axis labels of an `XYChart`'s SVG: each label's text, anchor x and baseline y.
    static func yLabels(_ svg: String) throws -> [(text: String, x: Double, y: Double)] {
        let start = try #require(svg.range(of: "<g class=\"tw-axis tw-y\">"))
        let end = try #require(svg[start.upperBound...].range(of: "</g>"))
        let group = String(svg[start.upperBound..<end.lowerBound])
        let pattern = try Regex("<text x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" text-anchor=\"end\"[^>]*>([^<]*)</text>")
        return group.matches(of: pattern).map { m in
            (String(m.output[3].substring!), Double(m.output[1].substring!)!, Double(m.output[2].substring!)!)
        }
    }

    /// The number a compact or full label stands for: `$1.5M` is 1 500 000, `-$20k` is −20 000, `12,345` is 12 345.
    static func value(of label: String) -> Double? {
        var s = label.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "$", with: "")
        var unit = 1.0
        for (suffix, u) in [("k", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)] where s.hasSuffix(suffix) {
            unit = u
            s.removeLast()
        }
        return Double(s).map { $0 * unit }
    }

    /// Equity from 100 000 growing to `top` over `n` points (geometric, as compounding does).
    static func growth(to top: Double, n: Int = 2_000) -> ChartSeries {
        let g = pow(top / 100_000, 1 / Double(n - 1))
        return ChartSeries(name: "Equity", x: (0..<n).map(Double.init), y: (0..<n).map { 100_000 * pow(g, Double($0)) })
    }

    @Test(arguments: [1.2e7, 4.7e7, 1.5e8, 9.9e8, 2.3e9], [ScaleKind.linear, .log])
    func largeValueTickLabelsLieInsideTheViewBoxAndReadAsTheirTicks(top: Double, scale: ScaleKind) throws {
        for format in [ValueFormat.currency(symbol: "$", decimals: 0), .auto, .number(decimals: 2)] {
            var chart = XYChart(title: "Equity", xAxis: .numeric(format: .auto), series: [Self.growth(to: top)])
            chart.yScale = scale
            chart.yFormat = format
            let svg = chart.svg()
            #expect(XMLCheck.parse(svg) != nil)
            let labels = try Self.yLabels(svg)
            #expect(labels.count >= 3, "\(labels)")
            #expect(Set(labels.map(\.text)).count == labels.count, "repeated labels: \(labels.map(\.text))")
            let ys = chart.yScaleUsed()
            for l in labels {
                let left = l.x - ChartTheme.textWidth(l.text, size: 11)
                #expect(left >= 0, "'\(l.text)' starts at x = \(left)")
                #expect(l.x < chart.plotArea.x0, "'\(l.text)' runs into the plot")
                // The label's number is the value at its grid line (the baseline sits 4 px below the line).
                let v = try #require(Self.value(of: l.text), "unreadable label '\(l.text)'")
                #expect(abs(ys.position(v) - (l.y - 4)) <= 0.06, "'\(l.text)' is drawn at \(ys.value(at: l.y - 4))")
            }
        }
    }

    @Test func compactLabelsUseTheLargestTicksUnitAndTheStepsDecimals() {
        let money = ValueFormat.currency(symbol: "$", decimals: 2)
        #expect(money.tickLabels([0, 5e6, 1e7, 1.5e7], step: 5e6) == ["$0", "$5M", "$10M", "$15M"])
        #expect(money.tickLabels([1.02e7, 1.04e7, 1.06e7], step: 2e5) == ["$10.2M", "$10.4M", "$10.6M"])
        #expect(money.tickLabels([-5e8, 0, 5e8, 1e9], step: 5e8) == ["-$0.5B", "$0", "$0.5B", "$1.0B"])
        #expect(ValueFormat.auto.tickLabels([5e5, 1e6, 2e6, 5e6, 1e7, 2e7], step: 0, scale: .log)
            == ["500k", "1M", "2M", "5M", "10M", "20M"])
        // Below the threshold, labels are the full numbers they were.
        #expect(money.tickLabels([0, 2e6, 4e6], step: 2e6) == ["$0", "$2,000,000", "$4,000,000"])
        #expect(ValueFormat.percent(decimals: 1).tickLabels([0, 5e6, 1e7], step: 5e6) == ["0%", "500,000,000%", "1,000,000,000%"])
    }

    @Test func logAxisLabelsStayDistinctWhenTicksAreCloserThanTheirDecade() {
        // A log axis spanning less than a decade falls back to linear ticks, closer than a tenth of their decade.
        let ticks = [1.20e7, 1.21e7, 1.22e7, 1.23e7]
        let compact = ValueFormat.currency(symbol: "$", decimals: 0).tickLabels(ticks, step: 0, scale: .log)
        #expect(compact == ["$12.0M", "$12.1M", "$12.2M", "$12.3M"])
        let full = ValueFormat.number(decimals: 0).tickLabels([120, 121, 122], step: 0, scale: .log)
        #expect(full == ["120", "121", "122"])
    }

    @Test func barChartTickLabelsOfLargeValuesLieInsideTheViewBox() throws {
        for format in [ValueFormat.currency(symbol: "$", decimals: 0), .percent(decimals: 1)] {
            var chart = BarChart(title: "Final equity", categories: ["W1", "W2", "W3"],
                                 series: [BarChart.Series(name: "Final equity", values: [2.4e8, -3.1e7, 9.6e7])])
            chart.format = format
            let labels = try Self.yLabels(chart.svg())
            #expect(labels.count >= 3)
            #expect(Set(labels.map(\.text)).count == labels.count, "repeated labels: \(labels.map(\.text))")
            for l in labels {
                #expect(l.x - ChartTheme.textWidth(l.text, size: 11) >= 0, "'\(l.text)' starts left of the view box")
                #expect(l.x < chart.plotArea.x0)
            }
        }
    }

    @Test func smallValueChartsKeepTheirUsualLeftMargin() {
        let chart = XYChart(title: "t", xAxis: .numeric(format: .auto), series: [ChartSeries(name: "s", x: [0, 1], y: [90_000, 150_000])])
        #expect(chart.plotArea.x0 == 64)
        let bars = BarChart(title: "t", categories: ["a", "b"], series: [BarChart.Series(name: "s", values: [0.12, -0.3])])
        #expect(bars.plotArea.x0 == 64)
    }

    @Test func histogramMarkerLabelAtTheRightEdgeStaysInsideThePlot() throws {
        let values = (0..<200).map { Double($0 % 41) / 20 - 0.5 }
        for label in ["best", "best objective 1.5"] {
            var chart = HistogramChart(title: "Objective", values: values, format: .number(decimals: 2))
            chart.width = 420
            chart.markers = [(values.max()!, label), (values.min()!, label)]
            let svg = chart.svg()
            #expect(XMLCheck.parse(svg) != nil)
            let p = chart.plotArea
            let pattern = try Regex("<text x=\"([-0-9.]+)\" y=\"[-0-9.]+\"( text-anchor=\"(start|end)\")?[^>]*class=\"tw-ref-label\">([^<]*)</text>")
            let found = svg.matches(of: pattern)
            #expect(found.count == 2)
            for m in found {
                let x = Double(m.output[1].substring!)!
                let anchor = m.output[3].substring.map(String.init) ?? "start"
                let w = ChartTheme.textWidth(String(m.output[4].substring!), size: 10)
                let (left, right) = anchor == "end" ? (x - w, x) : (x, x + w)
                #expect(left >= p.x0 && right <= p.x1, "'\(label)' spans \(left)...\(right), the plot \(p.x0)...\(p.x1)")
            }
        }
    }
}
