import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// Something a strategy learns from bars before it can trade (an ML strategy's model), fitted again on every
/// in-sample window of a job so that no out-of-sample bar reaches it: the search on the whole in-sample range, and
/// in a walk-forward each fold's search and out-of-sample run, use what was fitted on that range's bars only.
/// TradewindModels' `ModelRetraining` is the implementation for `ml-signal` and `ml-topk`.
public protocol InSampleFit: Sendable {
    /// The strategy parameters the fit decides (e.g. `model`): they are fixed to the fitted values.
    var parameters: [String] { get }
    /// Fits on `inSample` (every bar of it may be read) and returns a value for each of `parameters`, as text a
    /// strategy parameter parses. Equal bars must give equal values. Stops soon after `cancellation` is set (Ctrl-C,
    /// a job's cancel), returning anything: the caller discards a cancelled fit.
    func fit(_ inSample: MarketDataset, cancellation: CancellationFlag?) throws -> [String: String]
}

extension OptimizationJob {
    /// This job with `inSampleFit`'s parameters fixed to the values it fitted on `bars`; the job itself when it has no
    /// fit; nil when `cancel` was set during the fit. Throws when a fitted value is missing or a fitted parameter is
    /// not a fixed dimension of the space.
    public func fitted(on bars: BarSeries, cancel: CancellationFlag? = nil) throws -> OptimizationJob? {
        guard let fit = inSampleFit else { return self }
        let values = try fit.fit(MarketDataset([bars]), cancellation: cancel)
        if cancel?.isCancelled == true { return nil }
        var dims = space.dimensions
        for name in fit.parameters {
            guard let i = space.index(of: name), dims[i].isFixed else {
                throw OptimizerError.invalidArgument(name: name, value: "searched or undeclared",
                                                     valid: "a fixed parameter: it is fitted on each in-sample window")
            }
            guard let value = values[name] else {
                throw OptimizerError.invalidArgument(name: name, value: "none fitted", valid: "a value from the in-sample fit")
            }
            dims[i] = .fixed(name, SearchValue.parse(value))
        }
        var job = self
        job.space = try ParameterSpace(dims)
        job.constraints = try ConstraintSet(constraints.texts, space: job.space)
        return job
    }
}
