import Synchronization
import TradewindAnalytics
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// Turns points of a search space into backtest metrics for one dataset.
///
/// Each point becomes the strategy's `StrategyParameters` (every dimension's value by name; parameters
/// the space does not name keep their defaults). A point the strategy rejects (e.g. sma-cross with
/// fast ≥ slow) is infeasible: all its metrics are NaN.
///
/// Path: when the strategy declares an exact kernel (`StrategyDescriptor.kernel`) that reproduces the engine for these
/// settings (`ExactKernel.supports`), applies to the series (one symbol, or the symbols a kernel takes together, without
/// dividends or splits), and reports the
/// objective exactly (`ExactKernel.exactMetrics`), the batch goes through the kernel; otherwise every
/// point is an event-driven engine run (`StrategyDescriptor.run`, the code `tradewind backtest` runs),
/// Either path runs in parallel within `threads`; the metrics are the same on any budget.
public struct TrialEvaluator: Sendable {
    public let strategy: StrategyDescriptor
    public let space: ParameterSpace
    public let dataset: MarketDataset
    public let config: BacktestConfig
    /// True when some points may go through a kernel (see `kernel`).
    public let allowKernel: Bool
    /// The threads evaluation may use (kernel and engine runs, building parameters), the caller's included.
    public let threads: ThreadBudget

    /// The strategy's exact kernel prepared on the dataset, when it may stand in for the engine (see `init`).
    public let kernel: PreparedKernel?
    /// The metrics `kernel` reports exactly as the engine's summary does (empty without a kernel).
    public let kernelExactMetrics: Set<OptimizationMetric>
    /// Why no point goes through a kernel whatever its parameters (nil when the kernel is ready: then
    /// `engineReason(_:)` looks at the settings and parameters).
    public let datasetReason: String?
    /// Points the kernel was asked for and gave back (their batch went to the engine), counted across copies.
    let refusals = RefusalCount()
    /// The dataset prepared once for engine runs (nil when it cannot be: each run then reports the error).
    let market: PreparedMarket?
    /// Each parameter's default as text: values equal to it are left to the strategy's default (so that
    /// defaults without a text form, such as an empty string, round-trip).
    let defaults: [String: String]
    /// The strategy's defaults, the start of every point's parameters.
    let defaultParameters: StrategyParameters
    /// Per dimension with at most `tabulatedLevels` levels: each level's `resolve` result, computed once
    /// (nil for continuous and very long dimensions, resolved per point).
    let levelTable: [[Resolution]?]
    static let tabulatedLevels = 1 << 16
    /// The dataset's symbols, in order (what `ExactKernel.supportsSymbols` is asked about).
    let symbols: [String]
    /// True when the kernel models `config`'s settings (`ExactKernel.settingsReason` is nil): the settings part of
    /// `usesKernel`, the same for every point.
    let kernelSettingsFit: Bool

    /// How one dimension's value enters a point's parameters: left to the strategy's default, a parsed value
    /// still to be validated, or a value the parameter's spec cannot parse.
    enum Resolution: Sendable {
        case strategyDefault
        case value(ParameterSpec.Value)
        case unparsable(ParameterError)
    }

    public init(strategy: StrategyDescriptor, space: ParameterSpace, dataset: MarketDataset, config: BacktestConfig,
                objective: Objective, allowKernel: Bool = true, threads: ThreadBudget = .all) {
        self.strategy = strategy
        self.space = space
        self.dataset = dataset
        self.config = config
        self.threads = threads
        let defaults = Dictionary(strategy.parameterSpecs.map { ($0.name, $0.defaultValue.description) }, uniquingKeysWith: { a, _ in a })
        self.defaults = defaults
        self.defaultParameters = StrategyParameters(defaultsOf: strategy.parameterSpecs)
        self.market = try? PreparedMarket(dataset, config: config)
        self.symbols = dataset.symbols
        self.kernelSettingsFit = strategy.kernel.map { $0.settingsReason(config) == nil } ?? false
        self.levelTable = space.dimensions.map { d -> [Resolution]? in
            guard let levels = d.levelCount, levels <= TrialEvaluator.tabulatedLevels else { return nil }
            return (0..<levels).map { TrialEvaluator.resolve(d.value(Double($0)), name: d.name, strategy: strategy, defaults: defaults) }
        }
        // The strategy's kernel, on one symbol without corporate actions, when it reports the objective exactly.
        var prepared: PreparedKernel?
        var exact: Set<OptimizationMetric> = []
        var reason: String?
        if !allowKernel {
            reason = "the kernels are off (--no-kernel)"
        } else if dataset.count != 1 && strategy.kernel?.prepareDataset == nil {
            reason = "\(dataset.count) symbols in one run: the kernels take one symbol at a time"
        } else if let s = dataset.series.first(where: ExactKernel.hasCorporateActions) {
            reason = "\(s.symbol)'s bars carry dividends or splits, which the engine books and the kernels do not "
                + "(load with --adjust split-dividend)"
        } else if let k = strategy.kernel {
            exact = Set(k.exactMetrics.map(OptimizationMetric.init(kernel:)))
            if !exact.contains(objective.metric) {
                reason = "the kernel does not report \(objective.metric.rawValue) as the engine does"
            } else {
                prepared = k.prepare(dataset: dataset)
                if prepared == nil {
                    let bars = dataset.series.map { "\($0.symbol)'s \($0.interval)" }.joined(separator: " and ")
                    reason = "the kernel does not apply to \(bars) bars (\(k.summary))"
                }
            }
        } else {
            reason = "\(strategy.name) has no exact kernel"
        }
        self.datasetReason = reason
        self.kernel = prepared
        self.kernelExactMetrics = prepared == nil ? [] : exact
        self.allowKernel = prepared != nil
    }

