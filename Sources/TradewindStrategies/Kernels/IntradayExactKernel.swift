import TradewindCore
import TradewindEngine

/// The exact kernel of an intraday catalog strategy (`IntradayKernel` with its entry rule): one symbol of
/// intraday bars, the NYSE calendar with flattening at the close, the `worst` intrabar policy.
///
/// The kernel reports every figure of the engine's summary (bar-level returns via `HeldBarPrefix`, closed trades),
/// and its session-close Sharpe for the overfitting statistics.
enum IntradayExactKernel {
    /// `parameters` reads a point's kernel parameters and its reference time (vwap-momentum's `reference_time`).
    static func make(rule: IntradayEntryRule,
                     parameters: @escaping @Sendable (StrategyParameters) throws -> (IntradayParameters, reference: Int)) -> ExactKernel {
        ExactKernel(
            summary: "IntradayKernel (rule \(rule.rawValue)): one symbol of intraday bars, NYSE calendar session policy with "
                + "flatten at close, worst intrabar policy; whole shares, other commission models and spread slippage through "
                + "the per-combination pass (IntradayBruteForce) with the engine's cost models; equal to the engine (property-tested).",
            exactMetrics: KernelMetric.all,
            coversCostModels: true,
            supports: { _, config in
                config.session.flattenAtClose && config.session.calendar is NYSECalendar && config.session.zone == .newYork
                    && config.intrabar == .worst
            },
            prepare: { series in
                guard series.interval.isIntraday, let data = try? IntradaySessionData(series: series) else { return nil }
                return PreparedKernel { batch, config, threads in
                    guard let points = try? batch.map(parameters) else { return nil }
                    if ExactKernel.costSettingsReason(config) != nil {
                        // Whole shares, other commission models, spread slippage: the per-combination reference pass with
                        // the engine's own cost models, one point per task.
                        let account = KernelAccount(config)
                        let results = threads.map(points.count) { j -> KernelMetrics? in
                            guard let g = try? IntradayGrid(points[j].0),
                                  let r = try? IntradayBruteForce.evaluate(rule: rule, data: data, grid: g, initialCash: config.initialCash,
                                                                           account: account, referenceTime: points[j].reference)
                            else { return nil }
                            return r.metrics(at: 0)
                        }
                        return results.contains { $0 == nil } ? nil : results.map { $0! }
                    }
                    return metrics(points, rule: rule, data: data, initialCash: config.initialCash,
                                   costs: ExactKernel.costs(of: config), threads: threads)
                }
            })
    }

    /// One kernel call per reference time; within it, one call over the Cartesian grid of the batch's values when
    /// that grid is at most 4× the batch (grid-search batches), else one single-combination call per point, in
    /// parallel within the thread budget.
    static func metrics(_ points: [(IntradayParameters, reference: Int)], rule: IntradayEntryRule, data: IntradaySessionData,
                        initialCash: Double, costs: KernelCosts, threads: ThreadBudget) -> [KernelMetrics]? {
        var out = [KernelMetrics?](repeating: nil, count: points.count)
        for reference in Set(points.map(\.reference)) {
            let idx = points.indices.filter { points[$0].reference == reference }
            guard let m = metrics(idx.map { points[$0].0 }, rule: rule, reference: reference, data: data,
                                  initialCash: initialCash, costs: costs, threads: threads) else { return nil }
            for (j, i) in idx.enumerated() { out[i] = m[j] }
        }
        return out.contains { $0 == nil } ? nil : out.map { $0! }
    }

    static func metrics(_ ps: [IntradayParameters], rule: IntradayEntryRule, reference: Int, data: IntradaySessionData,
                        initialCash: Double, costs: KernelCosts, threads: ThreadBudget) -> [KernelMetrics]? {
        if let buyTriggers = AxisValues.sorted(ps.map(\.buyTrigger)), let sellTriggers = AxisValues.sorted(ps.map(\.sellTrigger)),
           let stopLosses = AxisValues.sorted(ps.map(\.stopLoss)), let buyTimes = AxisValues.sorted(ps.map(\.buyTime)),
           let grid = try? IntradayGrid(buyTriggers: buyTriggers, sellTriggers: sellTriggers, stopLosses: stopLosses,
                                        buyTimes: buyTimes, compound: Array(Set(ps.map(\.compound)))),
           grid.count <= max(4 * ps.count, 16) {
            guard let r = try? IntradayKernel.evaluate(rule: rule, data: data, grid: grid, initialCash: initialCash,
                                                       costs: costs, referenceTime: reference) else { return nil }
            var out: [KernelMetrics] = []
            out.reserveCapacity(ps.count)
            for p in ps {
                // The grid's axes are sorted and hold each value once.
                guard let t = AxisValues.index(of: p.buyTime, in: grid.buyTimes),
                      let b = AxisValues.index(of: p.buyTrigger, in: grid.buyTriggers),
                      let s = AxisValues.index(of: p.sellTrigger, in: grid.sellTriggers),
                      let l = AxisValues.index(of: p.stopLoss, in: grid.stopLosses),
                      let c = grid.compound.firstIndex(of: p.compound) else { return nil }
                out.append(r.metrics(at: grid.index(time: t, buy: b, sell: s, stop: l, compound: c)))
            }
            return out
        }
        let results = threads.map(ps.count) { j -> KernelMetrics? in
            guard let g = try? IntradayGrid(ps[j]),
                  let r = try? IntradayKernel.evaluate(rule: rule, data: data, grid: g, initialCash: initialCash, costs: costs,
                                                       referenceTime: reference) else { return nil }
            return r.metrics(at: 0)
        }
        return results.contains { $0 == nil } ? nil : results.map { $0! }
    }
}

/// The distinct values of a batch's parameter along one axis, and a value's place among them: a grid batch holds tens
/// of thousands of points over a few dozen values per axis, mostly in runs of one value.
enum AxisValues {
    /// The distinct values, ascending; nil for a value that equals nothing (NaN) or when there are more than 4,096
    /// (not a grid: the caller evaluates point by point).
    static func sorted<T: Comparable>(_ values: [T]) -> [T]? {
        var distinct: [T] = []
        var last: T?
        for v in values {
            if let l = last, l == v { continue }
            guard v == v else { return nil }
            last = v
            let i = index(insertingAt: v, in: distinct)
            if i == distinct.count || distinct[i] != v {
                guard distinct.count < 4_096 else { return nil }
                distinct.insert(v, at: i)
            }
        }
        return distinct
    }

    /// The position of `value` in the ascending `axis`, or nil when it is not there.
    static func index<T: Comparable>(of value: T, in axis: [T]) -> Int? {
        let i = index(insertingAt: value, in: axis)
        return i < axis.count && axis[i] == value ? i : nil
    }

    /// The first position in the ascending `axis` whose value is not below `value`.
    private static func index<T: Comparable>(insertingAt value: T, in axis: [T]) -> Int {
        var low = 0, high = axis.count
        while low < high {
            let mid = (low + high) / 2
            if axis[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
