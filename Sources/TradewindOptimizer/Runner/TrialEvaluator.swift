import Dispatch
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
/// point is an event-driven engine run (`StrategyDescriptor.run`, the code `tradewind backtest` runs),
/// in parallel over all cores.
public struct TrialEvaluator: Sendable {
    public let strategy: StrategyDescriptor
    public let space: ParameterSpace
    public let dataset: MarketDataset
    public let config: BacktestConfig
    /// False forces the engine for every point.
    public let allowKernel: Bool
    /// Number of worker threads for engine runs.
    public let threads: Int

    public init(strategy: StrategyDescriptor, space: ParameterSpace, dataset: MarketDataset, config: BacktestConfig,
                objective: Objective, allowKernel: Bool = true, threads: Int = KernelThreads.cores) {
        self.strategy = strategy
        self.space = space
        self.dataset = dataset
        self.config = config
        self.allowKernel = allowKernel && OptimizationMetric.kernelMetrics.contains(objective.metric)
            && dataset.count == 1 && dataset.series[0].interval.unit == .day && dataset.series[0].interval.count == 1
            && !TrialEvaluator.hasCorporateActions(dataset.series[0])
        self.threads = max(1, threads)
    }

    /// True when the series carries a dividend or a split: the engine books them, the kernels do not, so such
    /// series always go through the engine.
    public static func hasCorporateActions(_ s: BarSeries) -> Bool {
        (s.dividend?.contains { $0 != 0 } ?? false) || (s.splitCoefficient?.contains { $0 != 1 && $0 != 0 } ?? false)
    }

    /// The strategy parameters of `point`, or the strategy's reason for rejecting them.
    public func parameters(_ point: ParameterPoint) throws(ParameterError) -> StrategyParameters {
        var overrides: [String: String] = [:]
        for (name, value) in space.values(of: point) { overrides[name] = value.description }
        return try strategy.parameters(overrides)
    }

    /// True when `parameters` would be evaluated by the strategy's fast kernel.
    public func usesKernel(_ parameters: StrategyParameters) -> Bool {
        guard allowKernel, strategy.name == "sma-cross" || strategy.name == "rsi2" else { return false }
        return KernelAvailability.supports(strategy.name, parameters: parameters, config: config, symbolCount: 1)
    }

    /// The metrics of every point, in order.
    public func evaluate(_ points: [ParameterPoint]) -> [TrialMetrics] {
        var out = [TrialMetrics](repeating: .undefined, count: points.count)
        var engine: [(Int, StrategyParameters)] = []
        var smaPairs: [(Int, SMACrossKernel.Pair)] = []
        var rsi: [(Int, RSI2Kernel.Parameters)] = []
        for (k, p) in points.enumerated() {
            guard let params = try? parameters(p) else { continue }
            if usesKernel(params) {
                if strategy.name == "sma-cross" {
                    smaPairs.append((k, SMACrossKernel.Pair(fast: params.int("fast"), slow: params.int("slow"))))
                } else {
                    rsi.append((k, RSI2Kernel.Parameters(rsiPeriod: params.int("rsi_period"), entry: params.real("entry"),
                                                         exit: params.real("exit"), stopLoss: params.real("stop_loss"),
                                                         positionSize: params.real("position_size"))))
                }
            } else {
                engine.append((k, params))
            }
        }
        let costs = KernelAvailability.costs(of: config)
        if !smaPairs.isEmpty {
            if let r = try? SMACrossKernel.evaluate(series: dataset.series[0], pairs: smaPairs.map(\.1),
                                                   initialCash: config.initialCash, costs: costs) {
                for (j, (k, _)) in smaPairs.enumerated() { out[k] = TrialMetrics(kernel: r.metrics(at: j)) }
            } else {
                engine += smaPairs.map { (k, _) in (k, try! parameters(points[k])) }
            }
        }
        if !rsi.isEmpty {
            if let r = try? RSI2Kernel.evaluate(series: dataset.series[0], parameters: rsi.map(\.1),
                                                initialCash: config.initialCash, costs: costs) {
                for (j, (k, _)) in rsi.enumerated() { out[k] = TrialMetrics(kernel: r.metrics(at: j)) }
            } else {
                engine += rsi.map { (k, _) in (k, try! parameters(points[k])) }
            }
        }
        if !engine.isEmpty {
            let slots = Slots(count: engine.count)
            let jobs = engine
            let workers = min(threads, jobs.count)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
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

    /// One engine run's metrics (NaN everywhere when the run fails).
    public func engineMetrics(_ parameters: StrategyParameters) -> TrialMetrics {
        guard let s = try? engineSummary(parameters) else { return .undefined }
        return TrialMetrics(summary: s)
    }

    /// The summary `tradewind backtest` prints for these parameters on this dataset.
    public func engineSummary(_ parameters: StrategyParameters) throws -> BacktestSummary {
        let result = try strategy.run(parameters, dataset, config)
        return BacktestSummary(result: result, interval: dataset.series.first?.interval ?? .daily,
                               strategy: strategy.name, parameters: parameters.description)
    }

    final class Slots: @unchecked Sendable {
        var values: [TrialMetrics]
        init(count: Int) { values = [TrialMetrics](repeating: .undefined, count: count) }
        func store(_ k: Int, _ v: TrialMetrics) { values.withUnsafeMutableBufferPointer { $0[k] = v } }
    }
}
