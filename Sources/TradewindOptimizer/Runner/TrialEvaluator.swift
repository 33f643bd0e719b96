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
/// Path: when the strategy has a fast kernel that reproduces the engine exactly for these settings
/// (`KernelAvailability.supports`), the series is daily without dividends or splits, and the objective is a metric the kernel
/// reports (`OptimizationMetric.kernelMetrics`), the batch goes through the kernel; otherwise every
/// point is an event-driven engine run (`StrategyDescriptor.run`, the code `tradewind backtest` runs).
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

    /// The kernel this evaluator may use, and the metrics it reports exactly as the engine's summary does.
    public enum KernelPath: Sendable {
        case none
        case smaCross
        case rsi2
        /// An intraday catalog strategy on `IntradayKernel` (momentum, open-10am, open-10am-stop, vwap-momentum).
        case intraday(IntradayEntryRule, IntradaySessionData)

        /// Metrics equal to the engine summary's. Daily kernels: one equity point per bar, as the summary.
        /// The intraday kernel measures Sharpe and drawdown on session closes (the summary: on every bar), so
        /// only its equity, return, trade count and win rate stand in for the engine's.
        public var exactMetrics: Set<OptimizationMetric> {
            switch self {
            case .none: return []
            case .smaCross, .rsi2: return OptimizationMetric.kernelMetrics
            case .intraday: return [.finalEquity, .totalReturn, .trades, .winRate]
            }
        }
    }

    public let kernel: KernelPath
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
        self.levelTable = space.dimensions.map { d -> [Resolution]? in
            guard let levels = d.levelCount, levels <= TrialEvaluator.tabulatedLevels else { return nil }
            return (0..<levels).map { TrialEvaluator.resolve(d.value(Double($0)), name: d.name, strategy: strategy, defaults: defaults) }
        }
        var path = KernelPath.none
        if allowKernel, dataset.count == 1, !TrialEvaluator.hasCorporateActions(dataset.series[0]) {
            let s = dataset.series[0]
            let daily = s.interval.unit == .day && s.interval.count == 1
            switch strategy.name {
            case "sma-cross" where daily: path = .smaCross
            case "rsi2" where daily: path = .rsi2
            case let name where s.interval.isIntraday && KernelAvailability.intradayRule(for: name) != nil:
                if let data = try? IntradaySessionData(series: s) { path = .intraday(KernelAvailability.intradayRule(for: name)!, data) }
            default: break
            }
        }
        if !path.exactMetrics.contains(objective.metric) { path = .none }
        self.kernel = path
        self.allowKernel = { if case .none = path { return false } else { return true } }()
    }

    /// True when the series carries a dividend or a split: the engine books them, the kernels do not, so such
    /// series always go through the engine.
    public static func hasCorporateActions(_ s: BarSeries) -> Bool {
        KernelAvailability.hasCorporateActions(s)
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
            let coordinate = point.coordinates[d]
            let resolution: Resolution
            if let table = levelTable[d], coordinate >= 0, coordinate < Double(table.count) {
                resolution = table[Int(coordinate)]
            } else {
                let dimension = space.dimensions[d]
                resolution = Self.resolve(dimension.value(coordinate), name: dimension.name, strategy: strategy, defaults: defaults)
            }
            switch resolution {
            case .strategyDefault: continue
            case let .value(v): try p.set(space.dimensions[d].name, to: v, strategy: strategy.name)
            case let .unparsable(e): throw e
            }
        }
        return p
    }

    /// `value` of parameter `name` read back from its text form, as `tradewind backtest --param name=value` would.
    static func resolve(_ value: ParameterValue, name: String, strategy: StrategyDescriptor, defaults: [String: String]) -> Resolution {
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
        guard allowKernel else { return false }
        return KernelAvailability.supports(strategy.name, parameters: parameters, config: config)
    }

    /// The metrics of every point, in order.
    public func evaluate(_ points: [ParameterPoint]) -> [TrialMetrics] {
        var out = [TrialMetrics](repeating: .undefined, count: points.count)
        var engine: [(Int, StrategyParameters)] = []
        var kernelPoints: [(Int, StrategyParameters)] = []
        // Building and validating each point's parameters is string work that costs as much as a kernel
        // evaluation of a daily series: do it in parallel too.
        let built = ParameterSlots(count: points.count)
        let buildWorkers = threads.workers(for: points.count / 256)
        threads.forEach(buildWorkers) { w in
            var k = w
            while k < points.count {
                if let params = try? parameters(points[k]) { built.store(k, (params, usesKernel(params))) }
                k += buildWorkers
            }
        }
        for (k, entry) in built.values.enumerated() {
            guard let (params, viaKernel) = entry else { continue }
            if viaKernel { kernelPoints.append((k, params)) } else { engine.append((k, params)) }
        }
        if !kernelPoints.isEmpty {
            if let metrics = kernelMetrics(kernelPoints.map(\.1)) {
                let exact = kernel.exactMetrics
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
            }
        }
        if !engine.isEmpty {
            let slots = Slots(count: engine.count)
            let jobs = engine
            let workers = threads.workers(for: jobs.count)
            threads.forEach(workers) { w in
                var j = w
                while j < jobs.count {
                    slots.store(j, engineMetrics(jobs[j].1))
                    j += workers
                }
            }
            for (j, (k, _)) in engine.enumerated() { out[k] = slots.values[j] }
        }
        return out
    }

    /// The kernel's figures for `list`, in order; nil when the kernel refuses the batch (the engine then runs it).
    func kernelMetrics(_ list: [StrategyParameters]) -> [KernelMetrics]? {
        let costs = KernelAvailability.costs(of: config)
        let series = dataset.series[0]
        switch kernel {
        case .none:
            return nil
        case .smaCross:
            let pairs = list.map { SMACrossKernel.Pair(fast: $0.int("fast"), slow: $0.int("slow")) }
            guard let r = try? SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: config.initialCash, costs: costs,
                                                       threads: threads) else { return nil }
            return (0..<r.count).map(r.metrics(at:))
        case .rsi2:
            let ps = list.map {
                RSI2Kernel.Parameters(rsiPeriod: $0.int("rsi_period"), entry: $0.real("entry"), exit: $0.real("exit"),
                                      stopLoss: $0.real("stop_loss"), positionSize: $0.real("position_size"))
            }
            guard let r = try? RSI2Kernel.evaluate(series: series, parameters: ps, initialCash: config.initialCash, costs: costs,
                                                   threads: threads) else { return nil }
            return (0..<r.count).map(r.metrics(at:))
        case let .intraday(rule, data):
            // Kernel parameters as the strategies read them (open-10am declares no stop: 0).
            let ps = list.map { p in
                IntradayParameters(buyTrigger: p.real("buy_trigger"), sellTrigger: p.real("sell_trigger"),
                                   stopLoss: p["stop_loss"] == nil ? 0 : p.real("stop_loss"),
                                   buyTime: p.timeOfDay("buy_time"), compound: p.bool("compound"))
            }
            let references = list.map { $0["reference_time"] == nil ? 580 : $0.timeOfDay("reference_time") }
            // One kernel call per reference time (vwap-momentum's reference_time is a kernel argument).
            var out = [KernelMetrics?](repeating: nil, count: list.count)
            for reference in Set(references) {
                let idx = references.indices.filter { references[$0] == reference }
                guard let m = intradayMetrics(idx.map { ps[$0] }, rule: rule, reference: reference, data: data, costs: costs) else { return nil }
                for (j, i) in idx.enumerated() { out[i] = m[j] }
            }
            return out.map { $0! }
        }
    }

    /// Intraday points: one kernel call over the Cartesian grid of the batch's values when that grid is at most
    /// 4× the batch (grid-search batches), else one single-combination call per point, in parallel.
    func intradayMetrics(_ ps: [IntradayParameters], rule: IntradayEntryRule, reference: Int, data: IntradaySessionData,
                         costs: KernelCosts) -> [KernelMetrics]? {
        func unique<T: Hashable & Comparable>(_ v: [T]) -> [T] { Array(Set(v)).sorted() }
        if let grid = try? IntradayGrid(buyTriggers: unique(ps.map(\.buyTrigger)), sellTriggers: unique(ps.map(\.sellTrigger)),
                                        stopLosses: unique(ps.map(\.stopLoss)), buyTimes: unique(ps.map(\.buyTime)),
                                        compound: Array(Set(ps.map(\.compound)))),
           grid.count <= max(4 * ps.count, 16) {
            guard let r = try? IntradayKernel.evaluate(rule: rule, data: data, grid: grid, initialCash: config.initialCash,
                                                       costs: costs, referenceTime: reference) else { return nil }
            return ps.map { p in
                let idx = grid.index(time: grid.buyTimes.firstIndex(of: p.buyTime)!, buy: grid.buyTriggers.firstIndex(of: p.buyTrigger)!,
                                     sell: grid.sellTriggers.firstIndex(of: p.sellTrigger)!, stop: grid.stopLosses.firstIndex(of: p.stopLoss)!,
                                     compound: grid.compound.firstIndex(of: p.compound)!)
                return r.metrics(at: idx)
            }
        }
        let slots = KernelSlots(count: ps.count)
        let workers = threads.workers(for: ps.count)
        let initialCash = config.initialCash
        threads.forEach(workers) { w in
            var j = w
            while j < ps.count {
                if let g = try? IntradayGrid(ps[j]),
                   let r = try? IntradayKernel.evaluate(rule: rule, data: data, grid: g, initialCash: initialCash, costs: costs,
                                                        referenceTime: reference) {
                    slots.store(j, r.metrics(at: 0))
                }
                j += workers
            }
        }
        return slots.values.contains { $0 == nil } ? nil : slots.values.map { $0! }
    }

    final class KernelSlots: @unchecked Sendable {
        var values: [KernelMetrics?]
        init(count: Int) { values = [KernelMetrics?](repeating: nil, count: count) }
        func store(_ k: Int, _ v: KernelMetrics) { values.withUnsafeMutableBufferPointer { $0[k] = v } }
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

    /// Per-point parameters and whether the kernel takes them, filled by index from parallel workers.
    final class ParameterSlots: @unchecked Sendable {
        var values: [(StrategyParameters, Bool)?]
        init(count: Int) { values = [(StrategyParameters, Bool)?](repeating: nil, count: count) }
        func store(_ k: Int, _ v: (StrategyParameters, Bool)) { values.withUnsafeMutableBufferPointer { $0[k] = v } }
    }

    final class Slots: @unchecked Sendable {
        var values: [TrialMetrics]
        init(count: Int) { values = [TrialMetrics](repeating: .undefined, count: count) }
        func store(_ k: Int, _ v: TrialMetrics) { values.withUnsafeMutableBufferPointer { $0[k] = v } }
    }
}
