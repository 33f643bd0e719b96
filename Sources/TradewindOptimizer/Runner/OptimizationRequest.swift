import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// An optimisation job as a user states it (command-line options, a server's JSON): the strategy by name, the data,
/// the parameter specs as text, the search, the validation and the backtest settings. Every field but `strategy`
/// and `data` is optional in JSON (missing fields take the defaults below; an unknown key is an error).
///
/// `plan(catalog:zone:threads:)` checks what it can before any data is read and builds the `OptimizationJob`;
/// `OptimizationPlan.prepared(for:)` then completes it for the loaded data. `key(config:)` is the job's identity,
/// recorded in a resume file (`JobFile`). Errors name the request's fields by their JSON keys (`Field`).
public struct OptimizationRequest: Sendable, Hashable, Codable {
    /// A strategy name of the catalog.
    public var strategy: String
    /// The market data as given (a `DataSource` spec: a file, a directory, a cache or `sample:NAME`).
    public var data: String
    /// The corporate-action view of the data.
    public var adjust: AdjustmentMode
    /// The symbols to optimise, in this order; nil: every symbol of the data, in the data's order.
    public var symbols: [String]?
    /// Searched parameters (`ParameterSpecParser` grammar: `name=start:stop:step`, `name=log:low:high[:count]`, …).
    public var grids: [String]
    /// Parameters' alternatives: `name=a,b,c`.
    public var choices: [String]
    /// Pinned parameters: `name=value`.
    public var fixed: [String]
    /// Constraints between parameters beyond the strategy's own (e.g. `slow >= 2*fast`).
    public var constraints: [String]
    /// Percentage trigger parameters whose ranges are derived per symbol (`VolatilityBounds`); each must not also be
    /// searched through `grids` or `choices`.
    public var autoBounds: [String]
    /// `grid`, `random` or `tpe` (`SearchMethodKind`).
    public var method: String
    /// Trials of random and TPE search (ignored by grid search).
    public var trials: Int
    public var seed: UInt64
    /// A metric name (`OptimizationMetric`), maximised, or `-name`, minimised.
    public var objective: String
    /// Minimise the objective.
    public var minimize: Bool
    /// Trials with fewer closed trades are infeasible.
    public var minTrades: Int
    /// Trials kept, best first.
    public var top: Int
    /// Points per batch (nil: 4,096 for grid and random, 1 for TPE).
    public var batch: Int?
    /// In-sample / out-of-sample split date (`YYYY-MM-DD`, in the plan's zone): optimise before it.
    public var split: String?
    /// Walk-forward folds (`WalkForwardSpec.parse`: `folds=5,train=252,test=63[,mode=anchored][,gap=N]`).
    public var walkForward: String?
    /// Use a strategy's exact fast kernel where it reproduces the engine.
    public var kernel: Bool
    /// Evaluate the best point's neighbours (robustness score).
    public var robustness: Bool
    /// Costs, fills, account, period (`from`/`to` cut the bars) and sessions.
    public var backtest: BacktestSettings

    public init(strategy: String, data: String, adjust: AdjustmentMode = .raw, symbols: [String]? = nil, grids: [String] = [],
                choices: [String] = [], fixed: [String] = [], constraints: [String] = [], autoBounds: [String] = [],
                method: String = "grid", trials: Int = 100, seed: UInt64 = 0, objective: String = "sharpe",
                minimize: Bool = false, minTrades: Int = 0, top: Int = 10, batch: Int? = nil, split: String? = nil,
                walkForward: String? = nil, kernel: Bool = true, robustness: Bool = true,
                backtest: BacktestSettings = BacktestSettings()) {
        self.strategy = strategy
        self.data = data
        self.adjust = adjust
        self.symbols = symbols
        self.grids = grids
        self.choices = choices
        self.fixed = fixed
        self.constraints = constraints
        self.autoBounds = autoBounds
        self.method = method
        self.trials = trials
        self.seed = seed
        self.objective = objective
        self.minimize = minimize
        self.minTrades = minTrades
        self.top = top
        self.batch = batch
        self.split = split
        self.walkForward = walkForward
        self.kernel = kernel
        self.robustness = robustness
        self.backtest = backtest
    }

