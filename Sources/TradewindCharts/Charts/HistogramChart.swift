/// A histogram of values (daily returns, trade P&L, trade durations) with optional vertical
/// reference lines (zero, the mean). Bins left of zero are drawn in the negative colour.
public struct HistogramChart: Sendable, Equatable {
    public var title: String
    public var id: String?
    public var width: Double = 720
    public var height: Double = 240
    public var values: [Double]
    /// Number of bins; `nil` lets `HistogramBins` choose.
    public var bins: Int?
    public var format: ValueFormat = .auto
    /// Colour bins by the sign of their centre (for returns and P&L); otherwise one colour.
    public var signColored = true
    /// Vertical lines at these x values, with labels.
    public var markers: [(value: Double, label: String)] = []

    public init(title: String, id: String? = nil, values: [Double], bins: Int? = nil, format: ValueFormat = .auto) {
        self.title = title
        self.id = id
        self.values = values
        self.bins = bins
        self.format = format
    }

    public static func == (a: HistogramChart, b: HistogramChart) -> Bool {
        a.title == b.title && a.id == b.id && a.values == b.values && a.bins == b.bins && a.format == b.format
            && a.markers.map(\.value) == b.markers.map(\.value) && a.markers.map(\.label) == b.markers.map(\.label)
    }

    public var plotArea: (x0: Double, y0: Double, x1: Double, y1: Double) { (56, 14, width - 14, height - 26) }

    static let markerFontSize = 10.0

    /// Where a marker's label goes for a marker line at pixel `x`: to the right of the line, or to its
    /// left (anchored at its end) when it would run past the plot's right edge, so it stays inside the plot.
    func markerLabelPosition(at x: Double, label: String) -> (x: Double, anchor: String) {
        let w = ChartTheme.textWidth(label, size: Self.markerFontSize)
        return x + 4 + w <= plotArea.x1 ? (x + 4, "start") : (x - 4, "end")
    }

    public func svg(standalone: Bool = false) -> String {
        let p = plotArea
        let h = HistogramBins(values: values, bins: bins)
        var b = SVGBuilder()
        guard let lo = h.edges.first, let hi = h.edges.last, let maxCount = h.counts.max() else {
            b.text("No data", x: width / 2, y: height / 2, anchor: "middle", fill: ChartTheme.muted)
            return SVGBuilder.document(width: width, height: height, title: title, id: id, kind: "histogram",
                                       data: [("bins", "0"), ("total", "0")], standalone: standalone, body: b.body)
        }
        let xs = AxisScale(kind: .linear, domain: lo...hi, range: (p.x0, p.x1))
        let yn = NiceTicks.niceDomain(0, Double(max(maxCount, 1)), target: 4)
        let ys = AxisScale(kind: .linear, domain: 0...yn.hi, range: (p.y1, p.y0))
        b.open("g", ["class": "tw-axis tw-y"])
        for v in ys.ticks(target: 4) where v == v.rounded() {
            let y = ys.position(v)
            b.raw("<line x1=\"\(NumberText.coord(p.x0))\" x2=\"\(NumberText.coord(p.x1))\" y1=\"\(NumberText.coord(y))\" y2=\"\(NumberText.coord(y))\" stroke=\"\(ChartTheme.grid)\"/>")
            b.text(NumberText.grouped(v, 0), x: p.x0 - 6, y: y + 4, anchor: "end", size: 11, fill: ChartTheme.muted)
        }
        b.close("g")
        b.open("g", ["class": "tw-axis tw-x"])
        let xt = NiceTicks.linear(lo, hi, target: 6)
        let step = xt.count > 1 ? xt[1] - xt[0] : max(hi - lo, 1e-12)
        var lastRight = -Double.infinity
        for v in xt {
            let x = xs.position(v)
            let label = format.tickLabel(v, step: step)
            let half = Double(label.count) * 3.3
            guard x - half > lastRight + 4 else { continue }
            lastRight = x + half
            b.text(label, x: x, y: p.y1 + 17, anchor: "middle", size: 11, fill: ChartTheme.muted)
        }
        b.raw("<line x1=\"\(NumberText.coord(p.x0))\" x2=\"\(NumberText.coord(p.x1))\" y1=\"\(NumberText.coord(p.y1))\" y2=\"\(NumberText.coord(p.y1))\" stroke=\"\(ChartTheme.axis)\"/>")
        b.close("g")
        b.open("g", ["class": "tw-bins", "data-bins": String(h.counts.count), "data-total": String(h.counts.reduce(0, +))])
        for (i, c) in h.counts.enumerated() where c > 0 {
            let x0 = xs.position(h.edges[i]), x1 = xs.position(h.edges[i + 1])
            let y = ys.position(Double(c))
            let mid = (h.edges[i] + h.edges[i + 1]) / 2
            let color = signColored ? (mid < 0 ? ChartTheme.negative : ChartTheme.positive) : ChartTheme.color(0)
            let tip = format.string(h.edges[i]) + " to " + format.string(h.edges[i + 1]) + ": " + String(c)
            b.element("rect", ["class": "tw-bin", "x": NumberText.coord(x0), "y": NumberText.coord(y),
                               "width": NumberText.coord(max(x1 - x0 - 0.5, 0.5)), "height": NumberText.coord(p.y1 - y),
                               "fill": color, "fill-opacity": "0.8", "data-count": String(c), "data-tip": tip])
        }
        b.close("g")
        for m in markers where m.value >= lo && m.value <= hi {
            let x = xs.position(m.value)
            b.element("line", ["class": "tw-ref", "x1": NumberText.coord(x), "x2": NumberText.coord(x), "y1": NumberText.coord(p.y0),
                               "y2": NumberText.coord(p.y1), "stroke": ChartTheme.reference, "stroke-dasharray": "4 3"])
            let (lx, anchor) = markerLabelPosition(at: x, label: m.label)
            b.text(m.label, x: lx, y: p.y0 + 10, anchor: anchor, size: Self.markerFontSize, fill: ChartTheme.reference,
                   cls: "tw-ref-label")
        }
        return SVGBuilder.document(width: width, height: height, title: title, id: id, kind: "histogram",
                                   data: [("bins", String(h.counts.count)), ("total", String(h.counts.reduce(0, +)))],
                                   standalone: standalone, body: b.body)
    }
}
