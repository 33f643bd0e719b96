import Foundation
import TradewindCore

/// A chart with an x axis (time, bar index or number) and a value axis (linear or log): lines,
/// filled areas, candles, trade markers and reference lines, with a legend and hover tooltips.
///
/// Long series are thinned with `Decimation.minMax` to the plot's pixel columns; candles beyond
/// one per three pixels are merged. Rendering is deterministic: the same chart yields the same bytes.
public struct XYChart: Sendable, Equatable {
    /// Accessible title (the SVG `<title>`); the page shows its own heading.
    public var title: String
    /// The element id (unique within a page).
    public var id: String?
    public var width: Double = 720
    public var height: Double = 300
    public var xAxis: XAxis
    public var yScale: ScaleKind = .linear
    public var yFormat: ValueFormat = .auto
    /// A fixed value range (e.g. `0...100` for RSI); `nil` fits the data with nice bounds.
    public var yDomain: ClosedRange<Double>?
    public var series: [ChartSeries] = []
    /// Candles (drawn first, under the series), with their legend name.
    public var candles: Candles?
    public var candleName: String = "Price"
    public var markers: [ChartMarker] = []
    public var referenceLines: [ReferenceLine] = []
    public var showLegend = true
    /// Approximate number of tick intervals on each axis.
    public var xTickTarget = 7
    public var yTickTarget = 5
    /// An upper bound on the pixel columns series are thinned to (smaller files when a page holds
    /// many charts); `nil` uses the plot width.
    public var maxColumns: Int?

    public init(title: String, id: String? = nil, xAxis: XAxis, series: [ChartSeries] = []) {
        self.title = title
        self.id = id
        self.xAxis = xAxis
        self.series = series
    }

    /// Left, top, right and bottom edges of the plot area inside the view box. The left edge leaves room
    /// for the widest y tick label (by `ChartTheme.textWidth`), and at least 64 px.
    public var plotArea: (x0: Double, y0: Double, x1: Double, y1: Double) {
        let widest = yTicks().map { ChartTheme.textWidth($0.label, size: Self.tickFontSize) }.max() ?? 0
        return (max(64, (widest + Self.tickGap + 4).rounded(.up)), showLegend ? 30 : 12, width - 14, height - 26)
    }

    static let tickFontSize = 11.0
    /// The space between a y tick label's right end and the plot.
    static let tickGap = 6.0

    /// The pixel columns a series is thinned to.
    public var decimationColumns: Int { max(16, min(maxColumns ?? Int.max, Int((plotArea.x1 - plotArea.x0) / 1.5))) }

    /// The most candles drawn: one per three pixels (or per `maxColumns`), wider spans are merged.
    public var maxCandles: Int { max(1, min(maxColumns ?? Int.max, Int((plotArea.x1 - plotArea.x0) / 3))) }

