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

    static let percent = ModelOutOfSampleHTML.percent, ratio = ModelOutOfSampleHTML.ratio

    static func summary(_ input: ModelEvaluationReportInput) -> String {
        var s = "<section id=\"summary\" class=\"summary\"><h1>" + HTMLText.esc(input.title) + "</h1>"
        s += HTMLText.facts([("Strategy", input.strategy), ("Symbols", input.symbols.joined(separator: ", ")),
                             ("Period", input.period.description), ("Data", input.dataSource), ("Folds", String(input.folds.count))])
        s += "<div class=\"cards\">"
        s += ModelOutOfSampleHTML.card("strategy-return", "Out-of-sample return", input.strategyReturn, percent)
        s += ModelOutOfSampleHTML.card("buy-and-hold-return", "Buy-and-hold return", input.buyAndHoldReturn, percent)
        s += ModelOutOfSampleHTML.card("accuracy", "Out-of-sample accuracy (mean)", ModelOutOfSampleHTML.mean(input.folds.map(\.accuracy)), ratio)
        s += ModelOutOfSampleHTML.card("random-split-validation-accuracy", "Random-split validation accuracy (leaky, mean)",
                  ModelOutOfSampleHTML.mean(input.folds.map(\.randomSplitValidationAccuracy)), ratio)
        return s + "</div></section>"
    }

    static func equity(_ input: ModelEvaluationReportInput) -> String {
        "<section id=\"equity\"><h2>Out-of-sample equity</h2>"
            + ModelOutOfSampleHTML.equityFigure(times: input.equityTimes, strategy: input.strategyEquity, buyAndHold: input.buyAndHoldEquity,
                                                name: input.strategy, period: input.period, id: "oos-equity") + "</section>"
    }

    static func folds(_ input: ModelEvaluationReportInput) -> String {
        "<section id=\"folds\"><h2>Folds</h2>"
            + ModelOutOfSampleHTML.foldTable(input.folds.map(\.outOfSample), period: input.period, id: "fold-table") + "</section>"
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
            s += "<tr data-fold=\"\(f.index)\"><td>\(f.index + 1)</td>" + ModelOutOfSampleHTML.cell(f.timeSplitValidationAccuracy, ratio)
                + ModelOutOfSampleHTML.cell(f.accuracy, ratio)
                + ModelOutOfSampleHTML.cell(f.randomSplitValidationAccuracy, ratio) + ModelOutOfSampleHTML.cell(f.randomSplitAccuracy, ratio)
                + ModelOutOfSampleHTML.cell(f.randomSplitValidationAccuracy - f.randomSplitAccuracy, ratio) + "</tr>"
        }
        return s + "</tbody></table></div></section>"
    }
}
