import TradewindCore

/// Parameters of a `PerformanceReport`.
public struct ReportOptions: Sendable, Equatable {
    /// Bars per year (252 daily, 98,280 NYSE minute bars; see `Annualization`).
    public var periodsPerYear: Double
    /// Annual risk-free rate (0.02 = 2 %), used by Sharpe, Sortino, omega and the probabilistic Sharpe.
    public var riskFree: Double
    /// Zone whose calendar dates define months and years (UTC, as QuantStats).
    public var zone: ZoneRules

    public init(periodsPerYear: Double = Annualization.daily, riskFree: Double = 0, zone: ZoneRules = .utc) {
        self.periodsPerYear = periodsPerYear
        self.riskFree = riskFree
        self.zone = zone
    }
}

/// The full set of performance metrics of one return series (optionally against a benchmark and with
/// trade statistics): what `tradewind backtest --json` and `tradewind stats --json` print.
///
/// Every value is a fraction (0.12 = 12 %), never a percent; `max_drawdown` is positive. JSON keys are
/// snake_case; undefined or infinite values are `null` (see `FiniteOrNull`); times are ISO 8601 UTC.
/// Definitions are those of `Performance` (QuantStats 0.0.86). Drawdown dates use
/// `DrawdownConvention.complete`, so a drawdown that starts on the first bar still has dates.
public struct PerformanceReport: Sendable, Equatable, Codable {
    public let start: String
    public let end: String
    public let observations: Int
    public let periodsPerYear: Double
    public let riskFree: Double
    @FiniteOrNull public private(set) var totalReturn: Double
    @FiniteOrNull public private(set) var cagr: Double
    @FiniteOrNull public private(set) var volatility: Double
    @FiniteOrNull public private(set) var sharpe: Double
    @FiniteOrNull public private(set) var sortino: Double
    @FiniteOrNull public private(set) var calmar: Double
    @FiniteOrNull public private(set) var omega: Double
    @FiniteOrNull public private(set) var maxDrawdown: Double
    public let maxDrawdownStart: String?
    public let maxDrawdownTrough: String?
    public let maxDrawdownEnd: String?
    public let maxDrawdownRecovery: String?
    public let maxDrawdownDays: Int?
    public let longestDrawdownDays: Int?
    @FiniteOrNull public private(set) var var95: Double
    @FiniteOrNull public private(set) var cvar95: Double
    @FiniteOrNull public private(set) var skew: Double
    @FiniteOrNull public private(set) var kurtosis: Double
    @FiniteOrNull public private(set) var tailRatio: Double
    @FiniteOrNull public private(set) var bestDay: Double
    @FiniteOrNull public private(set) var worstDay: Double
    @FiniteOrNull public private(set) var winRate: Double
    @FiniteOrNull public private(set) var profitFactor: Double
    @FiniteOrNull public private(set) var payoffRatio: Double
    @FiniteOrNull public private(set) var avgWin: Double
    @FiniteOrNull public private(set) var avgLoss: Double
    @FiniteOrNull public private(set) var kellyCriterion: Double
    @FiniteOrNull public private(set) var exposure: Double
    public let consecutiveWins: Int
    public let consecutiveLosses: Int
    @FiniteOrNull public private(set) var probabilisticSharpeRatio: Double
    public let alpha: Double?
    public let beta: Double?
    public let monthlyReturns: [PeriodReturn]
    public let yearlyReturns: [PeriodReturn]
    public let trades: TradeStatistics?

