import Foundation

/// A grid of values coloured on a diverging scale (red below the centre, white at it, green above),
/// with a colour legend: monthly returns by year × month, an objective over two parameters.
public struct HeatmapChart: Sendable, Equatable {
    public var title: String
    public var id: String?
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`; `nil` is an empty cell.
    public var values: [[Double?]]
    public var format: ValueFormat = .auto
    /// The value drawn white; `nil` uses 0 when the values straddle zero, else their midpoint.
    public var center: Double?
    /// Axis titles.
    public var rowTitle: String = ""
    public var columnTitle: String = ""
    /// Higher is better (green); set false for a loss objective so that low values are green.
    public var higherIsBetter = true
    public var cellWidth: Double = 48
    public var cellHeight: Double = 22

    public init(title: String, id: String? = nil, rowLabels: [String], columnLabels: [String], values: [[Double?]],
                format: ValueFormat = .auto) {
        self.title = title
        self.id = id
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.format = format
    }

    /// The centre and the half-width of the colour scale.
    public func colorRange() -> (center: Double, spread: Double) {
        let all = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max() else { return (0, 1) }
        let c = center ?? ((lo < 0 && hi > 0) ? 0 : (lo + hi) / 2)
        let spread = max(abs(hi - c), abs(c - lo))
        return (c, spread > 0 ? spread : 1)
    }

    /// The fill for `v`: interpolated from white to green (above the centre) or red (below).
    public func color(_ v: Double) -> String {
        let r = colorRange()
        var f = max(-1, min(1, (v - r.center) / r.spread))
        if !higherIsBetter { f = -f }
        let (tr, tg, tb): (Double, Double, Double) = f >= 0 ? (22, 163, 74) : (220, 38, 38)
        let a = abs(f)
        func mix(_ t: Double) -> Int { Int((255 + (t - 255) * a).rounded()) }
        return String(format: "#%02x%02x%02x", mix(tr), mix(tg), mix(tb))
    }

    public var width: Double {
        let labelWidth = Double(rowLabels.map(\.count).max() ?? 1) * 7 + 24
        return max(360, labelWidth + cellWidth * Double(columnLabels.count) + 16)
    }

    public var height: Double { 40 + cellHeight * Double(rowLabels.count) + 60 }

    public func svg(standalone: Bool = false) -> String {
        let labelWidth = Double(rowLabels.map(\.count).max() ?? 1) * 7 + 24
        let x0 = labelWidth, y0 = 34.0
        var b = SVGBuilder()
        if !columnTitle.isEmpty { b.text(columnTitle, x: x0, y: 12, size: 11, fill: ChartTheme.muted) }
        if !rowTitle.isEmpty { b.text(rowTitle, x: 4, y: 12, size: 11, fill: ChartTheme.muted) }
        let maxChars = max(1, Int(cellWidth / 6.5))
        for (j, c) in columnLabels.enumerated() {
            b.text(String(c.prefix(maxChars)), x: x0 + cellWidth * (Double(j) + 0.5), y: y0 - 6, anchor: "middle", size: 11, fill: ChartTheme.muted)
        }
        b.open("g", ["class": "tw-cells"])
        var cells = 0
        for (i, row) in rowLabels.enumerated() {
            let y = y0 + cellHeight * Double(i)
            b.text(row, x: x0 - 6, y: y + cellHeight / 2 + 4, anchor: "end", size: 11, fill: ChartTheme.text)
            guard i < values.count else { continue }
            for (j, v) in values[i].enumerated() where j < columnLabels.count {
                guard let v, v.isFinite else { continue }
                cells += 1
                let x = x0 + cellWidth * Double(j)
                let text = format.string(v)
                b.element("rect", ["class": "tw-cell", "x": NumberText.coord(x + 0.5), "y": NumberText.coord(y + 0.5),
                                   "width": NumberText.coord(cellWidth - 1), "height": NumberText.coord(cellHeight - 1),
                                   "fill": color(v), "data-value": NumberText.fixed(v, 6),
                                   "data-tip": row + " · " + columnLabels[j] + ": " + text])
                if Double(text.count) * 6 <= cellWidth - 4 {
                    let r = colorRange()
                    let strong = abs(v - r.center) / r.spread > 0.6
                    b.text(text, x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, anchor: "middle", size: 10,
                           fill: strong ? "#ffffff" : ChartTheme.text, cls: "tw-cell-text")
                }
            }
        }
        b.close("g")
        // Legend: a gradient from the low end through the centre to the high end.
        let r = colorRange()
        let ly = y0 + cellHeight * Double(rowLabels.count) + 18
        let lw = min(240, max(120, width - x0 - 16))
        let gid = (id ?? "tw-heat") + "-legend"
        b.raw("<defs><linearGradient id=\"\(XMLEscape.escape(gid))\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">")
        for (k, f) in [-1.0, -0.5, 0, 0.5, 1].enumerated() {
            b.raw("<stop offset=\"\(NumberText.fixed(Double(k) * 0.25, 2))\" stop-color=\"\(color(r.center + f * r.spread))\"/>")
        }
        b.raw("</linearGradient></defs>")
        b.open("g", ["class": "tw-legend"])
        b.element("rect", ["x": NumberText.coord(x0), "y": NumberText.coord(ly), "width": NumberText.coord(lw), "height": "10",
                           "fill": "url(#\(gid))", "stroke": ChartTheme.grid])
        b.text(format.string(r.center - r.spread), x: x0, y: ly + 24, size: 10, fill: ChartTheme.muted)
        b.text(format.string(r.center), x: x0 + lw / 2, y: ly + 24, anchor: "middle", size: 10, fill: ChartTheme.muted)
        b.text(format.string(r.center + r.spread), x: x0 + lw, y: ly + 24, anchor: "end", size: 10, fill: ChartTheme.muted)
        b.close("g")
        return SVGBuilder.document(width: width, height: height, title: title, id: id, kind: "heatmap",
                                   data: [("rows", String(rowLabels.count)), ("columns", String(columnLabels.count)), ("cells", String(cells))],
                                   standalone: standalone, maxWidth: width * 1.3, body: b.body)
    }
}
