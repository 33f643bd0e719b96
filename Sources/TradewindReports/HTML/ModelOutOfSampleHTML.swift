import TradewindCharts
import TradewindCore

/// Lays out an ML strategy's out-of-sample results: the chained out-of-sample equity against buy-and-hold and the
/// per-fold table. One implementation for the three reports that show them: the model section of the backtest and
/// optimization reports (`section`), and the equity and fold sections of the model-evaluation report
/// (`equityFigure`, `foldTable`). Every number carries its exact value in `data-v`.
public enum ModelOutOfSampleHTML {
    static let percent = ValueFormat.percent(decimals: 2), ratio = ValueFormat.number(decimals: 4)

    /// The model section (`<section id="{idPrefix}model">`): settings, notes, the chained returns and mean
    /// out-of-sample accuracy as cards, the equity chart and the fold table. Dates in `period`'s zone.
    public static func section(_ model: ModelOutOfSampleSection, period: ReportPeriod, idPrefix p: String = "", headingLevel: Int = 2) -> String {
        var s = "<section id=\"\(p)model\"><h\(headingLevel)>" + HTMLText.esc(model.title) + "</h\(headingLevel)>"
        s += HTMLText.facts([("Strategy", model.strategy)] + model.settings.map { ($0.label, $0.text) })
        if !model.notes.isEmpty { s += "<div class=\"notes\">" + model.notes.map(HTMLText.esc).joined(separator: "<br/>") + "</div>" }
        s += "<div class=\"cards\">"
        s += card("model-oos-return", "Out-of-sample return", model.strategyReturn, percent)
        s += card("model-buy-and-hold-return", "Buy-and-hold return", model.buyAndHoldReturn, percent)
        s += card("model-oos-accuracy", "Out-of-sample accuracy (mean)", mean(model.folds.map(\.accuracy)), ratio)
        s += "</div>"
        s += equityFigure(times: model.equityTimes, strategy: model.strategyEquity, buyAndHold: model.buyAndHoldEquity,
                          name: model.strategy, period: period, id: p + "oos-equity", caption: model.equityCaption)
        s += foldTable(model.folds, period: period, id: p + "fold-table")
        return s + "</section>"
    }

    /// The chained out-of-sample equity of the strategy against buy-and-hold, or a note when there is none.
    public static func equityFigure(times: [UnixNanos], strategy: [Double], buyAndHold: [Double], name: String,
                                    period: ReportPeriod, id: String,
                                    caption: String = ModelOutOfSampleSection.chainedFolds) -> String {
        guard !times.isEmpty else { return HTMLText.note("No out-of-sample bars.") }
        let axis: XAxis = period.interval.isIntraday ? .ordinal(times: times, zone: period.zone, intraday: true)
            : .time(zone: period.zone, intraday: false)
        var c = XYChart(title: "Chained out-of-sample equity", id: id, xAxis: axis, series: [
            ChartSeries(name: name, times: times, values: strategy, on: axis, color: ChartTheme.palette[0]),
            ChartSeries(name: "Buy-and-hold", times: times, values: buyAndHold, on: axis, color: ChartTheme.palette[5]),
        ])
        c.yFormat = .auto
        return HTMLText.figure(caption, c.svg())
    }

    /// The per-fold table: ranges, the chosen parameters (a column only when some fold has them), the model's
    /// out-of-sample scores, trades and returns; a note when there is no fold. Rows are `<tr data-fold="index">`.
    public static func foldTable(_ folds: [ModelOutOfSampleFold], period: ReportPeriod, id: String) -> String {
        guard !folds.isEmpty else { return HTMLText.note("No fold had test bars.") }
        let withParameters = folds.contains { !$0.parameters.isEmpty }
        var s = "<div class=\"table-wrap\"><table class=\"data\" id=\"" + HTMLText.esc(id) + "\"><thead><tr>"
        let headers = ["Fold", "In-sample", "Out-of-sample"] + (withParameters ? ["Parameters"] : [])
            + ["Samples", "Accuracy", "Baseline", "IC", "MAE", "Trades", "Return", "Buy-and-hold"]
        for h in headers { s += "<th>" + HTMLText.esc(h) + "</th>" }
        s += "</tr></thead><tbody>"
        for f in folds {
            s += "<tr data-fold=\"\(f.index)\"><td>\(f.index + 1)</td><td>"
                + HTMLText.esc(HTMLText.date(f.trainStart, period) + " → " + HTMLText.date(f.trainEnd, period)) + "</td><td>"
                + HTMLText.esc(HTMLText.date(f.testStart, period) + " → " + HTMLText.date(f.testEnd, period)) + "</td>"
                + (withParameters ? "<td>" + HTMLText.esc(HTMLText.parameters(f.parameters)) + "</td>" : "")
                + "<td data-v=\"\(f.samples)\">\(f.samples)</td>" + cell(f.accuracy, ratio) + cell(f.baselineAccuracy, ratio)
                + cell(f.informationCoefficient, ratio) + cell(f.meanAbsoluteError, ratio) + "<td data-v=\"\(f.trades)\">\(f.trades)</td>"
                + cell(f.strategyReturn, percent) + cell(f.buyAndHoldReturn, percent) + "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    /// A table cell with the exact value and its display ("—" when not finite).
    static func cell(_ v: Double, _ format: ValueFormat) -> String {
        "<td data-v=\"" + NumberText.fixed(v, 10) + "\">" + HTMLText.esc(v.isFinite ? format.string(v) : "—") + "</td>"
    }

    /// A summary card with the exact value in `data-value`.
    static func card(_ key: String, _ label: String, _ v: Double, _ format: ValueFormat) -> String {
        "<div class=\"card\" data-key=\"" + key + "\" data-value=\"" + NumberText.fixed(v, 10) + "\"><div class=\"label\">"
            + HTMLText.esc(label) + "</div><div class=\"value\">" + HTMLText.esc(v.isFinite ? format.string(v) : "—") + "</div></div>"
    }

    /// The mean of the finite values (NaN when none).
    static func mean(_ xs: [Double]) -> Double {
        let v = xs.filter(\.isFinite)
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }
}
