import TradewindCharts
import TradewindCore

/// The model-evaluation report: the chained out-of-sample equity of an ML strategy's walk-forward against
/// buy-and-hold, each fold's out-of-sample scores and returns, and the leaky random-split comparison (the
/// validation accuracy a random permutation split reports next to what the model then scores out of sample).
/// Self-contained, in the page style of the other reports. Every number carries its exact value in `data-v`.
public enum ModelEvaluationReport {
    public static let sectionIDs = ["summary", "equity", "folds", "leakage"]

    public static func render(_ input: ModelEvaluationReportInput) -> String {
        let body = summary(input) + equity(input) + folds(input) + leakage(input)
        let labels = ["Summary", "Equity", "Folds", "Leakage"]
        return ReportPage.document(title: input.title, nav: Array(zip(sectionIDs, labels)).map { ($0.0, $0.1) }, body: body)
    }

    static let percent = ValueFormat.percent(decimals: 2), ratio = ValueFormat.number(decimals: 4)

    /// A table cell with the exact value and its display.
    static func cell(_ v: Double, _ format: ValueFormat) -> String {
        "<td data-v=\"" + NumberText.fixed(v, 10) + "\">" + HTMLText.esc(v.isFinite ? format.string(v) : "—") + "</td>"
    }

    static func card(_ key: String, _ label: String, _ v: Double, _ format: ValueFormat) -> String {
        "<div class=\"card\" data-key=\"" + key + "\" data-value=\"" + NumberText.fixed(v, 10) + "\"><div class=\"label\">"
            + HTMLText.esc(label) + "</div><div class=\"value\">" + HTMLText.esc(v.isFinite ? format.string(v) : "—") + "</div></div>"
    }

