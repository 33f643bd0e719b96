import TradewindCore
import TradewindEngine

/// A strategy's exact fast path: evaluates many parameter sets on one symbol's bars at once and reproduces the
/// engine's run of the strategy for each, for the settings it `supports` (property-tested against the engine in
/// each kernel's tests). A strategy declares it in its own file (`CatalogStrategy.kernel`); the optimizer uses
/// it for batches it supports and the engine for the rest.
public struct ExactKernel: Sendable {
    /// One line for `tradewind strategy show`: the kernel and when it applies.
    public let summary: String
    /// The figures the kernel reports exactly as the engine's summary does.
    public let exactMetrics: Set<KernelMetric>
    /// True when the kernel reproduces the engine for these parameters under `config` (the data is checked by
    /// `prepare`). `ExactKernel.supportsCommonSettings` is part of every kernel's answer.
    public let supportsParameters: @Sendable (StrategyParameters, BacktestConfig) -> Bool
    /// The kernel on one symbol's bars; nil when it does not apply to them (interval, content).
    public let prepare: @Sendable (BarSeries) -> PreparedKernel?
    /// True when the kernel models the engine's whole cost arithmetic (`KernelAccount`): whole shares, every
    /// commission model and spread slippage, beyond the common settings' percent commission and bps slippage.
    public let coversCostModels: Bool
    /// True when the kernel also models the engine's account (`KernelAccount`): a margin account with its maintenance
    /// margin call, margin interest, and a volume cap (a batch in which the cap would split a fill goes to the engine).
    public let coversAccount: Bool
    /// The kernel on a run of several symbols together (`rsi2`'s traded symbol and its hedge), nil when it takes
    /// one symbol at a time; `supportsSymbols` says which parameters it takes on which symbols.
    public let prepareDataset: (@Sendable (MarketDataset) -> PreparedKernel?)?
    /// True when these parameters on a run of these symbols (the dataset's, in order) are the kernel's: by default
    /// one symbol.
    public let supportsSymbols: @Sendable (StrategyParameters, [String]) -> Bool

    public init(summary: String, exactMetrics: Set<KernelMetric>, coversCostModels: Bool = false, coversAccount: Bool = false,
                supports: @escaping @Sendable (StrategyParameters, BacktestConfig) -> Bool,
                prepare: @escaping @Sendable (BarSeries) -> PreparedKernel?,
                supportsSymbols: @escaping @Sendable (StrategyParameters, [String]) -> Bool = { _, symbols in symbols.count == 1 },
                prepareDataset: (@Sendable (MarketDataset) -> PreparedKernel?)? = nil) {
        self.summary = summary
        self.exactMetrics = exactMetrics
        self.coversCostModels = coversCostModels
        self.coversAccount = coversAccount
        self.supportsParameters = supports
        self.prepare = prepare
        self.supportsSymbols = supportsSymbols
        self.prepareDataset = prepareDataset
    }

    /// The kernel on `data`: its one symbol's `prepare`, or `prepareDataset` for several; nil when it does not apply.
    public func prepare(dataset data: MarketDataset) -> PreparedKernel? {
        if data.count == 1 { return prepare(data.series[0]) }
        return data.count > 1 ? prepareDataset?(data) : nil
    }

    /// True when the kernel reproduces an engine run with these parameters and settings on `data`: its symbols
    /// (one, or the several `supportsSymbols` takes) without corporate actions, the common settings, and the
    /// kernel's own conditions.
    public func supports(_ parameters: StrategyParameters, config: BacktestConfig, data: MarketDataset) -> Bool {
        guard !data.isEmpty, !data.series.contains(where: Self.hasCorporateActions),
              data.count == 1 || prepareDataset != nil, supportsSymbols(parameters, data.symbols) else { return false }
        return supports(parameters, config: config)
    }

    /// The settings part of `supports(_:config:data:)`, for data checked once.
    public func supports(_ parameters: StrategyParameters, config: BacktestConfig) -> Bool {
        settingsReason(config) == nil && supportsParameters(parameters, config)
    }

