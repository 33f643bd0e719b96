import TradewindCharts
import TradewindCore

/// The optimization report: best parameters and their figures, the objective heatmap over two
/// parameters, the objective's distribution (and, for sequential searches, by trial), walk-forward
/// windows with the stitched out-of-sample equity, overfitting figures, and the per-symbol table
/// linking to each symbol's embedded backtest.
public enum OptimizationReport {
    public static let sectionIDs = ["best", "heatmap", "trials", "walk-forward", "overfitting", "symbols"]
    /// Trials beyond this count are left out of the page's table (the page says so).
    public static let maxTrialRows = 2_000

    /// The whole page; fails only when `heatmapAxes` names an unknown parameter.
    public static func render(_ input: OptimizationReportInput) throws(ReportError) -> String {
        let grid = try ObjectiveGrid.make(input)
        var body = best(input)
        body += heatmap(input, grid)
        body += trials(input)
        body += walkForward(input)
        if let model = input.modelSection { body += ModelOutOfSampleHTML.section(model, period: input.period) }
        body += overfitting(input)
        body += symbols(input)
        let labels = ["Best", "Heatmap", "Trials", "Walk-forward", "Overfitting", "Symbols"]
        var nav = Array(zip(sectionIDs, labels)).map { ($0.0, $0.1) }
        if input.modelSection != nil { nav.insert(("model", "Model"), at: 4) }
        return ReportPage.document(title: input.title, nav: nav, body: body)
    }

    static func metricTable(_ ms: [ReportMetric], id: String) -> String {
        var s = "<div class=\"table-wrap\"><table class=\"metrics\" id=\"\(id)\"><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>"
        for m in ms {
            s += "<tr data-key=\"" + HTMLText.esc(m.key) + "\"><td>" + HTMLText.esc(m.label) + "</td><td data-v=\""
                + NumberText.fixed(m.value, 8) + "\">" + HTMLText.esc(m.display) + "</td></tr>"
        }
        return s + "</tbody></table></div>"
    }

    static func best(_ input: OptimizationReportInput) -> String {
        let finished = input.trials.filter { $0.objective.isFinite }.count
        var s = "<section id=\"best\" class=\"summary\"><h1>" + HTMLText.esc(input.title) + "</h1>"
        s += HTMLText.facts([
            ("Strategy", input.strategy), ("Method", input.method), ("Objective", input.objective.name + (input.objective.higherIsBetter ? " (maximised)" : " (minimised)")),
            ("Symbols", input.symbols.joined(separator: ", ")), ("Period", input.period.description), ("Data", input.dataSource),
            ("Costs", input.costs), ("Trials", "\(input.trials.count) (\(finished) finished)"),
        ])
        if !input.notes.isEmpty { s += "<div class=\"notes\">" + input.notes.map(HTMLText.esc).joined(separator: "<br/>") + "</div>" }
        s += "<h2>Best parameters</h2><div class=\"cards\">"
        s += "<div class=\"card\" data-key=\"objective\" data-value=\"\(NumberText.fixed(input.best.objective, 6))\"><div class=\"label\">"
            + HTMLText.esc(input.objective.name) + "</div><div class=\"value\">"
            + HTMLText.esc(input.best.objective.isFinite ? input.objective.format.string(input.best.objective) : "—") + "</div></div>"
        for p in input.best.parameters {
            s += "<div class=\"card\" data-key=\"param-" + HTMLText.esc(p.name) + "\"><div class=\"label\">" + HTMLText.esc(p.name)
                + "</div><div class=\"value\">" + HTMLText.esc(p.value.description) + "</div></div>"
        }
        s += "</div>"
        if !input.best.metrics.isEmpty { s += metricTable(input.best.metrics, id: "best-metrics") }
        return s + "</section>"
    }

    static func heatmap(_ input: OptimizationReportInput, _ grid: ObjectiveGrid?) -> String {
        var s = "<section id=\"heatmap\"><h2>Objective heatmap</h2>"
        guard let g = grid else {
            // One parameter: the objective along it.
            if input.parameterNames.count == 1 {
                let pts = input.trials.filter { $0.objective.isFinite && $0.parameters.first?.number != nil }
                    .sorted { $0.parameters[0] < $1.parameters[0] }
                if !pts.isEmpty {
                    var c = XYChart(title: input.objective.name + " by " + input.parameterNames[0], id: "objective-by-parameter",
                                    xAxis: .numeric(format: .auto),
                                    series: [ChartSeries(name: input.objective.name, x: pts.map { $0.parameters[0].number! }, y: pts.map(\.objective),
                                                         style: .lineWithDots)])
                    c.yFormat = input.objective.format
                    return s + HTMLText.note("One parameter was searched, so the objective is drawn along it.")
                        + HTMLText.figure(input.objective.name + " by " + input.parameterNames[0], c.svg()) + "</section>"
                }
            }
            return s + HTMLText.note("A heatmap needs at least two parameters.") + "</section>"
        }
        var h = HeatmapChart(title: input.objective.name + " over " + g.xName + " × " + g.yName, id: "objective-heatmap",
                             rowLabels: g.yLabels, columnLabels: g.xLabels, values: g.values, format: input.objective.format)
        h.rowTitle = g.yName + " ↓"
        h.columnTitle = g.xName + " →"
        h.higherIsBetter = input.objective.higherIsBetter
        h.cellWidth = max(40, min(64, 900 / Double(max(g.xLabels.count, 1))))
        let others = input.parameterNames.filter { $0 != g.xName && $0 != g.yName }
        let how: String
        if others.isEmpty {
            how = ""
        } else if g.othersAtBest {
            how = " Other parameters at their best values: " + HTMLText.parameters(input.best.parameters.filter { others.contains($0.name) }) + "."
        } else {
            how = " Too few trials at the best values of " + others.joined(separator: ", ") + ", so each cell shows the best objective over them."
        }
        s += "<p>" + HTMLText.esc("Rows: \(g.yName); columns: \(g.xName). The report's heatmap axes choose the pair." + how) + "</p>"
        s += HTMLText.figure(input.objective.name + " by " + g.xName + " and " + g.yName, h.svg())
        return s + "</section>"
    }