    /// The x scale the chart draws with.
    public func xScaleUsed() -> AxisScale {
        let p = plotArea
        var lo = Double.infinity, hi = -Double.infinity
        switch xAxis {
        case .ordinal(let times, _, _):
            lo = -0.5
            hi = Double(max(times.count, 1)) - 0.5
        default:
            for s in series {
                for (i, v) in s.x.enumerated() where v.isFinite && i < s.y.count && s.y[i].isFinite {
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
            if let c = candles {
                for v in c.x {
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
            for m in markers {
                lo = min(lo, m.x)
                hi = max(hi, m.x)
            }
            if !lo.isFinite { lo = 0; hi = 1 }
            if lo == hi {
                let pad: Double
                if case .time = xAxis { pad = Double(UnixTime.nanosPerDay) / 2 } else { pad = max(abs(lo) * 0.05, 0.5) }
                lo -= pad
                hi += pad
            }
            if let c = candles, c.count > 1 {
                let half = (hi - lo) / Double(c.count - 1) / 2
                lo -= half
                hi += half
            }
        }
        return AxisScale(kind: .linear, domain: lo...hi, range: (p.x0, p.x1))
    }

    /// The value scale the chart draws with (linear when a log scale was asked for but a value is ≤ 0).
    public func yScaleUsed() -> AxisScale {
        let p = plotArea
        let (kind, domain) = yDomainUsed()
        return AxisScale(kind: kind, domain: domain, range: (p.y1, p.y0))
    }

    /// The y ticks with their labels, bottom to top.
    public func yTicks() -> [(value: Double, label: String)] {
        let (kind, domain) = yDomainUsed()
        // Tick values depend on the domain only, so any pixel range will do here.
        let ticks = AxisScale(kind: kind, domain: domain, range: (1, 0)).ticks(target: yTickTarget)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : max(abs(domain.upperBound - domain.lowerBound), 1e-12)
        return Array(zip(ticks, yFormat.tickLabels(ticks, step: step, scale: kind)))
    }

    /// The kind and the domain of the value scale.
    private func yDomainUsed() -> (ScaleKind, ClosedRange<Double>) {
        var lo = Double.infinity, hi = -Double.infinity
        func take(_ v: Double) {
            if v.isFinite {
                lo = min(lo, v)
                hi = max(hi, v)
            }
        }
        for s in series {
            for v in s.y { take(v) }
            if case .area(let b) = s.style { take(b) }
        }
        if let c = candles {
            for v in c.low { take(v) }
            for v in c.high { take(v) }
        }
        for m in markers { take(m.y) }
        for r in referenceLines { take(r.value) }
        if let d = yDomain { return (yScale == .log && d.lowerBound > 0 ? .log : .linear, d) }
        if !lo.isFinite { lo = 0; hi = 1 }
        if yScale == .log && lo > 0 {
            if lo == hi { lo *= 0.9; hi *= 1.1 }
            return (.log, (lo * 0.97)...(hi * 1.03))
        }
        let n = NiceTicks.niceDomain(lo, hi, target: yTickTarget)
        return (.linear, n.lo...n.hi)
    }

    /// The chart as inline SVG markup (`standalone` adds the SVG namespace for a `.svg` file).
    public func svg(standalone: Bool = false) -> String {
        let p = plotArea
        let xs = xScaleUsed()
        let ys = yScaleUsed()
        var b = SVGBuilder()
        drawYAxis(&b, ys)
        drawXAxis(&b, xs)
        if let c = candles { drawCandles(&b, c, xs, ys) }
        var drawn: [(series: ChartSeries, idx: [Int], color: String)] = []
        for (k, s) in series.enumerated() {
            let color = s.color ?? ChartTheme.color(k)
            let idx = Decimation.minMax(x: s.x, y: s.y, columns: decimationColumns)
            drawSeries(&b, s, idx, color, xs, ys)
            drawn.append((s, idx, color))
        }
        for r in referenceLines {
            let y = ys.position(r.value)
            b.element("line", ["x1": NumberText.coord(p.x0), "x2": NumberText.coord(p.x1), "y1": NumberText.coord(y), "y2": NumberText.coord(y),
                               "stroke": r.color, "stroke-dasharray": "5 4", "stroke-width": "1", "class": "tw-ref",
                               "data-value": NumberText.fixed(r.value, 6)])
            b.text(r.label, x: p.x1 - 4, y: y - 4, anchor: "end", size: 11, fill: r.color)
        }
        // The hover area goes under the markers so that they keep their own tooltips.
        drawHover(&b, drawn, xs, ys)
        for m in markers { drawMarker(&b, m, xs, ys) }
        if showLegend { drawLegend(&b, drawn.map { ($0.series.name, $0.color, $0.series.style) }) }
        var data: [(String, String)] = [
            ("plot", [p.x0, p.y0, p.x1, p.y1].map(NumberText.coord).joined(separator: " ")),
            ("y-scale", ys.kind.rawValue),
            ("y-domain", NumberText.fixed(ys.domain.lowerBound, 6) + " " + NumberText.fixed(ys.domain.upperBound, 6)),
            ("x-domain", NumberText.fixed(xs.domain.lowerBound, 3) + " " + NumberText.fixed(xs.domain.upperBound, 3)),
        ]
        if let c = candles { data.append(("candles", String(c.count))) }
        return SVGBuilder.document(width: width, height: height, title: title, id: id, kind: "xy", data: data,
                                   standalone: standalone, body: b.body)
    }

    private func drawYAxis(_ b: inout SVGBuilder, _ ys: AxisScale) {
        let p = plotArea
        b.open("g", ["class": "tw-axis tw-y"])
        for (v, label) in yTicks() {
            let y = ys.position(v)
            b.raw("<line x1=\"\(NumberText.coord(p.x0))\" x2=\"\(NumberText.coord(p.x1))\" y1=\"\(NumberText.coord(y))\" y2=\"\(NumberText.coord(y))\" stroke=\"\(ChartTheme.grid)\"/>")
            b.text(label, x: p.x0 - Self.tickGap, y: y + 4, anchor: "end", size: Self.tickFontSize, fill: ChartTheme.muted)
        }
        b.close("g")
    }

    private func drawXAxis(_ b: inout SVGBuilder, _ xs: AxisScale) {
        let p = plotArea
        b.open("g", ["class": "tw-axis tw-x"])
        b.raw("<line x1=\"\(NumberText.coord(p.x0))\" x2=\"\(NumberText.coord(p.x1))\" y1=\"\(NumberText.coord(p.y1))\" y2=\"\(NumberText.coord(p.y1))\" stroke=\"\(ChartTheme.axis)\"/>")
        var ticks: [(x: Double, label: String)] = []
        switch xAxis {
        case .time(let zone, _):
            let lo = UnixNanos(xs.domain.lowerBound.rounded(.up)), hi = UnixNanos(xs.domain.upperBound.rounded(.down))
            ticks = DateTicks.ticks(from: lo, to: hi, target: xTickTarget, zone: zone).map { (Double($0.time), $0.label) }
        case .ordinal(let times, let zone, _):
            ticks = DateTicks.ordinalTicks(times: times, target: xTickTarget, zone: zone).map { (Double($0.index), $0.label) }
        case .numeric(let f):
            let vs = NiceTicks.linear(xs.domain.lowerBound, xs.domain.upperBound, target: xTickTarget)
            let step = vs.count > 1 ? vs[1] - vs[0] : 1
            ticks = vs.map { ($0, f.tickLabel($0, step: step)) }
        }
        // Drop labels that would overlap their left neighbour (about 6.5 px per character).
        var lastRight = -Double.infinity
        for t in ticks {
            let x = xs.position(t.x)
            let half = Double(t.label.count) * 3.3
            guard x - half > lastRight + 4 else { continue }
            lastRight = x + half
            b.raw("<line x1=\"\(NumberText.coord(x))\" x2=\"\(NumberText.coord(x))\" y1=\"\(NumberText.coord(p.y1))\" y2=\"\(NumberText.coord(p.y1 + 4))\" stroke=\"\(ChartTheme.axis)\"/>")
            b.text(t.label, x: min(max(x, p.x0 + half), width - half), y: p.y1 + 17, anchor: "middle", size: 11, fill: ChartTheme.muted)
        }
        b.close("g")
    }

    private func drawSeries(_ b: inout SVGBuilder, _ s: ChartSeries, _ idx: [Int], _ color: String, _ xs: AxisScale, _ ys: AxisScale) {
        guard !idx.isEmpty else { return }
        var d = ""
        d.reserveCapacity(idx.count * 12)
        for (k, i) in idx.enumerated() {
            d += (k == 0 ? "M" : k == 1 ? "L" : " ") + NumberText.coord(xs.position(s.x[i])) + "," + NumberText.coord(ys.position(s.y[i]))
        }
        let lastI = idx[idx.count - 1], firstI = idx[0]
        let common: String = " data-series=\"\(XMLEscape.escape(s.name))\" data-n=\"\(s.y.count)\" data-drawn=\"\(idx.count)\""
            + " data-first=\"\(NumberText.fixed(s.y[firstI], 6))\" data-last=\"\(NumberText.fixed(s.y[lastI], 6))\""
        if case .area(let base) = s.style {
            let by = NumberText.coord(ys.position(base))
            let area = d + "L" + NumberText.coord(xs.position(s.x[lastI])) + "," + by + "L" + NumberText.coord(xs.position(s.x[firstI])) + "," + by + "Z"
            b.raw("<path class=\"tw-area\" d=\"\(area)\" fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"none\"/>")
        }
        if s.style != .dots {
            var attrs = " fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(NumberText.coord(s.strokeWidth))\" stroke-linejoin=\"round\""
            if s.dashed { attrs += " stroke-dasharray=\"6 4\"" }
            b.raw("<path class=\"tw-series\"" + common + " d=\"" + (idx.count == 1 ? d + "h0.01" : d) + "\"" + attrs + "/>")
        }
        if s.style == .dots || s.style == .lineWithDots || idx.count == 1 {
            b.raw("<g class=\"tw-dots\"" + (s.style == .dots ? common : "") + " fill=\"\(color)\">")
            for i in idx {
                b.raw("<circle cx=\"\(NumberText.coord(xs.position(s.x[i])))\" cy=\"\(NumberText.coord(ys.position(s.y[i])))\" r=\"2.5\"/>")
            }
            b.raw("</g>")
        }
    }

    private func drawCandles(_ b: inout SVGBuilder, _ c0: Candles, _ xs: AxisScale, _ ys: AxisScale) {
        let p = plotArea
        let c = c0.merged(toAtMost: maxCandles)
        let pitch = c.count > 1 ? abs(xs.position(c.x[1]) - xs.position(c.x[0])) : (p.x1 - p.x0) / 2
        let w = max(1, min(14, pitch * 0.7))
        var up = "", down = "", wicksUp = "", wicksDown = ""
        for i in 0..<c.count {
            let x = xs.position(c.x[i])
            let yo = ys.position(c.open[i]), yc = ys.position(c.close[i])
            let rising = c.close[i] >= c.open[i]
            let top = min(yo, yc), h = max(abs(yc - yo), 0.8)
            let wick = "M" + NumberText.coord(x) + "," + NumberText.coord(ys.position(c.high[i])) + "V" + NumberText.coord(ys.position(c.low[i]))
            let body = "M" + NumberText.coord(x - w / 2) + "," + NumberText.coord(top) + "h" + NumberText.coord(w) + "v" + NumberText.coord(h)
                + "h" + NumberText.coord(-w) + "Z"
            if rising { up += body; wicksUp += wick } else { down += body; wicksDown += wick }
        }
        b.raw("<g class=\"tw-candles\" data-series=\"\(XMLEscape.escape(candleName))\" data-n=\"\(c0.count)\" data-drawn=\"\(c.count)\" data-last=\"\(c.close.last.map { NumberText.fixed($0, 6) } ?? "")\">")
        if !wicksUp.isEmpty { b.raw("<path d=\"\(wicksUp)\" stroke=\"\(ChartTheme.positive)\" stroke-width=\"1\"/>") }
        if !wicksDown.isEmpty { b.raw("<path d=\"\(wicksDown)\" stroke=\"\(ChartTheme.negative)\" stroke-width=\"1\"/>") }
        if !up.isEmpty { b.raw("<path d=\"\(up)\" fill=\"\(ChartTheme.positive)\"/>") }
        if !down.isEmpty { b.raw("<path d=\"\(down)\" fill=\"\(ChartTheme.negative)\"/>") }
        b.raw("</g>")
    }

    private func drawMarker(_ b: inout SVGBuilder, _ m: ChartMarker, _ xs: AxisScale, _ ys: AxisScale) {
        let x = xs.position(m.x), y = ys.position(m.y)
        let d: String
        let fill: String
        switch m.kind {
        case .entry:
            d = "M" + NumberText.coord(x) + "," + NumberText.coord(y + 3) + "l5,9h-10Z"
            fill = ChartTheme.positive
        case .exit:
            d = "M" + NumberText.coord(x) + "," + NumberText.coord(y - 3) + "l5,-9h-10Z"
            fill = ChartTheme.negative
        }
        b.element("path", ["class": "tw-marker tw-" + m.kind.rawValue, "d": d, "fill": fill, "stroke": "#fff", "stroke-width": "0.5",
                           "data-x": NumberText.fixed(m.x, 3), "data-y": NumberText.fixed(m.y, 6), "data-tip": m.tip])
    }

    private func drawHover(_ b: inout SVGBuilder, _ drawn: [(series: ChartSeries, idx: [Int], color: String)], _ xs: AxisScale, _ ys: AxisScale) {
        let p = plotArea
        // The primary sequence of x positions: the first series, else the candles.
        var pxs: [Double] = []
        var labels: [String] = []
        func nearest(_ s: ChartSeries, _ x: Double) -> Double? {
            var lo = 0, hi = s.x.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if s.x[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            var best: Int?
            for j in [lo - 1, lo] where j >= 0 && j < s.x.count && j < s.y.count && s.y[j].isFinite {
                if best == nil || abs(s.x[j] - x) < abs(s.x[best!] - x) { best = j }
            }
            guard let best, abs(s.x[best] - x) <= max(1e-9, abs(x) * 1e-12) + (xs.domain.upperBound - xs.domain.lowerBound) / 200 else { return nil }
            return s.y[best]
        }
        var xValues: [Double] = []
        var candleAt: [(Double, Double, Double, Double)] = []
        var candleFirstX: [Double] = []
        if let first = drawn.first, !first.idx.isEmpty {
            xValues = first.idx.map { first.series.x[$0] }
        } else if let c0 = candles {
            let c = c0.merged(toAtMost: maxCandles)
            xValues = c.x
            candleAt = (0..<c.count).map { (c.open[$0], c.high[$0], c.low[$0], c.close[$0]) }
            // A merged candle is labelled with its first bar.
            candleFirstX = (0..<c.count).map { c.x[$0] - Double(c.merged[$0] - 1) / 2 * (c.count > 1 ? (c0.x.last! - c0.x[0]) / Double(max(c0.count - 1, 1)) : 0) }
        }
        guard !xValues.isEmpty else { return }
        var lastPx = -Double.infinity
        for (k, x) in xValues.enumerated() {
            let px = (xs.position(x) * 10).rounded() / 10
            var parts = [xAxis.label(k < candleFirstX.count ? candleFirstX[k] : x)]
            if k < candleAt.count {
                let o = candleAt[k]
                parts.append("O \(yFormat.string(o.0))  H \(yFormat.string(o.1))  L \(yFormat.string(o.2))  C \(yFormat.string(o.3))")
            }
            for d in drawn {
                if let v = nearest(d.series, x) { parts.append(d.series.name + ": " + yFormat.string(v)) }
            }
            let label = parts.joined(separator: "\n").replacingOccurrences(of: "|", with: "/")
            if px == lastPx, !labels.isEmpty {
                labels[labels.count - 1] = label
            } else {
                pxs.append(px)
                labels.append(label)
                lastPx = px
            }
        }
        b.raw("<line class=\"tw-guide\" x1=\"0\" x2=\"0\" y1=\"\(NumberText.coord(p.y0))\" y2=\"\(NumberText.coord(p.y1))\" stroke=\"\(ChartTheme.axis)\" stroke-dasharray=\"3 3\" style=\"display:none\"/>")
        b.element("rect", ["class": "tw-hit", "x": NumberText.coord(p.x0), "y": NumberText.coord(p.y0),
                           "width": NumberText.coord(p.x1 - p.x0), "height": NumberText.coord(p.y1 - p.y0), "fill": "transparent",
                           "data-xs": pxs.map(NumberText.coord).joined(separator: " "), "data-tt": labels.joined(separator: "|")])
    }

    private func drawLegend(_ b: inout SVGBuilder, _ items: [(String, String, SeriesStyle)]) {
        var x = plotArea.x0
        let y = 16.0
        b.open("g", ["class": "tw-legend"])
        if candles != nil {
            b.raw("<rect x=\"\(NumberText.coord(x))\" y=\"\(NumberText.coord(y - 8))\" width=\"5\" height=\"10\" fill=\"\(ChartTheme.positive)\"/>")
            b.raw("<rect x=\"\(NumberText.coord(x + 6))\" y=\"\(NumberText.coord(y - 6))\" width=\"5\" height=\"8\" fill=\"\(ChartTheme.negative)\"/>")
            b.text(candleName, x: x + 15, y: y + 1, size: 11)
            x += 15 + Double(candleName.count) * 6.5 + 14
        }
        for (name, color, style) in items where !name.isEmpty {
            if style == .dots {
                b.raw("<circle cx=\"\(NumberText.coord(x + 7))\" cy=\"\(NumberText.coord(y - 3))\" r=\"3\" fill=\"\(color)\"/>")
            } else {
                b.raw("<rect x=\"\(NumberText.coord(x))\" y=\"\(NumberText.coord(y - 5))\" width=\"14\" height=\"3\" fill=\"\(color)\"/>")
            }
            b.text(name, x: x + 18, y: y + 1, size: 11)
            x += 18 + Double(name.count) * 6.5 + 14
        }
        if markers.contains(where: { $0.kind == .entry }) {
            b.raw("<path d=\"M\(NumberText.coord(x + 5)),\(NumberText.coord(y - 8))l5,9h-10Z\" fill=\"\(ChartTheme.positive)\"/>")
            b.text("Entry", x: x + 14, y: y + 1, size: 11)
            x += 14 + 5 * 6.5 + 12
        }
        if markers.contains(where: { $0.kind == .exit }) {
            b.raw("<path d=\"M\(NumberText.coord(x + 5)),\(NumberText.coord(y + 1))l5,-9h-10Z\" fill=\"\(ChartTheme.negative)\"/>")
            b.text("Exit", x: x + 14, y: y + 1, size: 11)
        }
        b.close("g")
    }
}
