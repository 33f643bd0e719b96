import TradewindAnalytics
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// How a job checks its choice out of sample.
public enum ValidationPlan: Sendable, Hashable {
    case none
    /// Optimise on the bars before `date`, then trade the rest with the chosen parameters.
    case split(UnixNanos)
    /// Walk-forward folds (see `WalkForwardSpec.windows`).
    case walkForward(WalkForwardSpec)
}

/// One optimisation request, applied to each symbol of a job.
public struct OptimizationJob: Sendable {
    public var strategy: StrategyDescriptor
    public var space: ParameterSpace
    /// Strategy rules plus `--constraint`s.
    public var constraints: ConstraintSet
    public var settings: SearchSettings
    public var config: BacktestConfig
    public var validation: ValidationPlan
    public var allowKernel: Bool
    /// The threads each symbol's evaluation may use (default: every core); results are the same on any budget.
    public var threads: ThreadBudget
    /// Percentage trigger parameters whose ranges are derived per symbol with `VolatilityBounds` (`--auto-bounds`).
    public var autoBounds: [String] = []
    /// What the strategy learns from bars (an ML strategy's model), fitted on each in-sample window (`fitted(on:)`):
    /// the main search's range, and each walk-forward fold's training window. Nil: nothing is fitted.
    public var inSampleFit: (any InSampleFit)?
    /// Series traded alongside each optimised symbol: those the strategy's symbol parameters name
    /// (`StrategyRequirements.symbolParameters`, e.g. rsi2's `hedge_symbol`) with a fixed value in the space. Every run of
    /// a symbol (kernel or engine) takes them too, cut to that symbol's span of bars (`OptimizationPlan.prepared(for:)`
    /// fills them from the data and leaves them out of the symbols optimised).
    public var companions: [BarSeries] = []

    public init(strategy: StrategyDescriptor, space: ParameterSpace, constraints: ConstraintSet, settings: SearchSettings,
                config: BacktestConfig = BacktestConfig(), validation: ValidationPlan = .none, allowKernel: Bool = true,
                threads: ThreadBudget = .all) {
        self.strategy = strategy
        self.space = space
        self.constraints = constraints
        self.settings = settings
        self.config = config
        self.validation = validation
        self.allowKernel = allowKernel
        self.threads = threads
    }

    /// Checks the request before any work: a method that fits the space, a feasible point, sane settings.
    public func validate() throws(OptimizerError) {
        guard settings.topK >= 1 else { throw .invalidArgument(name: "top", value: String(settings.topK), valid: "an integer ≥ 1") }
        guard settings.minTrades >= 0 else {
            throw .invalidArgument(name: "min_trades", value: String(settings.minTrades), valid: "an integer ≥ 0")
        }
        if settings.method != .grid {
            guard settings.trials >= 1 else { throw .invalidArgument(name: "trials", value: String(settings.trials), valid: "an integer ≥ 1") }
        }
        if let b = settings.batchSize, b < 1 { throw .invalidArgument(name: "batch", value: String(b), valid: "an integer ≥ 1") }
        _ = try SearchRunner.method(settings, space: space, constraints: constraints)
        try constraints.requireFeasible(in: space)
        for name in autoBounds {
            guard let i = space.index(of: name), space.dimensions[i].isNumeric else {
                throw .invalidArgument(name: "auto_bounds", value: "'\(name)'",
                                       valid: "a numeric parameter of the strategy (\(space.names.joined(separator: ", ")))")
            }
        }
    }

    /// This job with `autoBounds` parameters replaced by their `VolatilityBounds` ranges for `series`, measured
    /// on daily bars (intraday bars are resampled to regular-hours NYSE sessions) before the first bar that is
    /// ever tested out of sample (the split date, or the first walk-forward test window), so that validation
    /// never sees bounds taken from its test bars. Returns the job and the ranges used (`start:stop:step`).
    public func forSymbol(_ series: BarSeries) throws -> (job: OptimizationJob, bounds: [String: String]) {
        guard !autoBounds.isEmpty else { return (self, [:]) }
        var cutoff = series.count
        switch validation {
        case .none: break
        case let .split(date): cutoff = try SampleSplit.at(date, times: series.time).inSample.upperBound
        case let .walkForward(spec): cutoff = try spec.windows(barCount: series.count).first?.test.lowerBound ?? series.count
        }
        var daily = series.slice(0..<cutoff)
        if daily.interval.isIntraday { daily = try Resampler.resample(daily, to: .daily) }
        var dims = space.dimensions
        var used: [String: String] = [:]
        for name in autoBounds {
            let b = try VolatilityBounds(series: daily, parameter: name)
            let i = space.index(of: name)!
            dims[i] = b.dimension(name)
            used[name] = "\(b.range.start):\(b.range.last):\(b.range.step)"
        }
        var job = self
        job.space = try ParameterSpace(dims)
        job.constraints = try ConstraintSet(constraints.texts, space: job.space)
        job.autoBounds = []
        try job.constraints.requireFeasible(in: job.space)
        return (job, used)
    }