    /// Why the kernel does not stand in for the engine with these parameters under `config` (the setting, named
    /// as `tradewind backtest` spells it), or nil when it does.
    public func unsupportedReason(_ parameters: StrategyParameters, config: BacktestConfig) -> String? {
        if let why = settingsReason(config) { return why }
        return supportsParameters(parameters, config) ? nil : "the settings or parameters are outside the kernel's (\(summary))"
    }

    /// Which setting of `config` this kernel does not model (a sub-period or warm-up; unless `coversAccount` the
    /// account's; unless `coversCostModels` the cost settings), or nil.
    public func settingsReason(_ config: BacktestConfig) -> String? {
        Self.periodSettingsReason(config) ?? (coversAccount ? nil : Self.accountModelReason(config))
            ?? (coversCostModels ? nil : Self.costSettingsReason(config))
    }

    /// True when `config` has no session policy: no calendar, no hours and no flattening (on daily bars the engine
    /// would flatten at every bar's close and cancel the next-open orders). The daily kernels' condition.
    public static func hasNoSessionPolicy(_ config: BacktestConfig) -> Bool {
        config.session.calendar == nil && config.session.hours == nil && !config.session.flattenAtClose
    }

    /// The settings this kernel covers, for `tradewind strategy show`.
    public var coverage: String {
        coversAccount ? Self.accountSettings : coversCostModels ? Self.costModelSettings : Self.commonSettings
    }

    /// The settings kernels with `coversAccount` (and `coversCostModels`) cover.
    public static let accountSettings = "one symbol per run (each symbol of a dataset optimised on its own; rsi2 also its "
        + "hedge), a cash or margin account (--margin, with its maintenance margin call at the close), margin interest "
        + "(--margin-rate; --borrow-rate charges shorts, which these long-only strategies never hold), a volume cap "
        + "(--volume-cap) as long as it splits no fill (a batch with a split fill runs on the engine), fractional or "
        + "whole shares, any commission model (percent of value, per share, fixed, minimum, maximum), slippage none, in "
        + "basis points or a spread, no simulated sub-period, bars without dividends or splits (or adjusted for them)"

    /// The settings kernels with `coversCostModels` cover.
    public static let costModelSettings = "one symbol per run (each symbol of a dataset optimised on its own), a cash account, "
        + "fractional or whole shares, any commission model (percent of value, per share, fixed, minimum, maximum), "
        + "slippage none, in basis points or a spread, no volume cap, no financing, no simulated sub-period, "
        + "bars without dividends or splits (or adjusted for them)"

    /// The settings every kernel covers, in `tradewind backtest`'s words (`supportsCommonSettings`).
    public static let commonSettings = "one symbol per run (each symbol of a dataset optimised on its own), a cash account, "
        + "fractional shares, commission as a percent of traded value, slippage none or in basis points, no volume cap, "
        + "no financing, no simulated sub-period, bars without dividends or splits (or adjusted for them)"

    /// Which of the settings every kernel needs `config` lacks (nil: none): `supportsCommonSettings` in words.
    public static func commonSettingsReason(_ config: BacktestConfig) -> String? {
        accountSettingsReason(config) ?? costSettingsReason(config)
    }

    /// The account settings only kernels with `coversAccount` model (a margin account, a volume cap, financing), and
    /// the run settings no kernel models (a sub-period, a warm-up).
    public static func accountSettingsReason(_ config: BacktestConfig) -> String? {
        periodSettingsReason(config) ?? accountModelReason(config)
    }

    /// The run settings no kernel models: a sub-period, a warm-up.
    public static func periodSettingsReason(_ config: BacktestConfig) -> String? {
        if config.from != nil || config.to != nil { return "a simulated period (--from/--to): the kernels run every bar" }
        if config.warmup > 0 { return "a warm-up (--warmup): the kernels trade from the first bar" }
        return nil
    }

