/// Vertical bars over named categories (yearly returns, in-sample vs out-of-sample per window).
/// With one series, bars are coloured by sign; with several, bars are grouped and coloured per series.
public struct BarChart: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// One value per category; non-finite values leave a gap.
        public var values: [Double]
        public var color: String?

        public init(name: String, values: [Double], color: String? = nil) {
            self.name = name
            self.values = values
            self.color = color
        }
    }

    public var title: String
    public var id: String?
    public var width: Double = 720
    public var height: Double = 260
    public var categories: [String]
    public var series: [Series]
    public var format: ValueFormat = .auto
    /// Print each bar's value above it when there is room.
    public var valueLabels = true

    public init(title: String, id: String? = nil, categories: [String], series: [Series]) {
        self.title = title
        self.id = id
        self.categories = categories
        self.series = series
    }

    /// The plot's edges; the left one leaves room for the widest y tick label (and is at least 64 px).
    public var plotArea: (x0: Double, y0: Double, x1: Double, y1: Double) {
        let widest = yTicks().map { ChartTheme.textWidth($0.label, size: 11) }.max() ?? 0
        return (max(64, (widest + 10).rounded(.up)), series.count > 1 ? 30 : 14, width - 14, height - 26)
    }

    /// The value scale: a nice range that always includes zero.
    public func yScaleUsed() -> AxisScale {
        AxisScale(kind: .linear, domain: yDomain(), range: (plotArea.y1, plotArea.y0))
    }

    /// The y ticks with their labels, bottom to top.
    public func yTicks() -> [(value: Double, label: String)] {
        let d = yDomain()
        let ticks = NiceTicks.linear(d.lowerBound, d.upperBound, target: 5)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        return Array(zip(ticks, format.tickLabels(ticks, step: step)))
    }

    private func yDomain() -> ClosedRange<Double> {
        var lo = 0.0, hi = 0.0
        for s in series { for v in s.values where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        if lo == hi { hi = 1 }
        let n = NiceTicks.niceDomain(lo, hi, target: 5)
        return n.lo...n.hi
    }

    public func svg(standalone: Bool = false) -> String {
        let p = plotArea
        let ys = yScaleUsed()
        var b = SVGBuilder()
        b.open("g", ["class": "tw-axis tw-y"])
        for (v, label) in yTicks() {
            let y = ys.position(v)
            b.raw("<line x1=\"\(NumberText.coord(p.x0))\" x2=\"\(NumberText.coord(p.x1))\" y1=\"\(NumberText.coord(y))\" y2=\"\(NumberText.coord(y))\" stroke=\"\(v == 0 ? ChartTheme.axis : ChartTheme.grid)\"/>")
            b.text(label, x: p.x0 - 6, y: y + 4, anchor: "end", size: 11, fill: ChartTheme.muted)
        }
        b.close("g")
        let n = max(categories.count, 1)
        let slot = (p.x1 - p.x0) / Double(n)
        let groupWidth = slot * 0.8
        let barWidth = groupWidth / Double(max(series.count, 1))
        let zero = ys.position(0)
        // Category labels, thinned so they do not overlap.
        let widest = Double(categories.map(\.count).max() ?? 1) * 6.5 + 6
        let every = max(1, Int((widest / slot).rounded(.up)))
        b.open("g", ["class": "tw-axis tw-x"])
        for (i, c) in categories.enumerated() where i % every == 0 {
            b.text(c, x: p.x0 + slot * (Double(i) + 0.5), y: p.y1 + 17, anchor: "middle", size: 11, fill: ChartTheme.muted)
        }
        b.close("g")
        for (k, s) in series.enumerated() {
            b.open("g", ["class": "tw-bars", "data-series": s.name, "data-n": String(s.values.count)])
            for (i, v) in s.values.enumerated() where v.isFinite && i < categories.count {
                let color = series.count == 1 ? (v >= 0 ? ChartTheme.positive : ChartTheme.negative) : (s.color ?? ChartTheme.color(k))
                let x = p.x0 + slot * Double(i) + (slot - groupWidth) / 2 + barWidth * Double(k)
                let y = ys.position(v)
                let top = min(y, zero), h = max(abs(zero - y), 0.5)
                let tip = categories[i] + (series.count > 1 ? " " + s.name : "") + ": " + format.string(v)
                b.element("rect", ["class": "tw-bar", "x": NumberText.coord(x), "y": NumberText.coord(top),
                                   "width": NumberText.coord(max(barWidth - 1, 0.5)), "height": NumberText.coord(h), "fill": color,
                                   "data-value": NumberText.fixed(v, 6), "data-tip": tip])
                if valueLabels && barWidth >= 34 {
                    b.text(format.string(v), x: x + barWidth / 2, y: v >= 0 ? top - 4 : top + h + 12, anchor: "middle", size: 10, fill: ChartTheme.text)
                }
            }
            b.close("g")
        }
        if series.count > 1 {
            var x = p.x0
            b.open("g", ["class": "tw-legend"])
            for (k, s) in series.enumerated() {
                b.raw("<rect x=\"\(NumberText.coord(x))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(s.color ?? ChartTheme.color(k))\"/>")
                b.text(s.name, x: x + 14, y: 17, size: 11)
                x += 14 + Double(s.name.count) * 6.5 + 14
            }
            b.close("g")
        }
        return SVGBuilder.document(width: width, height: height, title: title, id: id, kind: "bar",
                                   data: [("plot", [p.x0, p.y0, p.x1, p.y1].map(NumberText.coord).joined(separator: " "))],
                                   standalone: standalone, body: b.body)
    }
}