    static func trials(_ input: OptimizationReportInput) -> String {
        var s = "<section id=\"trials\"><h2>Trials</h2>"
        let finite = input.trials.filter { $0.objective.isFinite }
        guard !finite.isEmpty else { return s + HTMLText.note("No trial finished.") + "</section>" }
        s += "<div class=\"grid\">"
        var h = HistogramChart(title: "Objective distribution", id: "objective-hist", values: finite.map(\.objective), format: input.objective.format)
        h.signColored = false
        h.width = BacktestReport.gridChartWidth
        h.markers = [(input.best.objective, "best")]
        s += HTMLText.figure("Distribution of " + input.objective.name + " over \(finite.count) trials", h.svg())
        if input.showTrialOrder {
            let ordered = finite.sorted { $0.number < $1.number }
            var running: [Double] = []
            for t in ordered {
                let prev = running.last ?? t.objective
                running.append(input.objective.higherIsBetter ? max(prev, t.objective) : min(prev, t.objective))
            }
            var c = XYChart(title: "Objective by trial", id: "objective-by-trial", xAxis: .numeric(format: .number(decimals: 0)),
                            series: [ChartSeries(name: "Trial", x: ordered.map { Double($0.number) }, y: ordered.map(\.objective), style: .dots,
                                                 color: ChartTheme.palette[0]),
                                     ChartSeries(name: "Best so far", x: ordered.map { Double($0.number) }, y: running, color: ChartTheme.palette[1])])
            c.yFormat = input.objective.format
            c.width = BacktestReport.gridChartWidth
            s += HTMLText.figure(input.objective.name + " by trial", c.svg())
        }
        s += "</div>"
        let sorted = input.trials.sorted { a, b in
            if a.objective.isFinite != b.objective.isFinite { return a.objective.isFinite }
            return input.objective.higherIsBetter ? a.objective > b.objective : a.objective < b.objective
        }
        let shown = sorted.prefix(maxTrialRows)
        s += "<div class=\"toolbar\"><button type=\"button\" data-csv=\"trial-table\" data-file=\"trials.csv\">Export CSV</button><span>"
            + "\(input.trials.count) trials" + (shown.count < sorted.count ? ", best \(shown.count) shown" : "") + ", best first; click a column to sort.</span></div>"
        s += "<div class=\"table-wrap\"><table class=\"sortable trials\" id=\"trial-table\"><thead><tr><th data-name=\"trial\" data-type=\"num\">Trial</th>"
        for n in input.parameterNames { s += "<th data-name=\"" + HTMLText.esc(n) + "\" data-type=\"num\">" + HTMLText.esc(n) + "</th>" }
        s += "<th data-name=\"objective\" data-type=\"num\">" + HTMLText.esc(input.objective.name) + "</th></tr></thead><tbody>"
        for t in shown {
            s += "<tr><td data-v=\"\(t.number)\">\(t.number)</td>"
            for v in t.parameters {
                let raw = v.number.map { NumberText.fixed($0, 8) } ?? v.description
                s += "<td data-v=\"" + HTMLText.esc(raw) + "\">" + HTMLText.esc(v.description) + "</td>"
            }
            s += "<td data-v=\"" + NumberText.fixed(t.objective, 8) + "\">" + HTMLText.esc(t.objective.isFinite ? input.objective.format.string(t.objective) : "failed") + "</td></tr>"
        }
        return s + "</tbody></table></div></section>"
    }

