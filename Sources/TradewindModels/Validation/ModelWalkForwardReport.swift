import TradewindCore
import TradewindReports

extension ModelWalkForward.Report {
    /// The model-evaluation report's input (`ModelEvaluationReport`): every fold's scores, returns and random-split
    /// comparison (NaN where the walk-forward did not compute one), and the chained curves.
    public func reportInput(title: String, strategy: String, symbols: [String], dataSource: String,
                            zone: ZoneRules = .utc, interval: BarInterval = .daily) -> ModelEvaluationReportInput {
        let rows = folds.map { f in
            ModelEvaluationFold(
                index: f.index, trainStart: f.trainFrom, trainEnd: f.trainThrough, testStart: f.testFrom, testEnd: f.testThrough,
                samples: f.evaluation?.samples ?? 0, accuracy: f.evaluation?.accuracy ?? .nan,
                informationCoefficient: f.evaluation?.informationCoefficient ?? .nan,
                meanAbsoluteError: f.evaluation?.meanAbsoluteError ?? .nan, baselineAccuracy: f.evaluation?.baselineAccuracy ?? .nan,
                timeSplitValidationAccuracy: f.model.config.validationMetrics["accuracy"] ?? .nan,
                randomSplitValidationAccuracy: f.randomSplit?.validationAccuracy ?? .nan, randomSplitAccuracy: f.randomSplit?.accuracy ?? .nan,
                strategyReturn: f.strategyReturn, buyAndHoldReturn: f.buyAndHoldReturn, trades: f.trades)
        }
        let period = ReportPeriod(start: folds.first?.trainFrom ?? 0, end: folds.last?.testThrough ?? 0, interval: interval, zone: zone)
        return ModelEvaluationReportInput(title: title, strategy: strategy, symbols: symbols, dataSource: dataSource, period: period,
                                          folds: rows, equityTimes: equity.map(\.time), strategyEquity: equity.map(\.strategy),
                                          buyAndHoldEquity: equity.map(\.buyAndHold))
    }
}

extension ModelWalkForward.Report {
    /// The folds and chained curves as the reports' out-of-sample model section (`ModelReportSection`), with
    /// `settings` and `notes` saying how they were made.
    public func outOfSampleSection(strategy: String, settings: [ReportFact], notes: [String]) -> ModelOutOfSampleSection {
        ModelOutOfSampleSection(
            title: ModelReportSection.title, strategy: strategy, settings: settings, notes: notes,
            folds: reportInput(title: "", strategy: strategy, symbols: [], dataSource: "").folds.map(\.outOfSample),
            equityTimes: equity.map(\.time), strategyEquity: equity.map(\.strategy), buyAndHoldEquity: equity.map(\.buyAndHold))
    }
}
