import TradewindAnalytics
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// The search settings shared by every symbol of a job.
public struct SearchSettings: Sendable {
    public var method: SearchMethodKind
    /// Trial budget of random and TPE search (grid search evaluates every feasible point).
    public var trials: Int
    public var seed: UInt64
    public var objective: Objective
    /// Trials with fewer closed trades are infeasible (objective NaN, ranked last).
    public var minTrades: Int
    /// Trials kept, best first.
    public var topK: Int
    /// Points asked per batch. Grid and random search: 4,096 by default, spread over all cores; a grid search whose
    /// evaluator has a kernel takes up to `kernelGridBatch` points at once (`batchSize(for:)`).
    /// TPE: 1 by default (sequential, the best use of each result); the trial sequence depends on the
    /// seed and this size, never on the number of threads.
    public var batchSize: Int?
    public var tpe: TPEConfiguration
    /// Evaluate the best point's neighbours for the robustness score.
    public var robustness: Bool
    /// Keep every trial's point and objective (for reports), up to this many trials; 0 keeps none.
    public var recordTrials: Int = 0

    public init(method: SearchMethodKind = .grid, trials: Int = 100, seed: UInt64 = 0, objective: Objective = Objective(),
                minTrades: Int = 0, topK: Int = 10, batchSize: Int? = nil, tpe: TPEConfiguration = TPEConfiguration(),
                robustness: Bool = true) {
        self.method = method
        self.trials = trials
        self.seed = seed
        self.objective = objective
        self.minTrades = minTrades
        self.topK = topK
        self.batchSize = batchSize
        self.tpe = tpe
        self.robustness = robustness
    }

    var effectiveBatch: Int { batchSize ?? (method == .tpe ? 1 : 4096) }

    /// The default batch of a grid search through a kernel: a kernel walks the bars once per call for the whole
    /// Cartesian grid of its batch's values, so a batch cut inside the grid walks them again and evaluates the
    /// combinations around the cut twice. 32,768 points take the optimizer console's 13,750-point grid in one call;
    /// memory stays bounded by this size.
    public static let kernelGridBatch = 1 << 15

    /// The points asked per batch with `evaluator`: `batchSize` when set, else `kernelGridBatch` for a grid search
    /// through a kernel, else `effectiveBatch`. The outcome is the same for any batch size (grid trials are numbered by
    /// grid index and ranked in that order).
    func batchSize(for evaluator: TrialEvaluator) -> Int {
        if batchSize == nil, method == .grid, evaluator.kernel != nil { return Self.kernelGridBatch }
        return effectiveBatch
    }
}

/// What one search over one dataset found.
public struct SearchOutcome: Sendable {
    /// Trials evaluated (feasible under the constraints; including those below `minTrades`).
    public var evaluations: Int
    /// Trials with a finite objective and enough trades.
    public var feasible: Int
    /// Best first; `RankedTrial.metrics` are `TrialMetrics.values`.
    public var top: [RankedTrial]
    /// Objective by trial number in evaluation order (TPE/random progress; kept only up to 100 000 trials).
    public var objectiveByTrial: [Double]
    /// Streaming moments of the per-period Sharpe ratios of all trials with a finite Sharpe.
    public var sharpeCount: Int
    public var sharpeVariance: Double
    /// True when the search was cancelled before its end.
    public var cancelled: Bool
    /// Every trial without its metrics, in evaluation order, when `SearchSettings.recordTrials` asks for it.
    public var trials: [RankedTrial] = []

    public var best: RankedTrial? { top.first.flatMap { $0.objective.isFinite ? $0 : nil } }
}

/// Runs one search (grid, random or TPE) with an evaluator: ask a batch, evaluate it in parallel, tell
/// the results, keep the top K and optionally stream every row to a results table. Memory is bounded
/// by the batch size and K, whatever the grid size.
public enum SearchRunner {
    /// Builds the search method.
    public static func method(_ s: SearchSettings, space: ParameterSpace, constraints: ConstraintSet) throws(OptimizerError) -> any SearchMethod {
        switch s.method {
        case .grid: return try GridSearch(space: space, constraints: constraints)
        case .random: return try RandomSearch(space: space, constraints: constraints, budget: s.trials, seed: s.seed)
        case .tpe:
            return try TPESampler(space: space, constraints: constraints, direction: s.objective.direction,
                                  budget: s.trials, seed: s.seed, configuration: s.tpe)
        }
    }

    /// The number of trials the search will ask at most (grid: points before constraints).
    public static func plannedTrials(_ s: SearchSettings, space: ParameterSpace) throws(OptimizerError) -> Int {
        s.method == .grid ? (try space.gridSize() ?? 0) : s.trials
    }

    /// The ranking value of a trial: its objective metric when it has at least `minTrades` trades, else NaN.
    public static func objective(_ m: TrialMetrics, _ s: SearchSettings) -> Double {
        let t = m[.trades]
        guard t.isFinite, t >= Double(s.minTrades) else { return .nan }
        return m[s.objective.metric]
    }

    /// Runs the search. `progress(done, planned)` is called after each batch (done counts trials
    /// asked plus grid points skipped by constraints).
    public static func run(_ s: SearchSettings, evaluator: TrialEvaluator, constraints: ConstraintSet,
                           results: ResultsTableWriter? = nil, cancel: CancellationFlag? = nil,
                           progress: ((Int, Int) -> Void)? = nil) throws(OptimizerError) -> SearchOutcome {
        var method = try self.method(s, space: evaluator.space, constraints: constraints)
        let planned = try plannedTrials(s, space: evaluator.space)
        var top = TopK(capacity: max(1, s.topK), direction: s.objective.direction)
        var evaluations = 0, feasible = 0
        var byTrial: [Double] = []
        var welford = (n: 0, mean: 0.0, m2: 0.0)
        var cancelled = false
        var recorded: [RankedTrial] = []
        let batchSize = s.batchSize(for: evaluator)
        while true {
            if cancel?.isCancelled == true { cancelled = true; break }
            let batch = try method.ask(batchSize)
            if batch.isEmpty { break }
            // A cancel while the engine ran the batch left some of its points unevaluated: none of it is told.
            guard let metrics = evaluator.evaluate(batch.map(\.point), cancel: cancel) else { cancelled = true; break }
            for (t, m) in zip(batch, metrics) {
                let f = objective(m, s)
                method.tell(t.number, value: f)
                evaluations += 1
                if f.isFinite { feasible += 1 }
                if byTrial.count < 100_000 { byTrial.append(f) }
                let sr = m.periodSharpe
                if sr.isFinite {
                    welford.n += 1
                    let d = sr - welford.mean
                    welford.mean += d / Double(welford.n)
                    welford.m2 += d * (sr - welford.mean)
                }
                let ranked = RankedTrial(number: t.number, point: t.point, objective: f, metrics: m.values)
                top.insert(ranked)
                if recorded.count < s.recordTrials { recorded.append(RankedTrial(number: t.number, point: t.point, objective: f)) }
                try results?.append(ranked)
            }
            let done: Int
            if let g = method as? GridSearch { done = g.cursor } else { done = evaluations }
            progress?(done, planned)
        }
        return SearchOutcome(evaluations: evaluations, feasible: feasible, top: top.sorted(), objectiveByTrial: byTrial,
                             sharpeCount: welford.n, sharpeVariance: welford.n >= 2 ? welford.m2 / Double(welford.n - 1) : .nan,
                             cancelled: cancelled, trials: recorded)
    }
}
