import TradewindCore

/// The warm-up: bars before a run's start that its strategy sees but never trades on. One concept for the
/// backtest, paper and live runs: the first `BacktestConfig.warmup` steps of a run are warm-up. On them the strategy's
/// hooks run as on any step (its history, registered indicators and scheduled events build up), every order it
/// submits is rejected (reason `Warmup.refusal`: nothing is placed, routed or filled), and the results (equity
/// curve, positions, metrics) start after them. A backtest takes them from the data before `--from`
/// (`applying(bars:to:data:)`); the live runtime from its feed's history (`MarketFeed.warmupSteps`), the same bars
/// by the same rule, so the first decision after the warm-up is the same in both.
public enum Warmup {
    /// The reason an order submitted during the warm-up is rejected with.
    public static let refusal = "warm-up: the strategy does not trade before its warm-up bars are over"

    /// `config` with a warm-up of up to `bars` steps before its start, taken from `data`: with `config.from` set,
    /// the last `bars` steps (instants at which any symbol has a bar, as the run steps) before it, so the run
    /// starts at the first of them (fewer when the data has fewer); without it, the data's first `bars` steps.
    public static func applying(bars: Int, to config: BacktestConfig, data: MarketDataset) -> BacktestConfig {
        var config = config
        guard bars > 0 else { config.warmup = 0; return config }
        guard let start = config.from else { config.warmup = bars; return config }
        let before = lastSteps(bars, of: data.series, before: start)
        config.warmup = before.count
        if let first = before.first { config.from = first }
        return config
    }

    /// The instants of the last `count` steps before `limit` of `series` (the union of their bar times), oldest
    /// first: the window a warm-up of `count` bars takes, from recorded bars or from bars fetched for it.
    public static func lastSteps(_ count: Int, of series: [BarSeries], before limit: UnixNanos) -> [UnixNanos] {
        guard count > 0 else { return [] }
        // A symbol's bars among the union's last `count` are among its own last `count`: merge only those.
        var times: [UnixNanos] = []
        for s in series {
            var end = s.count
            while end > 0 && s.time[end - 1] >= limit { end -= 1 }
            times += s.time[max(0, end - count)..<end]
        }
        let steps = Array(Set(times)).sorted()
        return Array(steps.suffix(count))
    }
}

/// Whether an order recorded during the warm-up is refused (the strategy's) or allowed (the venue's own, adopted).
enum WarmupRule: Sendable {
    case refused, allowed
}

extension SimulationContext {
    /// True while the run is in its warm-up (`BacktestConfig.warmup`): `onStart` and the hooks of its first
    /// `warmupSteps` steps, when it has one.
    public var isWarmingUp: Bool { warmupSteps > 0 && step < warmupSteps }

    /// Sets the warm-up to `steps` before the run's first step: the live runtime, when its feed had less history
    /// than `BacktestConfig.warmup` asked for. Throws once a step was added, or for a negative count.
    public func setWarmup(steps: Int) throws(BacktestError) {
        guard market.stepCount == 0 else {
            throw .invalidConfiguration("the warm-up is set before the run's first step; this run has \(market.stepCount) steps")
        }
        guard steps >= 0 else {
            throw .invalidConfiguration("warm-up = \(steps) bars is invalid; expected a number of bars ≥ 0")
        }
        warmupSteps = steps
    }

    /// Why a new order is rejected now: during the warm-up, `Warmup.refusal`; nil otherwise.
    func warmupRefusal() -> String? {
        warmupSteps > 0 && step < warmupSteps ? Warmup.refusal : nil
    }

    /// The equity curve and positions from the first step after the warm-up (the rows are all written).
    func curvesAfterWarmup() -> (EquityCurve, [[Double]]) {
        let k = min(warmupSteps, market.stepCount)
        func after(_ column: [Double]) -> [Double] { Array(column[k...]) }
        let full = equityCurve().derived.columns
        let derived = DerivedEquityColumns(.init(cash: after(full.cash), positionsValue: after(full.positionsValue),
                                                 grossExposure: after(full.grossExposure), netExposure: after(full.netExposure)))
        return (EquityCurve(time: Array(market.timeIndex[k...]), equity: after(equityColumn), derived: derived),
                heldColumns.map(after))
    }
}