    /// True when the series carries a dividend or a split: the engine books them, the kernels do not, so such
    /// series always go through the engine.
    public static func hasCorporateActions(_ s: BarSeries) -> Bool {
        ExactKernel.hasCorporateActions(s)
    }

    /// The strategy parameters of `point`, or the strategy's reason for rejecting them (the first failing
    /// dimension's).
    ///
    /// Each value goes through its text form as on the command line (`name=value`; a value whose text is the
    /// default's is left to the default), then the spec's validation. The text step depends on one dimension's
    /// value only, so for grid-like dimensions it is done once per level (`levelTable`) and a point costs
    /// a table lookup and a validation per dimension.
    public func parameters(_ point: ParameterPoint) throws(ParameterError) -> StrategyParameters {
        var p = defaultParameters
        for d in space.dimensions.indices {
            switch resolution(d, point.coordinates[d]) {
            case .strategyDefault: continue
            case let .value(v): try p.set(space.dimensions[d].name, to: v, strategy: strategy.name)
            case let .unparsable(e): throw e
            }
        }
        return p
    }

    /// How dimension `d`'s value at `coordinate` enters the parameters (from `levelTable` when tabulated).
    @inline(__always)
    func resolution(_ d: Int, _ coordinate: Double) -> Resolution {
        if let table = levelTable[d], coordinate >= 0, coordinate < Double(table.count) { return table[Int(coordinate)] }
        let dimension = space.dimensions[d]
        return Self.resolve(dimension.value(coordinate), name: dimension.name, strategy: strategy, defaults: defaults)
    }

    /// `value` of parameter `name` read back from its text form, as `tradewind backtest --param name=value` would.
    static func resolve(_ value: SearchValue, name: String, strategy: StrategyDescriptor, defaults: [String: String]) -> Resolution {
        let text = value.description
        if text == defaults[name] { return .strategyDefault }
        guard let spec = strategy.parameterSpecs.first(where: { $0.name == name }) else {
            return .unparsable(.unknown(name: name, strategy: strategy.name, known: strategy.parameterSpecs.map(\.name)))
        }
        do throws(ParameterError) { return .value(try spec.parse(text)) } catch { return .unparsable(error) }
    }

    /// True when `parameters` would be evaluated by the strategy's fast kernel (the dataset was checked once,
    /// in `init`).
    public func usesKernel(_ parameters: StrategyParameters) -> Bool {
        guard allowKernel, kernelSettingsFit, let k = strategy.kernel else { return false }
        return k.supportsParameters(parameters, config) && k.supportsSymbols(parameters, symbols)
    }

    /// Why the engine and not the kernel evaluates `parameters` (nil when the kernel does): the dataset's reason, or
    /// the setting the kernel does not model.
    public func engineReason(_ parameters: StrategyParameters) -> String? {
        if let datasetReason { return datasetReason }
        guard let k = strategy.kernel else { return "\(strategy.name) has no exact kernel" }
        if let why = k.unsupportedReason(parameters, config: config) { return why }
        return k.supportsSymbols(parameters, dataset.symbols) ? nil
            : "the parameters do not fit a run of \(dataset.symbols.joined(separator: ", ")) (\(k.summary))"
    }

    /// Why the engine ran points the kernel takes: the kernel gave their batch back (`PreparedKernel.evaluate`
    /// returned nil), with a volume cap most often because the cap splits a fill, which only the engine replays.
    public var refusedBatchReason: String {
        "the kernel refused the batch" + (config.volumeParticipation != nil ? " (\(KernelAccount.splitFillReason))" : "")
    }

    /// How many points the kernel took by its settings but gave back to the engine so far (`refusedBatchReason`).
    public var refusedPoints: Int { refusals.value }

    /// The metrics of every point, in order.
    public func evaluate(_ points: [ParameterPoint]) -> [TrialMetrics] {
        evaluate(points, cancel: nil)!
    }