    /// The account settings only kernels with `coversAccount` model: a margin account, a volume cap, financing.
    public static func accountModelReason(_ config: BacktestConfig) -> String? {
        if config.account != .cash { return "a margin account (--margin): this kernel models a cash account" }
        if config.volumeParticipation != nil { return "a volume cap (--volume-cap): this kernel fills whole orders" }
        if config.financing != .none { return "financing (--borrow-rate/--margin-rate): this kernel models a cash account" }
        return nil
    }

    /// The cost settings only kernels with `coversCostModels` model: whole shares, commissions other than a percent
    /// of value, spread slippage.
    public static func costSettingsReason(_ config: BacktestConfig) -> String? {
        if config.wholeShares { return "whole shares (--whole-shares): this kernel trades fractional shares" }
        let c = config.commission
        if c.perShare != 0 || c.fixed != 0 || c.minimum != 0 || c.maximum != .infinity || c.maximumPercent != .infinity {
            return "a per-share, fixed, minimum or maximum commission: this kernel models a percent of traded value"
        }
        if !(c.percent >= 0 && c.percent < 1) { return "a commission of \(c.percent) of value (the kernels take 0 ≤ c < 1)" }
        if case .halfSpread = config.slippage { return "spread slippage (--spread): this kernel models basis points" }
        return nil
    }

    /// The settings every kernel needs: a cash account, fractional shares, no volume cap, no period bounds, no
    /// financing, commission only as a percent of value, slippage none or in basis points.
    public static func supportsCommonSettings(_ config: BacktestConfig) -> Bool {
        guard config.account == .cash, !config.wholeShares, config.volumeParticipation == nil, config.from == nil,
              config.to == nil, config.financing == .none else { return false }
        let c = config.commission
        guard c.perShare == 0, c.fixed == 0, c.minimum == 0, c.maximum == .infinity, c.maximumPercent == .infinity,
              c.percent >= 0, c.percent < 1 else { return false }
        switch config.slippage {
        case .none, .basisPoints: return true
        case .halfSpread: return false
        }
    }

    /// True when `series` has a split coefficient other than 1 or a dividend other than 0 on any bar: the engine
    /// books them, the kernels do not (load with `--adjust split-dividend` to use a kernel on such a symbol).
    public static func hasCorporateActions(_ series: BarSeries) -> Bool {
        if let s = series.splitCoefficient, s.contains(where: { $0 != 1 }) { return true }
        if let d = series.dividend, d.contains(where: { $0 != 0 }) { return true }
        return false
    }

    /// The kernel's costs for a supported `config`.
    public static func costs(of config: BacktestConfig) -> KernelCosts {
        var bps = 0.0
        if case .basisPoints(let b) = config.slippage { bps = b }
        return KernelCosts(commission: config.commission.percent, slippageBps: bps)
    }
}

/// A kernel ready on one symbol's bars.
public struct PreparedKernel: Sendable {
    /// The figures of each parameter set, in order, for a supported configuration, within the thread budget; nil
    /// when the kernel refuses the batch (the engine then runs it).
    public let evaluate: @Sendable (_ batch: [StrategyParameters], _ config: BacktestConfig, _ threads: ThreadBudget) -> [KernelMetrics]?

    public init(evaluate: @escaping @Sendable ([StrategyParameters], BacktestConfig, ThreadBudget) -> [KernelMetrics]?) {
        self.evaluate = evaluate
    }
}

/// A figure a kernel reports (`KernelMetrics`' fields).
///
/// Every figure of `tradewind backtest --json` that an optimization can rank by; a kernel reports them in
/// `KernelMetrics` (`finalEquity`, `totalReturn`, `trades`) and its `summary` (`KernelSummary`, the rest).
public enum KernelMetric: String, Sendable, Hashable, CaseIterable {
    case finalEquity, totalReturn, cagr, volatility, sharpe, sortino, calmar, maxDrawdown, trades, winRate, profitFactor, exposure

    /// All of them: kernels that follow the engine's equity bar by bar and its closed trades, as the summary does.
    public static let all = Set(allCases)
}