    /// The evaluator of this job's trials on `series`, run together with the `companions` over the same span.
    public func evaluator(_ series: BarSeries) -> TrialEvaluator {
        TrialEvaluator(strategy: strategy, space: space, dataset: dataset(series), config: config,
                       objective: settings.objective, allowKernel: allowKernel, threads: threads)
    }

    /// The data of a run of `series`: it and the `companions` cut to its span of bars.
    public func dataset(_ series: BarSeries) -> MarketDataset {
        var data = [series]
        if let first = series.time.first, let last = series.time.last {
            data += companions.filter { $0.symbol != series.symbol }.map { $0.between(first, last + 1) }
        }
        return MarketDataset(data)
    }

    /// The symbols the strategy's symbol parameters name with a fixed, non-empty value in the space (rsi2's
    /// `hedge_symbol=SQQQ`): the runs' companions (`companions`).
    public var companionSymbols: [String] {
        strategy.requirements.symbolParameters.compactMap { name in
            guard let i = space.index(of: name), space.dimensions[i].isFixed else { return nil }
            let symbol = space.dimensions[i].value(Double(0)).description
            return symbol.isEmpty ? nil : symbol
        }
    }
}

/// Optimises one symbol: the search, the best trial's engine run, overfitting figures and validation.
public enum SymbolOptimizer {
    public static func run(_ unfitted: OptimizationJob, series: BarSeries, results: ResultsTableWriter? = nil,
                           cancel: CancellationFlag? = nil, progress: ((Double) -> Void)? = nil,
                           evaluatorChosen: ((_ engineReason: String?) -> Void)? = nil) throws -> SymbolOptimization? {
        let n = series.count
        var searchRange = 0..<n
        var folds: [WalkForwardFold] = []
        switch unfitted.validation {
        case .none: break
        case let .split(date):
            let s = try SampleSplit.at(date, times: series.time)
            searchRange = s.inSample
            folds = [WalkForwardFold(index: 0, train: s.inSample, test: s.outOfSample)]
        case let .walkForward(spec):
            folds = try spec.windows(barCount: n)
        }
        let isWalkForward = { if case .walkForward = unfitted.validation { return true } else { return false } }()
        // Work units for progress: the main search, plus one per walk-forward fold.
        let units = Double(1 + (isWalkForward ? folds.count : 0))

        let sample = series.slice(searchRange)
        // `job` is fitted on the searched range only (`OptimizationJob.fitted(on:)`).
        guard let job = try unfitted.fitted(on: sample, cancel: cancel) else { return nil }
        let evaluator = job.evaluator(sample)
        if let evaluatorChosen, let p = try? evaluator.parameters(job.space.gridPoint(0)) {
            evaluatorChosen(evaluator.usesKernel(p) ? nil : evaluator.engineReason(p) ?? evaluator.refusedBatchReason)
        }
        let outcome = try SearchRunner.run(job.settings, evaluator: evaluator, constraints: job.constraints, results: results,
                                           cancel: cancel) { done, planned in
            progress?(Double(done) / Double(max(planned, 1)) / units)
        }
        if outcome.cancelled { return nil }
        var out = SymbolOptimization(symbol: series.symbol, bars: n, evaluations: outcome.evaluations, feasible: outcome.feasible,
                                     path: "engine", best: nil, top: [], overfitting: nil, validation: nil,
                                     objectiveByTrial: outcome.objectiveByTrial.map(optional), autoBounds: nil)
        out.engineReason = "no parameter set of the space is valid for the strategy"
        if let p = try? evaluator.parameters(outcome.top.first?.point ?? job.space.gridPoint(0)) {
            out.engineReason = evaluator.usesKernel(p) && evaluator.refusedPoints == 0 ? nil
                : evaluator.engineReason(p) ?? evaluator.refusedBatchReason
            if out.engineReason == nil { out.path = "kernel" }
        }
        let searched = job.space.dimensions.indices.filter { !job.space.dimensions[$0].isFixed }
        out.searchedParameters = searched.map { job.space.dimensions[$0].name }
        if !outcome.trials.isEmpty {
            out.trials = outcome.trials.map { t in
                TrialRecord(number: t.number, values: searched.map { job.space.value(of: t.point, at: $0) }, objective: t.objective)
            }
        }
        out.top = outcome.top.map { t in
            TopEntry(trial: t.number, params: named(job.space, t.point), objective: optional(t.objective),
                     metrics: Dictionary(uniqueKeysWithValues: OptimizationMetric.allCases.map { ($0.rawValue, optional(t.metrics[$0.index])) }))
        }
        guard let best = outcome.best else { return out }

        // The best trial through the engine: full metrics, returns for PSR/DSR.
        let params = try evaluator.parameters(best.point)
        let result = try evaluator.backtest(params)
        let summary = BacktestSummary(result: result, interval: sample.interval, strategy: job.strategy.name,
                                      parameters: params.description)
        out.best = BestTrial(trial: best.number, params: named(job.space, best.point), objective: optional(best.objective),
                             summary: summary)
        out.overfitting = overfitting(job, evaluator: evaluator, outcome: outcome, best: best, result: result)

        if !folds.isEmpty {
            var figures: [FoldFigures] = []
            var stitched: [Double] = []
            var times: [String] = []
            var oosTrades = 0
            for (k, fold) in folds.enumerated() {
                if cancel?.isCancelled == true { return nil }
                let chosen: RankedTrial
                // A walk-forward fold fits on its own training window; a split's one fold is the searched range.
                guard let foldJob = isWalkForward ? try unfitted.fitted(on: series.slice(fold.train), cancel: cancel) : job else { return nil }
                if isWalkForward {
                    let train = foldJob.evaluator(series.slice(fold.train))
                    var s = job.settings
                    s.seed = job.settings.seed &+ UInt64(k + 1)
                    let o = try SearchRunner.run(s, evaluator: train, constraints: foldJob.constraints, cancel: cancel)
                    if o.cancelled { return nil }
                    out.validationEvaluations = (out.validationEvaluations ?? 0) + o.evaluations
                    progress?(Double(k + 2) / units)
                    guard let b = o.best else { continue }
                    chosen = b
                } else {
                    chosen = best
                }
                let isFig = WindowFigures(objective: optional(chosen.objective),
                                          totalReturn: optional(chosen.metrics[OptimizationMetric.totalReturn.index]),
                                          sharpe: optional(chosen.metrics[OptimizationMetric.sharpe.index]),
                                          maxDrawdown: optional(chosen.metrics[OptimizationMetric.maxDrawdown.index]),
                                          trades: Int(chosen.metrics[OptimizationMetric.trades.index].isFinite
                                                      ? chosen.metrics[OptimizationMetric.trades.index] : 0),
                                          bars: fold.train.count)
                let oos = try outOfSample(foldJob, series: series, point: chosen.point, train: fold.train, test: fold.test)
                stitched += oos.returns
                times += fold.test.map { ISO8601.utc(series.time[$0]) }
                oosTrades += oos.figures.trades
                figures.append(FoldFigures(index: fold.index, trainStart: ISO8601.utc(series.time[fold.train.lowerBound]),
                                           trainEnd: ISO8601.utc(series.time[fold.train.upperBound - 1]),
                                           testStart: ISO8601.utc(series.time[fold.test.lowerBound]),
                                           testEnd: ISO8601.utc(series.time[fold.test.upperBound - 1]),
                                           params: named(foldJob.space, chosen.point), inSample: isFig, outOfSample: oos.figures))
            }
            var equity: [Double] = []
            var e = 1.0
            for r in stitched { e *= 1 + r; equity.append(e) }
            out.validation = ValidationFigures(
                kind: isWalkForward ? "walk-forward" : "split", folds: figures,
                inSample: mean(figures.map(\.inSample)),
                outOfSample: figuresOf(returns: stitched, trades: oosTrades, job: job, interval: series.interval),
                stitchedEquity: equity, stitchedTimes: times)
        }
        return out
    }