    /// The metrics of every point, in order; nil when `cancel` was raised while the engine ran the batch's points
    /// (each engine run checks it first: a kernel batch can hold 32,768 points, and when the kernel gives it back the
    /// engine would otherwise run all of them before the search sees the cancel). A kernel batch runs whole.
    public func evaluate(_ points: [ParameterPoint], cancel: CancellationFlag?) -> [TrialMetrics]? {
        var out = [TrialMetrics](repeating: .undefined, count: points.count)
        var engine: [(Int, StrategyParameters)] = []
        var kernelPoints: [(Int, StrategyParameters)] = []
        // Building and validating each point's parameters is string work that costs as much as a kernel
        // evaluation of a daily series: do it in parallel too, each worker on a contiguous run of points so that
        // it carries over from one point to the next what they share (`ParameterCarry`).
        let built = ParameterSlots(count: points.count)
        let buildWorkers = threads.workers(for: points.count / 256)
        let chunk = (points.count + buildWorkers - 1) / max(buildWorkers, 1)
        threads.forEach(buildWorkers) { w in
            var carry = ParameterCarry()
            for k in min(w * chunk, points.count)..<min((w + 1) * chunk, points.count) {
                if let params = try? carry.parameters(points[k], self) { built.store(k, (params, usesKernel(params))) }
            }
        }
        for (k, entry) in built.values.enumerated() {
            guard let (params, viaKernel) = entry else { continue }
            if viaKernel { kernelPoints.append((k, params)) } else { engine.append((k, params)) }
        }
        if !kernelPoints.isEmpty {
            if let metrics = kernelMetrics(kernelPoints.map(\.1)) {
                let exact = kernelExactMetrics
                let inexact = OptimizationMetric.allCases.filter { !exact.contains($0) }
                for (j, (k, _)) in kernelPoints.enumerated() {
                    var m = TrialMetrics(kernel: metrics[j])
                    for x in inexact { m[x] = .nan }
                    // Daily kernels: per bar; the intraday kernel: per session. Either is the basis's.
                    m.periodSharpe = SharpeBasis.periodSharpe(kernel: metrics[j].sharpe)
                    out[k] = m
                }
            } else {
                engine += kernelPoints
                refusals.add(kernelPoints.count)
            }
        }
        if !engine.isEmpty {
            let jobs = engine
            let skipped = Atomic<Bool>(false)
            let metrics = threads.map(jobs.count) { j -> TrialMetrics in
                if cancel?.isCancelled == true {
                    skipped.store(true, ordering: .relaxed)
                    return .undefined
                }
                return engineMetrics(jobs[j].1)
            }
            if skipped.load(ordering: .relaxed) { return nil }
            for (j, (k, _)) in engine.enumerated() { out[k] = metrics[j] }
        }
        return out
    }

    /// The kernel's figures for `list`, in order; nil when the kernel refuses the batch (the engine then runs it).
    func kernelMetrics(_ list: [StrategyParameters]) -> [KernelMetrics]? {
        kernel?.evaluate(list, config, threads)
    }

    /// One engine run's metrics (NaN everywhere when the run fails).
    public func engineMetrics(_ parameters: StrategyParameters) -> TrialMetrics {
        guard let (result, s) = try? engineRun(parameters) else { return .undefined }
        var m = TrialMetrics(summary: s)
        m.periodSharpe = SharpeBasis.periodSharpe(result, summary: s, interval: interval, session: config.session)
        return m
    }

    /// The summary `tradewind backtest` prints for these parameters on this dataset.
    public func engineSummary(_ parameters: StrategyParameters) throws -> BacktestSummary {
        try engineRun(parameters).summary
    }

    /// The dataset's bar interval (daily when empty).
    var interval: BarInterval { dataset.series.first?.interval ?? .daily }

    /// The engine run of these parameters on this dataset with this configuration (on the prepared market).
    public func backtest(_ parameters: StrategyParameters) throws -> BacktestResult {
        try market.map { try strategy.runPrepared(parameters, $0, config) } ?? strategy.run(parameters, dataset, config)
    }

    func engineRun(_ parameters: StrategyParameters) throws -> (result: BacktestResult, summary: BacktestSummary) {
        let result = try backtest(parameters)
        return (result, BacktestSummary(result: result, interval: interval, strategy: strategy.name,
                                        parameters: parameters.description))
    }

    /// A count shared by an evaluator's copies.
    final class RefusalCount: Sendable {
        private let count = Atomic<Int>(0)
        func add(_ n: Int) { count.add(n, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    /// Per-point parameters and whether the kernel takes them, filled by index from parallel workers.
    /// One buffer allocated up front: each worker writes only its own indices, and no write goes through an Array
    /// (whose copy-on-write check, from several threads at once, can copy the storage mid-write).
    final class ParameterSlots: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<(StrategyParameters, Bool)?>
        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }
        deinit {
            slots.deinitialize()
            slots.deallocate()
        }
        func store(_ k: Int, _ v: (StrategyParameters, Bool)) { slots[k] = v }
        /// Read once every worker has ended.
        var values: [(StrategyParameters, Bool)?] { Array(slots) }
    }

}
