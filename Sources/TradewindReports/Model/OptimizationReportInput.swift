import TradewindCharts
import TradewindCore

/// Everything an optimization report shows, as plain values filled by an adapter from the
/// optimizer's result tables.
public struct OptimizationReportInput: Sendable, Equatable {
    public var title: String
    public var strategy: String
    /// `grid`, `random`, `tpe`, `walk-forward`…
    public var method: String
    public var symbols: [String]
    public var period: ReportPeriod
    public var dataSource: String
    public var costs: String
    public var objective: ObjectiveInfo
    /// The searched parameters, in the column order of `trials[i].parameters`.
    public var parameterNames: [String]
    public var best: BestResult
    public var trials: [TrialRow]
    /// The two parameters of the heatmap (`--heatmap a,b`); `nil` takes the first two.
    public var heatmapAxes: (String, String)?
    /// Draw the objective by trial number (sequential searches such as TPE).
    public var showTrialOrder: Bool
    /// Walk-forward windows (empty when the job was not a walk-forward).
    public var walkForward: [WalkForwardWindow] = []
    /// The out-of-sample equity of the walk-forward windows stitched end to end.
    public var stitchedEquity: TimeSeries?
    /// An ML strategy's out-of-sample model section: the walk-forward folds' retrained models and chosen
    /// parameters, their out-of-sample equity stitched against buy-and-hold (`nil` for other strategies).
    public var modelSection: ModelOutOfSampleSection?
    /// Overfitting figures (probability of backtest overfitting, deflated Sharpe, IS→OOS decay…).
    public var overfitting: [ReportMetric] = []
    /// Per-symbol results of a multi-symbol job.
    public var symbolRows: [SymbolResultRow] = []
    public var notes: [String] = []

    public init(title: String, strategy: String, method: String, symbols: [String], period: ReportPeriod,
                dataSource: String, costs: String, objective: ObjectiveInfo, parameterNames: [String], best: BestResult,
                trials: [TrialRow], heatmapAxes: (String, String)? = nil, showTrialOrder: Bool) {
        self.title = title
        self.strategy = strategy
        self.method = method
        self.symbols = symbols
        self.period = period
        self.dataSource = dataSource
        self.costs = costs
        self.objective = objective
        self.parameterNames = parameterNames
        self.best = best
        self.trials = trials
        self.heatmapAxes = heatmapAxes
        self.showTrialOrder = showTrialOrder
    }

    public static func == (a: OptimizationReportInput, b: OptimizationReportInput) -> Bool {
        a.title == b.title && a.strategy == b.strategy && a.method == b.method && a.symbols == b.symbols
            && a.period == b.period && a.dataSource == b.dataSource && a.costs == b.costs && a.objective == b.objective
            && a.parameterNames == b.parameterNames && a.best == b.best && a.trials == b.trials
            && a.heatmapAxes?.0 == b.heatmapAxes?.0 && a.heatmapAxes?.1 == b.heatmapAxes?.1
            && a.showTrialOrder == b.showTrialOrder && a.walkForward == b.walkForward && a.stitchedEquity == b.stitchedEquity
            && a.modelSection == b.modelSection
            && a.overfitting == b.overfitting && a.symbolRows == b.symbolRows && a.notes == b.notes
    }
}

/// The objective an optimizer maximised or minimised.
public struct ObjectiveInfo: Sendable, Equatable {
    /// `Sharpe ratio`, `CAGR`…
    public var name: String
    public var higherIsBetter: Bool
    public var format: ValueFormat

    public init(name: String, higherIsBetter: Bool = true, format: ValueFormat = .number(decimals: 3)) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.format = format
    }
}

/// The best parameter set and its figures.
public struct BestResult: Sendable, Equatable {
    public var parameters: [ReportParameter]
    public var objective: Double
    public var metrics: [ReportMetric]

    public init(parameters: [ReportParameter], objective: Double, metrics: [ReportMetric]) {
        self.parameters = parameters
        self.objective = objective
        self.metrics = metrics
    }
}

/// One trial: its parameter values (aligned with `parameterNames`) and objective
/// (non-finite when the trial failed or was pruned).
public struct TrialRow: Sendable, Equatable {
    public var number: Int
    public var parameters: [ReportParameterValue]
    public var objective: Double

    public init(number: Int, parameters: [ReportParameterValue], objective: Double) {
        self.number = number
        self.parameters = parameters
        self.objective = objective
    }
}

/// One walk-forward window: its in-sample and out-of-sample spans, the parameters chosen
/// in-sample, and the objective in and out of sample.
public struct WalkForwardWindow: Sendable, Equatable {
    public var index: Int
    public var inSampleStart: UnixNanos
    public var inSampleEnd: UnixNanos
    public var outOfSampleStart: UnixNanos
    public var outOfSampleEnd: UnixNanos
    public var parameters: [ReportParameter]
    public var inSampleObjective: Double
    public var outOfSampleObjective: Double

    public init(index: Int, inSampleStart: UnixNanos, inSampleEnd: UnixNanos, outOfSampleStart: UnixNanos,
                outOfSampleEnd: UnixNanos, parameters: [ReportParameter], inSampleObjective: Double, outOfSampleObjective: Double) {
        self.index = index
        self.inSampleStart = inSampleStart
        self.inSampleEnd = inSampleEnd
        self.outOfSampleStart = outOfSampleStart
        self.outOfSampleEnd = outOfSampleEnd
        self.parameters = parameters
        self.inSampleObjective = inSampleObjective
        self.outOfSampleObjective = outOfSampleObjective
    }
}

/// One symbol of a multi-symbol job: its best parameters and figures, and optionally its full
/// backtest, which the report embeds as a section the table links to.
public struct SymbolResultRow: Sendable, Equatable {
    public var symbol: String
    public var parameters: [ReportParameter]
    public var objective: Double
    /// Columns of the per-symbol table (the same keys for every row).
    public var metrics: [ReportMetric]
    public var backtest: BacktestReportInput?

    public init(symbol: String, parameters: [ReportParameter], objective: Double, metrics: [ReportMetric],
                backtest: BacktestReportInput? = nil) {
        self.symbol = symbol
        self.parameters = parameters
        self.objective = objective
        self.metrics = metrics
        self.backtest = backtest
    }
}