    /// The fields, named as in JSON and in errors (`OptimizerError.invalidArgument`'s `name`).
    public enum Field: String, CodingKey, CaseIterable, Sendable {
        case strategy, data, adjust, symbols, grids, choices, fixed, constraints
        case autoBounds = "auto_bounds"
        case method, trials, seed, objective, minimize
        case minTrades = "min_trades"
        case top, batch, split
        case walkForward = "walk_forward"
        case kernel, robustness, backtest
    }

    /// Checks the request against `catalog` and builds its job, before any data is read: the strategy, the symbol list
    /// (nil or not empty), method, objective, parameter space and constraints, the validation plan (`split` or
    /// `walkForward`, not both; the split date read in `zone`), the backtest settings (`BacktestSettings.config(zone:)`)
    /// and `OptimizationJob.validate()`.
    /// The settings' `from`/`to` become the plan's period, cut from the bars themselves (as the engine does), so that
    /// validation windows, kernels and the engine all see the same bars; the job's config carries no period.
    /// Throws `UnknownStrategyError`, `BacktestSettingsError` or `OptimizerError`.
    public func plan(catalog: StrategyCatalog = .builtIn, zone: ZoneRules, threads: ThreadBudget = .all) throws -> OptimizationPlan {
        let descriptor = try catalog.named(strategy)
        if symbols?.isEmpty == true {
            throw OptimizerError.invalidArgument(name: Field.symbols.stringValue, value: "[]",
                                                 valid: "at least one symbol (or no list: every symbol of the data)")
        }
        guard let kind = SearchMethodKind(rawValue: method) else {
            throw OptimizerError.invalidArgument(name: Field.method.stringValue, value: method, valid: "grid, random or tpe")
        }
        var goal = try Objective.parse(objective)
        if minimize { goal.direction = .minimize }
        let space = try SpaceBuilder.space(strategy: descriptor, grids: grids, choices: choices, fixed: fixed)
        let constraintSet = try SpaceBuilder.constraints(strategy: descriptor, extra: constraints, space: space)
        var config = try backtest.config(zone: zone)
        let period = (from: config.from, to: config.to)
        config.from = nil
        config.to = nil
        var validation = ValidationPlan.none
        if split != nil && walkForward != nil {
            throw OptimizerError.exclusiveArguments(Field.split.stringValue, Field.walkForward.stringValue)
        }
        if let split {
            guard let d = CivilDate(iso: split) else {
                throw OptimizerError.invalidArgument(name: Field.split.stringValue, value: split, valid: "YYYY-MM-DD")
            }
            validation = .split(zone.instant(d, hour: 0, minute: 0))
        }
        if let walkForward { validation = .walkForward(try WalkForwardSpec.parse(walkForward)) }
        let settings = SearchSettings(method: kind, trials: trials, seed: seed, objective: goal, minTrades: minTrades, topK: top,
                                      batchSize: batch, robustness: robustness)
        var job = OptimizationJob(strategy: descriptor, space: space, constraints: constraintSet, settings: settings,
                                  config: config, validation: validation, allowKernel: kernel, threads: threads)
        job.autoBounds = autoBounds
        for name in autoBounds {
            guard let i = space.index(of: name), !space.dimensions[i].isFixed else { continue }
            throw OptimizerError.invalidArgument(name: Field.autoBounds.stringValue, value: "'\(name)'",
                                                 valid: "a parameter without a grid or choice spec; give the parameter one way")
        }
        try job.validate()
        return OptimizationPlan(request: self, job: job, from: period.from, to: period.to)
    }

