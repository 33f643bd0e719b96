import TradewindAnalytics
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// A parameter's value as text (JSON and resume files).
public struct NamedValue: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The best trial of a search: its parameters, objective and the full engine summary of that run
/// (the numbers `tradewind backtest` prints for the same parameters on the same bars).
public struct BestTrial: Sendable, Equatable, Codable {
    public var trial: Int
    public var params: ParameterAssignment
    public var objective: Double?
    public var summary: BacktestSummary

    enum Keys: String, CodingKey { case trial, params, objective }

    public init(trial: Int, params: ParameterAssignment, objective: Double?, summary: BacktestSummary) {
        self.trial = trial
        self.params = params
        self.objective = objective
        self.summary = summary
    }

    /// One object: `trial`, `params` (name → value text), `objective`, then the summary's keys.
    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(trial, forKey: .trial)
        try c.encode(params, forKey: .params)
        try c.encode(objective, forKey: .objective)
    }

    public init(from decoder: any Decoder) throws {
        summary = try BacktestSummary(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        trial = try c.decode(Int.self, forKey: .trial)
        params = try c.decode(ParameterAssignment.self, forKey: .params)
        objective = try c.decodeIfPresent(Double.self, forKey: .objective)
    }
}

/// Parameter values by name, in the space's order; encoded as one JSON object (`{"fast": "10", …}`).
public struct ParameterAssignment: Sendable, Hashable, Codable {
    public var items: [NamedValue]
    public init(_ items: [NamedValue]) { self.items = items }
    /// The value of `name`, if assigned.
    public subscript(_ name: String) -> String? { items.first { $0.name == name }?.value }
    /// `name=value` pairs separated by spaces.
    public var text: String { items.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for i in items { try c.encode(i.value, forKey: Key(stringValue: i.name)) }
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        // Keys come back unordered: the caller's space order is restored by `SymbolOptimization.normalised`.
        items = try c.allKeys.map { NamedValue(name: $0.stringValue, value: try c.decode(String.self, forKey: $0)) }
            .sorted { $0.name < $1.name }
    }
}

/// One of the top trials.
public struct TopEntry: Sendable, Hashable, Codable {
    public var trial: Int
    public var params: ParameterAssignment
    public var objective: Double?
    /// Metric name → value (null when undefined), as the evaluation path reported them.
    public var metrics: [String: Double?]
}

/// Overfitting figures of a search's best trial.
///
/// - `trials`: trials evaluated. `sharpe_variance`: variance (n−1) across trials of the per-period
///   Sharpe ratios (collected streaming). `probabilistic_sharpe`: PSR of the best run against 0;
///   `deflated_sharpe`: its PSR against the expected maximum Sharpe of `trials` unskilled trials
///   (`SharpeStatistics`), from the best run's returns (engine). Periods are bars, or sessions for intraday
///   data (`SharpeBasis`), for kernel and engine trials alike; `expected_max_sharpe` is annualised on that
///   basis. `robustness`: `RobustnessScore` of the best point's feasible one-step neighbours, each evaluated.
public struct OverfittingFigures: Sendable, Hashable, Codable {
    public var trials: Int
    public var sharpeVariance: Double?
    public var expectedMaxSharpe: Double?
    public var probabilisticSharpe: Double?
    public var deflatedSharpe: Double?
    public var robustness: Double?
    public var robustnessWorstDrop: Double?
    public var neighbours: Int

    enum CodingKeys: String, CodingKey {
        case trials, neighbours, robustness
        case sharpeVariance = "sharpe_variance", expectedMaxSharpe = "expected_max_sharpe"
        case probabilisticSharpe = "probabilistic_sharpe", deflatedSharpe = "deflated_sharpe"
        case robustnessWorstDrop = "robustness_worst_drop"
    }
}

/// Headline metrics of a stretch of per-bar returns (in-sample or out-of-sample).
public struct WindowFigures: Sendable, Hashable, Codable {
    public var objective: Double?
    public var totalReturn: Double?
    public var sharpe: Double?
    public var maxDrawdown: Double?
    public var trades: Int
    public var bars: Int