    /// The mean of the finite values (NaN when none).
    static func mean(_ xs: [Double]) -> Double {
        let v = xs.filter(\.isFinite)
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    static func summary(_ input: ModelEvaluationReportInput) -> String {
        var s = "<section id=\"summary\" class=\"summary\"><h1>" + HTMLText.esc(input.title) + "</h1>"
        s += HTMLText.facts([("Strategy", input.strategy), ("Symbols", input.symbols.joined(separator: ", ")),
                             ("Period", input.period.description), ("Data", input.dataSource), ("Folds", String(input.folds.count))])
        s += "<div class=\"cards\">"
        s += card("strategy-return", "Out-of-sample return", input.strategyReturn, percent)
        s += card("buy-and-hold-return", "Buy-and-hold return", input.buyAndHoldReturn, percent)
        s += card("accuracy", "Out-of-sample accuracy (mean)", mean(input.folds.map(\.accuracy)), ratio)
        s += card("random-split-validation-accuracy", "Random-split validation accuracy (leaky, mean)",
                  mean(input.folds.map(\.randomSplitValidationAccuracy)), ratio)
        return s + "</div></section>"
    }

    static func equity(_ input: ModelEvaluationReportInput) -> String {
        var s = "<section id=\"equity\"><h2>Out-of-sample equity</h2>"
        guard !input.equityTimes.isEmpty else { return s + HTMLText.note("No out-of-sample bars.") + "</section>" }
        let axis: XAxis = input.period.interval.isIntraday ? .ordinal(times: input.equityTimes, zone: input.period.zone, intraday: true)
            : .time(zone: input.period.zone, intraday: false)
        var c = XYChart(title: "Chained out-of-sample equity", id: "oos-equity", xAxis: axis, series: [
            ChartSeries(name: input.strategy, times: input.equityTimes, values: input.strategyEquity, on: axis, color: ChartTheme.palette[0]),
            ChartSeries(name: "Buy-and-hold", times: input.equityTimes, values: input.buyAndHoldEquity, on: axis, color: ChartTheme.palette[5]),
        ])
        c.yFormat = .auto
        return s + HTMLText.figure("Each fold's model trades only its test window; the folds are chained", c.svg()) + "</section>"
    }

    static func folds(_ input: ModelEvaluationReportInput) -> String {
        var s = "<section id=\"folds\"><h2>Folds</h2>"
        guard !input.folds.isEmpty else { return s + HTMLText.note("No fold had test bars.") + "</section>" }
        s += "<div class=\"table-wrap\"><table class=\"data\" id=\"fold-table\"><thead><tr>"
        for h in ["Fold", "In-sample", "Out-of-sample", "Samples", "Accuracy", "Baseline", "IC", "MAE", "Trades", "Return", "Buy-and-hold"] {
            s += "<th>" + HTMLText.esc(h) + "</th>"
        }
        s += "</tr></thead><tbody>"
        for f in input.folds {
            s += "<tr data-fold=\"\(f.index)\"><td>\(f.index + 1)</td><td>"
                + HTMLText.esc(HTMLText.date(f.trainStart, input.period) + " → " + HTMLText.date(f.trainEnd, input.period)) + "</td><td>"
                + HTMLText.esc(HTMLText.date(f.testStart, input.period) + " → " + HTMLText.date(f.testEnd, input.period)) + "</td>"
                + "<td data-v=\"\(f.samples)\">\(f.samples)</td>" + cell(f.accuracy, ratio) + cell(f.baselineAccuracy, ratio)
                + cell(f.informationCoefficient, ratio) + cell(f.meanAbsoluteError, ratio) + "<td data-v=\"\(f.trades)\">\(f.trades)</td>"
                + cell(f.strategyReturn, percent) + cell(f.buyAndHoldReturn, percent) + "</tr>"
        }
        return s + "</tbody></table></div></section>"
    }

    static func leakage(_ input: ModelEvaluationReportInput) -> String {
        var s = "<section id=\"leakage\"><h2>Time split against the leaky random split</h2>"
        guard !input.folds.isEmpty else { return s + HTMLText.note("No fold had test bars.") + "</section>" }
        s += HTMLText.note("Each fold's model validates on a purged time split inside its in-sample window. Trained the AI trading "
                           + "server's way instead (every window pooled and shuffled before the cut), validation windows share dates "
                           + "with training ones and the scaler sees them: its validation accuracy overstates what the model scores "
                           + "on the test window.")
        let fs = input.folds
        var b = BarChart(title: "Validation and out-of-sample accuracy", id: "leakage-bars", categories: fs.map { "F\($0.index + 1)" },
                         series: [BarChart.Series(name: "Time split: validation", values: fs.map(\.timeSplitValidationAccuracy), color: ChartTheme.palette[0]),
                                  BarChart.Series(name: "Time split: out of sample", values: fs.map(\.accuracy), color: ChartTheme.palette[2]),
                                  BarChart.Series(name: "Random split: validation (leaky)", values: fs.map(\.randomSplitValidationAccuracy), color: ChartTheme.palette[3]),
                                  BarChart.Series(name: "Random split: out of sample", values: fs.map(\.randomSplitAccuracy), color: ChartTheme.palette[5])])
        b.format = ratio
        s += HTMLText.figure("Accuracy per fold", b.svg())
        s += "<div class=\"table-wrap\"><table class=\"data\" id=\"leakage-table\"><thead><tr>"
        for h in ["Fold", "Time split: validation", "Time split: out of sample", "Random split: validation (leaky)",
                  "Random split: out of sample", "Random split's overstatement"] {
            s += "<th>" + HTMLText.esc(h) + "</th>"
        }
        s += "</tr></thead><tbody>"
        for f in fs {
            s += "<tr data-fold=\"\(f.index)\"><td>\(f.index + 1)</td>" + cell(f.timeSplitValidationAccuracy, ratio) + cell(f.accuracy, ratio)
                + cell(f.randomSplitValidationAccuracy, ratio) + cell(f.randomSplitAccuracy, ratio)
                + cell(f.randomSplitValidationAccuracy - f.randomSplitAccuracy, ratio) + "</tr>"
        }
        return s + "</tbody></table></div></section>"
    }
}