    /// Computes the report. `benchmark` (returns on the same bars) adds alpha and beta; `trades` adds
    /// trade statistics, with exposure when `totalBars` is given.
    public init(series: ReturnSeries, benchmark: [Double]? = nil, trades: [TradeRecord]? = nil,
                totalBars: Int? = nil, options: ReportOptions = ReportOptions()) throws(AnalyticsError) {
        try Annualization.validate(options.periodsPerYear)
        guard options.riskFree.isFinite, options.riskFree > -1 else {
            throw .invalidParameter(name: "riskFree", value: options.riskFree, expected: "an annual rate > -1, e.g. 0.02")
        }
        let r = series.returns
        let p = options.periodsPerYear
        let rf = options.riskFree
        let greeks = try benchmark.map { b throws(AnalyticsError) in try Performance.greeks(r, benchmark: b, periodsPerYear: p) }
        let periods = Performance.drawdownPeriods(series, convention: .complete)
        let worst = Performance.maxDrawdownPeriod(periods)
        let quick = QuickMetrics(returns: r, riskFree: rf, periodsPerYear: p)
        func iso(_ t: UnixNanos?) -> String? { t.map(ISO8601.utc) }

        start = iso(series.times.first) ?? ""
        end = iso(series.times.last) ?? ""
        observations = r.count
        periodsPerYear = p
        riskFree = rf
        totalReturn = quick.totalReturn
        cagr = quick.cagr
        volatility = quick.volatility
        sharpe = quick.sharpe
        sortino = quick.sortino
        calmar = quick.calmar
        omega = Performance.omega(r, riskFree: rf, periodsPerYear: p)
        maxDrawdown = quick.maxDrawdown
        maxDrawdownStart = iso(worst?.start)
        maxDrawdownTrough = iso(worst?.trough)
        maxDrawdownEnd = iso(worst?.end)
        maxDrawdownRecovery = iso(worst?.recovery)
        maxDrawdownDays = worst?.days
        longestDrawdownDays = Performance.longestDrawdownDays(periods)
        var95 = Performance.valueAtRisk(r)
        cvar95 = Performance.conditionalValueAtRisk(r)
        skew = Performance.skew(r)
        kurtosis = Performance.kurtosis(r)
        tailRatio = Performance.tailRatio(r)
        bestDay = Performance.best(r)
        worstDay = Performance.worst(r)
        winRate = Performance.winRate(r)
        profitFactor = Performance.profitFactor(r)
        payoffRatio = Performance.payoffRatio(r)
        avgWin = Performance.averageWin(r)
        avgLoss = Performance.averageLoss(r)
        kellyCriterion = Performance.kellyCriterion(r)
        exposure = Performance.exposure(r)
        consecutiveWins = Performance.consecutiveWins(r)
        consecutiveLosses = Performance.consecutiveLosses(r)
        probabilisticSharpeRatio = Performance.probabilisticSharpeRatio(r, riskFree: rf, periodsPerYear: p)
        alpha = greeks?.alpha
        beta = greeks?.beta
        monthlyReturns = Performance.monthlyReturns(series, zone: options.zone)
        yearlyReturns = Performance.yearlyReturns(series, zone: options.zone)
        self.trades = trades.map { TradeStatistics(trades: $0, totalBars: totalBars) }
    }

    enum CodingKeys: String, CodingKey {
        case start, end, observations, periodsPerYear = "periods_per_year", riskFree = "risk_free"
        case totalReturn = "total_return", cagr, volatility, sharpe, sortino, calmar, omega
        case maxDrawdown = "max_drawdown", maxDrawdownStart = "max_drawdown_start"
        case maxDrawdownTrough = "max_drawdown_trough", maxDrawdownEnd = "max_drawdown_end"
        case maxDrawdownRecovery = "max_drawdown_recovery", maxDrawdownDays = "max_drawdown_days"
        case longestDrawdownDays = "longest_drawdown_days", var95 = "var_95", cvar95 = "cvar_95"
        case skew, kurtosis, tailRatio = "tail_ratio", bestDay = "best_day", worstDay = "worst_day"
        case winRate = "win_rate", profitFactor = "profit_factor", payoffRatio = "payoff_ratio"
        case avgWin = "avg_win", avgLoss = "avg_loss", kellyCriterion = "kelly_criterion", exposure
        case consecutiveWins = "consecutive_wins", consecutiveLosses = "consecutive_losses"
        case probabilisticSharpeRatio = "probabilistic_sharpe_ratio", alpha, beta
        case monthlyReturns = "monthly_returns", yearlyReturns = "yearly_returns", trades
    }
}