    enum CodingKeys: String, CodingKey {
        case objective, sharpe, trades, bars
        case totalReturn = "total_return", maxDrawdown = "max_drawdown"
    }
}

/// One walk-forward fold (or the single split), dates as ISO-8601 UTC of the first and last bar.
public struct FoldFigures: Sendable, Hashable, Codable {
    public var index: Int
    public var trainStart: String
    public var trainEnd: String
    public var testStart: String
    public var testEnd: String
    public var params: ParameterAssignment
    public var inSample: WindowFigures
    public var outOfSample: WindowFigures

    enum CodingKeys: String, CodingKey {
        case index, params
        case trainStart = "train_start", trainEnd = "train_end", testStart = "test_start", testEnd = "test_end"
        case inSample = "in_sample", outOfSample = "out_of_sample"
    }
}

/// In-sample vs out-of-sample figures: a date split (one fold) or walk-forward folds, with the
/// out-of-sample per-bar returns stitched across folds.
public struct ValidationFigures: Sendable, Hashable, Codable {
    public var kind: String
    public var folds: [FoldFigures]
    /// All in-sample windows: the mean of the folds' in-sample figures.
    public var inSample: WindowFigures
    /// The stitched out-of-sample returns' figures.
    public var outOfSample: WindowFigures
    /// Stitched out-of-sample equity (starting at 1) and bar times (ISO-8601).
    public var stitchedEquity: [Double]
    public var stitchedTimes: [String]

    enum CodingKeys: String, CodingKey {
        case kind, folds
        case inSample = "in_sample", outOfSample = "out_of_sample"
        case stitchedEquity = "stitched_equity", stitchedTimes = "stitched_times"
    }
}

/// Everything a job found for one symbol.
public struct SymbolOptimization: Sendable, Equatable, Codable {
    public var symbol: String
    public var bars: Int
    /// Trials of the main search.
    public var evaluations: Int
    /// Trials of the walk-forward folds' own searches (nil without walk-forward validation).
    public var validationEvaluations: Int?
    public var feasible: Int
    /// "kernel" or "engine": how the search evaluated trials.
    public var path: String
    /// With the engine: why no kernel applied (the dataset, the objective or the setting it does not model).
    public var engineReason: String?
    public var best: BestTrial?
    public var top: [TopEntry]
    public var overfitting: OverfittingFigures?
    public var validation: ValidationFigures?
    /// Objective per trial in evaluation order (NaN as null), for the report's distribution/progress charts.
    public var objectiveByTrial: [Double?]
    /// The ranges `--auto-bounds` derived for this symbol (`start:stop:step` by parameter).
    public var autoBounds: [String: String]?
    /// The searched (not fixed) parameters.
    public var searchedParameters: [String] = []
    /// Every trial's values of the searched parameters, when the job records trials
    /// (`SearchSettings.recordTrials`, for reports). Not written to JSON or job files.
    public var trials: [TrialRecord] = []

    enum CodingKeys: String, CodingKey {
        case symbol, bars, evaluations, feasible, path, best, top, overfitting, validation, engineReason = "engine_reason"
        case objectiveByTrial = "objective_by_trial", autoBounds = "auto_bounds", searchedParameters = "searched_parameters"
        case validationEvaluations = "validation_evaluations"
    }

    /// Restores parameter order (JSON objects come back unordered) to the space's order.
    func normalised(order: [String]) -> SymbolOptimization {
        func sort(_ p: ParameterAssignment) -> ParameterAssignment {
            ParameterAssignment(p.items.sorted { (order.firstIndex(of: $0.name) ?? .max) < (order.firstIndex(of: $1.name) ?? .max) })
        }
        var s = self
        if var b = s.best { b.params = sort(b.params); s.best = b }
        s.top = s.top.map { var t = $0; t.params = sort(t.params); return t }
        if var v = s.validation {
            v.folds = v.folds.map { var f = $0; f.params = sort(f.params); return f }
            s.validation = v
        }
        return s
    }
}

/// One trial's searched parameter values and objective (NaN when infeasible).
public struct TrialRecord: Sendable, Equatable {
    public var number: Int
    public var values: [SearchValue]
    public var objective: Double
}

func optional(_ x: Double) -> Double? { x.isFinite ? x : nil }
