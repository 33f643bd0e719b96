import TradewindCore

/// What the model-evaluation report shows: an ML strategy's walk-forward (`tradewind ml walk-forward --report`),
/// each fold's model trained on its in-sample window only, scored and traded on its test window; the folds'
/// out-of-sample equity chained against buy-and-hold; and, per fold, the leaky random-split comparison.
public struct ModelEvaluationReportInput: Sendable, Equatable {
    public var title: String
    public var strategy: String
    public var symbols: [String]
    public var dataSource: String
    public var period: ReportPeriod
    public var folds: [ModelEvaluationFold]
    /// The chained out-of-sample curves (both start at 1).
    public var equityTimes: [UnixNanos]
    public var strategyEquity: [Double]
    public var buyAndHoldEquity: [Double]

    public init(title: String, strategy: String, symbols: [String], dataSource: String, period: ReportPeriod,
                folds: [ModelEvaluationFold], equityTimes: [UnixNanos], strategyEquity: [Double], buyAndHoldEquity: [Double]) {
        self.title = title
        self.strategy = strategy
        self.symbols = symbols
        self.dataSource = dataSource
        self.period = period
        self.folds = folds
        self.equityTimes = equityTimes
        self.strategyEquity = strategyEquity
        self.buyAndHoldEquity = buyAndHoldEquity
    }

    /// The chained out-of-sample returns (0 without folds).
    public var strategyReturn: Double { (strategyEquity.last ?? 1) - 1 }
    public var buyAndHoldReturn: Double { (buyAndHoldEquity.last ?? 1) - 1 }
}

/// One walk-forward fold of the model-evaluation report. Accuracies are NaN when there was nothing to score.
public struct ModelEvaluationFold: Sendable, Equatable {
    public var index: Int
    public var trainStart: UnixNanos, trainEnd: UnixNanos, testStart: UnixNanos, testEnd: UnixNanos
    /// The test window's labelled windows and the model's accuracy, information coefficient and change MAE on them,
    /// with the accuracy of always predicting the training set's most frequent class.
    public var samples: Int
    public var accuracy: Double, informationCoefficient: Double, meanAbsoluteError: Double, baselineAccuracy: Double
    /// The model's own validation accuracy inside its in-sample window (a purged time split).
    public var timeSplitValidationAccuracy: Double
    /// The same training with the AI trading server's random permutation split: its (leaky) validation accuracy,
    /// and that model's accuracy on the same test windows.
    public var randomSplitValidationAccuracy: Double, randomSplitAccuracy: Double
    public var strategyReturn: Double, buyAndHoldReturn: Double
    public var trades: Int

    public init(index: Int, trainStart: UnixNanos, trainEnd: UnixNanos, testStart: UnixNanos, testEnd: UnixNanos, samples: Int,
                accuracy: Double, informationCoefficient: Double, meanAbsoluteError: Double, baselineAccuracy: Double,
                timeSplitValidationAccuracy: Double, randomSplitValidationAccuracy: Double, randomSplitAccuracy: Double,
                strategyReturn: Double, buyAndHoldReturn: Double, trades: Int) {
        self.index = index
        self.trainStart = trainStart
        self.trainEnd = trainEnd
        self.testStart = testStart
        self.testEnd = testEnd
        self.samples = samples
        self.accuracy = accuracy
        self.informationCoefficient = informationCoefficient
        self.meanAbsoluteError = meanAbsoluteError
        self.baselineAccuracy = baselineAccuracy
        self.timeSplitValidationAccuracy = timeSplitValidationAccuracy
        self.randomSplitValidationAccuracy = randomSplitValidationAccuracy
        self.randomSplitAccuracy = randomSplitAccuracy
        self.strategyReturn = strategyReturn
        self.buyAndHoldReturn = buyAndHoldReturn
        self.trades = trades
    }

    /// The fold as a row of the out-of-sample fold table (`ModelOutOfSampleHTML.foldTable`).
    public var outOfSample: ModelOutOfSampleFold {
        ModelOutOfSampleFold(index: index, trainStart: trainStart, trainEnd: trainEnd, testStart: testStart, testEnd: testEnd,
                             samples: samples, accuracy: accuracy, baselineAccuracy: baselineAccuracy,
                             informationCoefficient: informationCoefficient, meanAbsoluteError: meanAbsoluteError, trades: trades,
                             strategyReturn: strategyReturn, buyAndHoldReturn: buyAndHoldReturn)
    }
}