    static func named(_ space: ParameterSpace, _ point: ParameterPoint) -> ParameterAssignment {
        ParameterAssignment(space.values(of: point).map { NamedValue(name: $0.name, value: $0.value.description) })
    }

    static func overfitting(_ job: OptimizationJob, evaluator: TrialEvaluator, outcome: SearchOutcome, best: RankedTrial,
                            result: BacktestResult) -> OverfittingFigures {
        let interval = evaluator.dataset.series[0].interval
        let returns = SharpeBasis.returns(result, interval: interval, session: job.config.session)
        var psr = Double.nan, dsr = Double.nan, sr0 = Double.nan
        if let m = ReturnMoments(returns) {
            psr = SharpeStatistics.probabilisticSharpeRatio(sharpe: m.sharpe, benchmark: 0, observations: m.count,
                                                            skewness: m.skewness, kurtosis: m.kurtosis)
            if outcome.sharpeVariance.isFinite {
                sr0 = SharpeStatistics.expectedMaximumSharpe(trials: outcome.evaluations, variance: outcome.sharpeVariance)
                dsr = SharpeStatistics.deflatedSharpeRatio(sharpe: m.sharpe, observations: m.count, skewness: m.skewness,
                                                          kurtosis: m.kurtosis, trials: outcome.evaluations,
                                                          sharpeVariance: outcome.sharpeVariance)
            }
        }
        var robustness: RobustnessScore?
        if job.settings.robustness {
            let neighbours = job.space.neighbours(of: best.point).filter { job.constraints.isSatisfied($0.point) }
            let metrics = evaluator.evaluate(neighbours.map(\.point))
            robustness = RobustnessScore(best: best.objective,
                                         neighbours: zip(neighbours, metrics).map { ($0.dimension, SearchRunner.objective($1, job.settings)) },
                                         direction: job.settings.objective.direction)
        }
        return OverfittingFigures(trials: outcome.evaluations, sharpeVariance: optional(outcome.sharpeVariance),
                                  expectedMaxSharpe: optional(sr0 * SharpeBasis.periodsPerYear(interval).squareRoot()),
                                  probabilisticSharpe: optional(psr), deflatedSharpe: optional(dsr),
                                  robustness: robustness.map(\.score), robustnessWorstDrop: robustness.map(\.worstDrop),
                                  neighbours: robustness?.neighbourCount ?? 0)
    }