    /// The job's identity for resume files: everything that decides its results (strategy, data, parameter specs,
    /// search, validation, period and `config`, the job's configuration after `OptimizationPlan.prepared(for:)`).
    /// The symbols are not part of it: a job file records each finished symbol, so a rerun may name more or fewer.
    public func key(config: BacktestConfig) -> String {
        [
            "strategy=\(strategy)", "data=\(data)", "adjust=\(adjust.rawValue)",
            "grid=\(grids.joined(separator: ";"))", "choice=\(choices.joined(separator: ";"))",
            "fixed=\(fixed.joined(separator: ";"))", "constraint=\(constraints.joined(separator: ";"))",
            "method=\(method)", "trials=\(method == "grid" ? 0 : trials)", "seed=\(seed)",
            "objective=\(objective)\(minimize ? " min" : "")", "min_trades=\(minTrades)", "top=\(top)",
            "batch=\(batch.map(String.init) ?? "default")", "split=\(split ?? "")", "walk_forward=\(walkForward ?? "")",
            "kernel=\(kernel)", "auto_bounds=\(autoBounds.joined(separator: ","))", "from=\(backtest.from ?? "")",
            "to=\(backtest.to ?? "")", "config=\(config)",
        ].joined(separator: " ")
    }

    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, besides: [])
    }

    /// Decodes the request from an object that may also hold the `others` keys (another type's fields beside these,
    /// e.g. a server job's fold-training options); any other unknown key is an error listing both.
    public init(from decoder: any Decoder, besides others: [String]) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { Field(stringValue: $0) == nil && !others.contains($0) }) {
            throw OptimizerError.invalidArgument(name: "request field", value: "'\(unknown)'",
                                                 valid: "one of \((Field.allCases.map(\.rawValue) + others).joined(separator: ", "))")
        }
        let c = try decoder.container(keyedBy: Field.self)
        self.init(strategy: try c.decode(String.self, forKey: .strategy), data: try c.decode(String.self, forKey: .data))
        adjust = try c.decodeIfPresent(AdjustmentMode.self, forKey: .adjust) ?? adjust
        symbols = try c.decodeIfPresent([String].self, forKey: .symbols)
        grids = try c.decodeIfPresent([String].self, forKey: .grids) ?? grids
        choices = try c.decodeIfPresent([String].self, forKey: .choices) ?? choices
        fixed = try c.decodeIfPresent([String].self, forKey: .fixed) ?? fixed
        constraints = try c.decodeIfPresent([String].self, forKey: .constraints) ?? constraints
        autoBounds = try c.decodeIfPresent([String].self, forKey: .autoBounds) ?? autoBounds
        method = try c.decodeIfPresent(String.self, forKey: .method) ?? method
        trials = try c.decodeIfPresent(Int.self, forKey: .trials) ?? trials
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        objective = try c.decodeIfPresent(String.self, forKey: .objective) ?? objective
        minimize = try c.decodeIfPresent(Bool.self, forKey: .minimize) ?? minimize
        minTrades = try c.decodeIfPresent(Int.self, forKey: .minTrades) ?? minTrades
        top = try c.decodeIfPresent(Int.self, forKey: .top) ?? top
        batch = try c.decodeIfPresent(Int.self, forKey: .batch)
        split = try c.decodeIfPresent(String.self, forKey: .split)
        walkForward = try c.decodeIfPresent(String.self, forKey: .walkForward)
        kernel = try c.decodeIfPresent(Bool.self, forKey: .kernel) ?? kernel
        robustness = try c.decodeIfPresent(Bool.self, forKey: .robustness) ?? robustness
        backtest = try c.decodeIfPresent(BacktestSettings.self, forKey: .backtest) ?? backtest
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(data, forKey: .data)
        try c.encode(adjust, forKey: .adjust)
        try c.encodeIfPresent(symbols, forKey: .symbols)
        try c.encode(grids, forKey: .grids)
        try c.encode(choices, forKey: .choices)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(constraints, forKey: .constraints)
        try c.encode(autoBounds, forKey: .autoBounds)
        try c.encode(method, forKey: .method)
        try c.encode(trials, forKey: .trials)
        try c.encode(seed, forKey: .seed)
        try c.encode(objective, forKey: .objective)
        try c.encode(minimize, forKey: .minimize)
        try c.encode(minTrades, forKey: .minTrades)
        try c.encode(top, forKey: .top)
        try c.encodeIfPresent(batch, forKey: .batch)
        try c.encodeIfPresent(split, forKey: .split)
        try c.encodeIfPresent(walkForward, forKey: .walkForward)
        try c.encode(kernel, forKey: .kernel)
        try c.encode(robustness, forKey: .robustness)
        try c.encode(backtest, forKey: .backtest)
    }
}