    static func walkForward(_ input: OptimizationReportInput) -> String {
        var s = "<section id=\"walk-forward\"><h2>Walk-forward</h2>"
        guard !input.walkForward.isEmpty else { return s + HTMLText.note("This job was not a walk-forward analysis.") + "</section>" }
        let ws = input.walkForward
        var b = BarChart(title: "In-sample vs out-of-sample", id: "walk-forward-bars", categories: ws.map { "W\($0.index)" },
                         series: [BarChart.Series(name: "In-sample", values: ws.map(\.inSampleObjective), color: ChartTheme.palette[5]),
                                  BarChart.Series(name: "Out-of-sample", values: ws.map(\.outOfSampleObjective), color: ChartTheme.palette[0])])
        b.format = input.objective.format
        b.width = BacktestReport.gridChartWidth
        s += "<div class=\"grid\">" + HTMLText.figure(input.objective.name + " in and out of sample, per window", b.svg())
        if let eq = input.stitchedEquity, !eq.isEmpty {
            let axis: XAxis = input.period.interval.isIntraday ? .ordinal(times: eq.times, zone: input.period.zone, intraday: true)
                : .time(zone: input.period.zone, intraday: false)
            var c = XYChart(title: "Stitched out-of-sample equity", id: "stitched-equity", xAxis: axis,
                            series: [ChartSeries(name: "Out-of-sample equity", times: eq.times, values: eq.values, on: axis, color: ChartTheme.palette[0])])
            c.yFormat = .auto
            c.width = BacktestReport.gridChartWidth
            s += HTMLText.figure("Stitched out-of-sample equity", c.svg())
        }
        s += "</div>"
        let rows = ws.map { w -> [String] in
            [String(w.index),
             HTMLText.esc(HTMLText.date(w.inSampleStart, input.period) + " → " + HTMLText.date(w.inSampleEnd, input.period)),
             HTMLText.esc(HTMLText.date(w.outOfSampleStart, input.period) + " → " + HTMLText.date(w.outOfSampleEnd, input.period)),
             HTMLText.esc(HTMLText.parameters(w.parameters)),
             HTMLText.esc(w.inSampleObjective.isFinite ? input.objective.format.string(w.inSampleObjective) : "—"),
             HTMLText.esc(w.outOfSampleObjective.isFinite ? input.objective.format.string(w.outOfSampleObjective) : "—")]
        }
        s += HTMLText.table(["Window", "In-sample", "Out-of-sample", "Parameters", "IS " + input.objective.name, "OOS " + input.objective.name],
                            rows, id: "walk-forward-table")
        return s + "</section>"
    }

    static func overfitting(_ input: OptimizationReportInput) -> String {
        var s = "<section id=\"overfitting\"><h2>Overfitting</h2>"
        guard !input.overfitting.isEmpty else { return s + HTMLText.note("No overfitting figures for this job.") + "</section>" }
        s += "<div class=\"cards\">"
        for m in input.overfitting.prefix(6) {
            s += "<div class=\"card\" data-key=\"" + HTMLText.esc(m.key) + "\"><div class=\"label\">" + HTMLText.esc(m.label)
                + "</div><div class=\"value\">" + HTMLText.esc(m.display) + "</div></div>"
        }
        return s + "</div>" + metricTable(input.overfitting, id: "overfitting-table") + "</section>"
    }

    static func symbolAnchor(_ symbol: String) -> String { "symbol-" + HTMLText.idFragment(symbol) }

    static func symbols(_ input: OptimizationReportInput) -> String {
        var s = "<section id=\"symbols\"><h2>Per symbol</h2>"
        guard !input.symbolRows.isEmpty else { return s + HTMLText.note("A single-symbol job.") + "</section>" }
        let metricKeys = input.symbolRows[0].metrics
        s += "<div class=\"table-wrap\"><table class=\"sortable symbols\" id=\"symbol-table\"><thead><tr><th data-name=\"symbol\">Symbol</th>"
        s += "<th data-name=\"parameters\">Parameters</th><th data-name=\"objective\" data-type=\"num\">" + HTMLText.esc(input.objective.name) + "</th>"
        for m in metricKeys { s += "<th data-name=\"" + HTMLText.esc(m.key) + "\" data-type=\"num\">" + HTMLText.esc(m.label) + "</th>" }
        s += "</tr></thead><tbody>"
        for r in input.symbolRows {
            let name = r.backtest != nil ? "<a href=\"#" + symbolAnchor(r.symbol) + "\">" + HTMLText.esc(r.symbol) + "</a>" : HTMLText.esc(r.symbol)
            s += "<tr><td data-v=\"" + HTMLText.esc(r.symbol) + "\">" + name + "</td><td>" + HTMLText.esc(HTMLText.parameters(r.parameters)) + "</td>"
            s += "<td data-v=\"" + NumberText.fixed(r.objective, 8) + "\">" + HTMLText.esc(r.objective.isFinite ? input.objective.format.string(r.objective) : "—") + "</td>"
            for key in metricKeys {
                let m = r.metrics.first { $0.key == key.key }
                s += "<td data-v=\"" + (m.map { NumberText.fixed($0.value, 8) } ?? "") + "\">" + HTMLText.esc(m?.display ?? "—") + "</td>"
            }
            s += "</tr>"
        }
        s += "</tbody></table></div>"
        for r in input.symbolRows {
            guard let bt = r.backtest else { continue }
            let anchor = symbolAnchor(r.symbol)
            s += "<article class=\"symbol-report\" id=\"" + anchor + "\">"
            s += BacktestReport.sections(bt, idPrefix: anchor + "-", headingLevel: 2)
            s += "<p><a href=\"#symbols\">Back to the per-symbol table</a></p></article>"
        }
        return s + "</section>"
    }
}