    /// Trades the test window with `point`: one engine run over the training and test bars (so that
    /// indicators and any open position carry over, as when trading on after the training window), of which
    /// only the test bars' returns and the trades entered in the test window count. Nothing after the test
    /// window is read.
    public static func outOfSample(_ job: OptimizationJob, series: BarSeries, point: ParameterPoint, train: Range<Int>,
                                   test: Range<Int>) throws -> (figures: WindowFigures, returns: [Double]) {
        let context = train.lowerBound..<test.upperBound
        let ev = job.evaluator(series.slice(context))
        let params = try ev.parameters(point)
        let result = try ev.backtest(params)
        let eq = result.equity.equity
        guard eq.count == context.count else {
            throw OptimizerError.invalidWindows(reason: "the engine reported \(eq.count) equity points for \(context.count) bars")
        }
        let offset = test.lowerBound - context.lowerBound
        var returns: [Double] = []
        for j in offset..<eq.count { returns.append(eq[j] / eq[j - 1] - 1) }
        let trades = result.trades.filter { !$0.isOpen && $0.entryStep >= offset }.count
        return (figuresOf(returns: returns, trades: trades, job: job, interval: series.interval), returns)
    }

    static func figuresOf(returns: [Double], trades: Int, job: OptimizationJob, interval: BarInterval) -> WindowFigures {
        let q = QuickMetrics(returns: returns, periodsPerYear: Annualization.periodsPerYear(for: interval))
        let objective: Double
        switch job.settings.objective.metric {
        case .sharpe: objective = q.sharpe
        case .sortino: objective = q.sortino
        case .calmar: objective = q.calmar
        case .cagr: objective = q.cagr
        case .volatility: objective = q.volatility
        case .totalReturn: objective = q.totalReturn
        case .maxDrawdown: objective = q.maxDrawdown
        case .trades: objective = Double(trades)
        default: objective = .nan
        }
        return WindowFigures(objective: optional(objective), totalReturn: optional(q.totalReturn), sharpe: optional(q.sharpe),
                             maxDrawdown: optional(q.maxDrawdown), trades: trades, bars: returns.count)
    }

    static func mean(_ w: [WindowFigures]) -> WindowFigures {
        func avg(_ xs: [Double?]) -> Double? {
            let v = xs.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        return WindowFigures(objective: avg(w.map(\.objective)), totalReturn: avg(w.map(\.totalReturn)), sharpe: avg(w.map(\.sharpe)),
                             maxDrawdown: avg(w.map(\.maxDrawdown)), trades: w.map(\.trades).reduce(0, +), bars: w.map(\.bars).reduce(0, +))
    }
}
