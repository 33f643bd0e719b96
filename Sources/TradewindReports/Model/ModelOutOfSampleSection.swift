import TradewindCore

/// The out-of-sample model section of a report: an ML strategy's out-of-sample equity against equal-weight
/// buy-and-hold over the same bars, and its folds (training range, test range, the parameters chosen, the model's
/// scores on the test window, returns). `tradewind backtest --report` and `tradewind optimize --report` add it for
/// `ml-signal` and `ml-topk`; `tradewind ml walk-forward --report` draws its equity and fold table with the same
/// code (`ModelOutOfSampleHTML`). Filled by TradewindModels, which knows the models; this module only lays it out.
public struct ModelOutOfSampleSection: Sendable, Equatable {
    /// The section's heading (`Model out of sample`).
    public var title: String
    public var strategy: String
    /// How the folds' models were obtained, shown as label and text (`Model`, `retrained on each fold's in-sample
    /// bars: …`; `Folds`, `folds=3`).
    public var settings: [ReportFact]
    /// What the section shows and what it does not, in sentences.
    public var notes: [String]
    public var folds: [ModelOutOfSampleFold]
    /// The chained out-of-sample curves (both start at 1 before the first out-of-sample bar).
    public var equityTimes: [UnixNanos]
    public var strategyEquity: [Double]
    public var buyAndHoldEquity: [Double]
    /// The caption of the equity chart: how the curve was traded.
    public var equityCaption: String

    /// The equity chart's caption for walk-forward folds.
    public static let chainedFolds = "Each fold's model trades only its test window; the folds are chained"

    public init(title: String, strategy: String, settings: [ReportFact], notes: [String], folds: [ModelOutOfSampleFold],
                equityTimes: [UnixNanos], strategyEquity: [Double], buyAndHoldEquity: [Double],
                equityCaption: String = ModelOutOfSampleSection.chainedFolds) {
        self.title = title
        self.strategy = strategy
        self.settings = settings
        self.notes = notes
        self.folds = folds
        self.equityTimes = equityTimes
        self.strategyEquity = strategyEquity
        self.buyAndHoldEquity = buyAndHoldEquity
        self.equityCaption = equityCaption
    }

    /// The chained out-of-sample returns (0 without out-of-sample bars).
    public var strategyReturn: Double { (strategyEquity.last ?? 1) - 1 }
    public var buyAndHoldReturn: Double { (buyAndHoldEquity.last ?? 1) - 1 }
}

/// A label and its text (a row of a report's facts list).
public struct ReportFact: Sendable, Equatable {
    public var label: String
    public var text: String

    public init(_ label: String, _ text: String) {
        self.label = label
        self.text = text
    }
}

/// One fold of the out-of-sample model section. Model scores are NaN where there was nothing to score (or the
/// fold's model could not be read again).
public struct ModelOutOfSampleFold: Sendable, Equatable {
    public var index: Int
    public var trainStart: UnixNanos, trainEnd: UnixNanos, testStart: UnixNanos, testEnd: UnixNanos
    /// The parameters chosen on the fold's in-sample window (an optimisation's folds); empty when they are given.
    public var parameters: [ReportParameter]
    /// The test window's labelled windows and the model's accuracy, information coefficient and change MAE on them,
    /// with the accuracy of always predicting the training set's most frequent class.
    public var samples: Int
    public var accuracy: Double, baselineAccuracy: Double, informationCoefficient: Double, meanAbsoluteError: Double
    public var trades: Int
    /// The strategy's and equal-weight buy-and-hold's returns over the test window.
    public var strategyReturn: Double, buyAndHoldReturn: Double

    public init(index: Int, trainStart: UnixNanos, trainEnd: UnixNanos, testStart: UnixNanos, testEnd: UnixNanos,
                parameters: [ReportParameter] = [], samples: Int, accuracy: Double, baselineAccuracy: Double,
                informationCoefficient: Double, meanAbsoluteError: Double, trades: Int, strategyReturn: Double,
                buyAndHoldReturn: Double) {
        self.index = index
        self.trainStart = trainStart
        self.trainEnd = trainEnd
        self.testStart = testStart
        self.testEnd = testEnd
        self.parameters = parameters
        self.samples = samples
        self.accuracy = accuracy
        self.baselineAccuracy = baselineAccuracy
        self.informationCoefficient = informationCoefficient
        self.meanAbsoluteError = meanAbsoluteError
        self.trades = trades
        self.strategyReturn = strategyReturn
        self.buyAndHoldReturn = buyAndHoldReturn
    }
}