/// Any JSON key, to find those that are not fields.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A checked request: its job, and the period cut from the bars before optimisation.
public struct OptimizationPlan: Sendable {
    public var request: OptimizationRequest
    /// The job; its config has no `from`/`to` (the period is cut from the bars instead).
    public var job: OptimizationJob
    /// Bars starting at or after this instant are optimised (nil: from the first bar).
    public var from: UnixNanos?
    /// Bars starting before this instant are optimised (nil: to the last bar).
    public var to: UnixNanos?

    public init(request: OptimizationRequest, job: OptimizationJob, from: UnixNanos? = nil, to: UnixNanos? = nil) {
        self.request = request
        self.job = job
        self.from = from
        self.to = to
    }

    /// `data`'s series cut to the period, those left empty dropped, in the request's symbol order (the data's order
    /// when the request names none). Throws `OptimizerError.noBars` when no bar is left.
    public func series(of data: MarketDataset) throws(OptimizerError) -> [BarSeries] {
        var series = data.series.map { $0.between(from ?? .min, to ?? .max) }.filter { !$0.isEmpty }
        if let wanted = request.symbols {
            // The job's order is the order given.
            let rank = Dictionary(wanted.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            series.sort { (rank[$0.symbol] ?? .max) < (rank[$1.symbol] ?? .max) }
        }
        guard !series.isEmpty else {
            let period = "\(from.map(ISO8601.utc) ?? "the first bar") … \(to.map(ISO8601.utc) ?? "the last bar")"
            throw .noBars(data: request.data, symbols: data.series.map(\.symbol), period: period)
        }
        return series
    }

    /// The plan made ready for `data`: the job's config completed with what the strategy needs (its requirements,
    /// checked with the parameters' defaults: sessions, flattening; each applied setting is a note), the bars to
    /// optimise (`series(of:)`) and the job's identity key (`OptimizationRequest.key(config:)`). The notes call each
    /// setting `setting(field)` (default: its `BacktestSettings` field name).
    public func prepared(for data: MarketDataset,
                         naming setting: (BacktestSettings.Field) -> String = \.rawValue) throws -> PreparedOptimization {
        var job = self.job
        let (config, notes) = try job.strategy.prepare(job.config, parameters: StrategyParameters(defaultsOf: job.strategy.parameterSpecs),
                                                       data: data, naming: setting)
        job.config = config
        // The symbols the strategy's symbol parameters name (rsi2's hedge) run alongside each optimised symbol.
        let companions = job.companionSymbols
        var optimised = try series(of: data)
        if !companions.isEmpty {
            for name in companions where !data.symbols.contains(name) {
                throw OptimizerError.invalidArgument(name: "symbols", value: data.symbols.joined(separator: ","),
                                                     valid: "the data with \(name), which the strategy's parameters name (add it to the symbols)")
            }
            job.companions = optimised.filter { companions.contains($0.symbol) }
            optimised.removeAll { companions.contains($0.symbol) }
            if job.companions.count != companions.count || optimised.isEmpty {
                throw OptimizerError.invalidArgument(name: "symbols", value: data.symbols.joined(separator: ","),
                                                     valid: "a symbol to optimise besides \(companions.joined(separator: ", ")), each with bars in the period")
            }
        }
        return PreparedOptimization(job: job, series: optimised, notes: notes, key: request.key(config: config))
    }
}

/// A plan made ready for its data (`OptimizationPlan.prepared(for:)`): what `JobRunner.run` takes.
public struct PreparedOptimization: Sendable {
    public var job: OptimizationJob
    /// The bars to optimise, one series per symbol, in the job's order.
    public var series: [BarSeries]
    /// Settings applied for the strategy's requirements, in words.
    public var notes: [String]
    /// The job's identity, for `JobFile`.
    public var key: String

    public init(job: OptimizationJob, series: [BarSeries], notes: [String], key: String) {
        self.job = job
        self.series = series
        self.notes = notes
        self.key = key
    }
}
