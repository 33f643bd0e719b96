import TradewindAnalytics
import TradewindCharts
import TradewindCore

/// The analytics-derived part of a backtest report, computed from the run's equity curve, its
/// benchmark and its closed trades with the analytics module (QuantStats definitions): the summary
/// figures, the full metrics table, the underwater curve and worst drawdowns, monthly and yearly
/// returns, daily returns and the rolling Sharpe and volatility. The engine adapter adds the rest
/// (strategy, parameters, prices, fills, trade list).
public struct BacktestFigures: Sendable {
    public var performance: PerformanceReport
    public var summary: SummaryFigures
    public var metrics: [ReportMetric]
    public var drawdown: TimeSeries
    public var worstDrawdowns: [ReportDrawdown]
    /// Returns per calendar day (intraday equity is sampled at each day's last bar).
    public var dailyReturns: TimeSeries
    public var monthlyReturns: [MonthlyReturn]
    public var yearlyReturns: [YearlyReturn]
    public var rollingSharpe: TimeSeries
    public var rollingVolatility: TimeSeries
    public var rollingWindow: String

    /// - Parameters:
    ///   - equity: portfolio value per bar (> 0), ascending times.
    ///   - benchmark: benchmark value on the same times (alpha, beta and its yearly returns), or `nil`.
    ///   - trades: the trade list; its closed trades feed the trade statistics.
    ///   - interval: the bars' interval (sets the annualisation).
    ///   - zone: the zone whose dates define days, months and years.
    ///   - rollingWindow: days in the rolling Sharpe/volatility window.
    public init(equity: TimeSeries, benchmark: TimeSeries? = nil, trades: [TradeRow], interval: BarInterval,
                zone: ZoneRules = .utc, riskFree: Double = 0, rollingWindow: Int = 126) throws(AnalyticsError) {
        let series = try ReturnSeries(equity: equity.values, times: equity.times)
        let periodsPerYear = Annualization.periodsPerYear(for: interval)
        var benchmarkReturns: [Double]?
        var benchmarkSeries: ReturnSeries?
        if let b = benchmark, b.times == equity.times, b.values.allSatisfy({ $0 > 0 && $0.isFinite }) {
            let s = try ReturnSeries(equity: b.values, times: b.times)
            benchmarkSeries = s
            benchmarkReturns = s.returns
        }
        let records = trades.compactMap { t -> TradeRecord? in
            guard let exit = t.exitTime else { return nil }
            return TradeRecord(entryTime: t.entryTime, exitTime: exit, netPnL: t.pnl, returnPct: t.returnFraction, barsHeld: t.bars)
        }
        let perf = try PerformanceReport(series: series, benchmark: series.count > 1 ? benchmarkReturns : nil, trades: records,
                                         totalBars: equity.count,
                                         options: ReportOptions(periodsPerYear: periodsPerYear, riskFree: riskFree, zone: zone))
        performance = perf

        // Underwater curve: 0 at the first bar, then the analytics drawdown of each return.
        var ddTimes = [UnixNanos]()
        var ddValues = [Double]()
        if let t0 = equity.times.first {
            ddTimes = [t0] + series.times
            ddValues = [0] + Performance.drawdownSeries(series.returns)
        }
        drawdown = TimeSeries(times: ddTimes, values: ddValues)
        worstDrawdowns = Performance.drawdownPeriods(series, convention: .complete)
            .sorted { $0.depth > $1.depth }.prefix(5)
            .map { ReportDrawdown(start: $0.start, trough: $0.trough, recovery: $0.recovery, depth: -$0.depth) }

        // Daily returns: the bars' own returns for daily bars, each day's last value otherwise.
        let daily: TimeSeries
        if interval.isIntraday {
            var times: [UnixNanos] = [], values: [Double] = []
            var prev = equity.values.first ?? 1
            for i in equity.times.indices {
                let isLastOfDay = i + 1 == equity.count || zone.localDate(of: equity.times[i + 1]) != zone.localDate(of: equity.times[i])
                if isLastOfDay {
                    times.append(equity.times[i])
                    values.append(equity.values[i] / prev - 1)
                    prev = equity.values[i]
                }
            }
            daily = TimeSeries(times: times, values: values)
        } else {
            daily = TimeSeries(times: series.times, values: series.returns)
        }
        dailyReturns = daily
        let dailyPerYear = interval.isIntraday ? Annualization.daily : periodsPerYear
        let rs = Performance.rollingSharpe(daily.values, window: rollingWindow, riskFree: riskFree, periodsPerYear: dailyPerYear)
        let rv = Performance.rollingVolatility(daily.values, window: rollingWindow, periodsPerYear: dailyPerYear)
        rollingSharpe = rs.count == daily.count ? TimeSeries(times: daily.times, values: rs) : .empty
        rollingVolatility = rv.count == daily.count ? TimeSeries(times: daily.times, values: rv) : .empty
        self.rollingWindow = "\(rollingWindow) " + (interval.unit == .day || interval.isIntraday ? "days" : "bars")

        monthlyReturns = perf.monthlyReturns.compactMap { p in p.month.map { MonthlyReturn(year: p.year, month: $0, value: p.value) } }
        let benchYears = benchmarkSeries.map { Performance.yearlyReturns($0, zone: zone) } ?? []
        yearlyReturns = perf.yearlyReturns.map { p in
            YearlyReturn(year: p.year, value: p.value, benchmark: benchYears.first { $0.year == p.year }?.value)
        }

        let stats = perf.trades
        let hasTrades = (stats?.numberOfTrades ?? 0) > 0
        summary = SummaryFigures(
            start: equity.times.first ?? 0, end: equity.times.last ?? 0,
            initialCapital: equity.values.first ?? .nan, finalValue: equity.values.last ?? .nan,
            totalReturn: perf.totalReturn, annualReturn: perf.cagr, sharpe: perf.sharpe, sortino: perf.sortino,
            maxDrawdown: -perf.maxDrawdown, trades: stats?.numberOfTrades ?? 0,
            winRate: hasTrades ? stats!.winRate : .nan, profitFactor: hasTrades ? stats!.profitFactor : .nan,
            averageWin: hasTrades ? stats!.averageWin : .nan, averageLoss: hasTrades ? stats!.averageLoss : .nan)
        metrics = Self.metrics(perf, intraday: interval.isIntraday)
    }

    /// The metrics table: every figure of the `PerformanceReport`, keyed by its JSON key.
    public static func metrics(_ p: PerformanceReport, intraday: Bool, currency: String = "$") -> [ReportMetric] {
        let pct = ValueFormat.percent(decimals: 2), ratio = ValueFormat.number(decimals: 3), int = ValueFormat.number(decimals: 0)
        let money = ValueFormat.currency(symbol: currency, decimals: 2)
        let period = intraday ? "bar" : "day"
        var m: [ReportMetric] = [
            ReportMetric(key: "total_return", label: "Total return", value: p.totalReturn, format: pct),
            ReportMetric(key: "cagr", label: "CAGR", value: p.cagr, format: pct),
            ReportMetric(key: "volatility", label: "Volatility (annualised)", value: p.volatility, format: pct),
            ReportMetric(key: "sharpe", label: "Sharpe ratio", value: p.sharpe, format: ratio),
            ReportMetric(key: "sortino", label: "Sortino ratio", value: p.sortino, format: ratio),
            ReportMetric(key: "calmar", label: "Calmar ratio", value: p.calmar, format: ratio),
            ReportMetric(key: "omega", label: "Omega ratio", value: p.omega, format: ratio),
            ReportMetric(key: "probabilistic_sharpe_ratio", label: "Probabilistic Sharpe ratio", value: p.probabilisticSharpeRatio, format: pct),
            ReportMetric(key: "max_drawdown", label: "Max drawdown", value: -p.maxDrawdown, format: pct),
            ReportMetric(key: "max_drawdown_days", label: "Max drawdown length", value: p.maxDrawdownDays.map(Double.init) ?? .nan, format: int, suffix: " days"),
            ReportMetric(key: "longest_drawdown_days", label: "Longest drawdown", value: p.longestDrawdownDays.map(Double.init) ?? .nan, format: int, suffix: " days"),
            ReportMetric(key: "var_95", label: "Value at risk (95 %)", value: p.var95, format: pct),
            ReportMetric(key: "cvar_95", label: "Expected shortfall (95 %)", value: p.cvar95, format: pct),
            ReportMetric(key: "skew", label: "Skew", value: p.skew, format: ratio),
            ReportMetric(key: "kurtosis", label: "Excess kurtosis", value: p.kurtosis, format: ratio),
            ReportMetric(key: "tail_ratio", label: "Tail ratio", value: p.tailRatio, format: ratio),
            ReportMetric(key: "best_day", label: "Best \(period)", value: p.bestDay, format: pct),
            ReportMetric(key: "worst_day", label: "Worst \(period)", value: p.worstDay, format: pct),
            ReportMetric(key: "win_rate", label: "Winning \(period)s", value: p.winRate, format: pct),
            ReportMetric(key: "profit_factor", label: "Profit factor (\(period)s)", value: p.profitFactor, format: ratio),
            ReportMetric(key: "payoff_ratio", label: "Payoff ratio (\(period)s)", value: p.payoffRatio, format: ratio),
            ReportMetric(key: "avg_win", label: "Average winning \(period)", value: p.avgWin, format: pct),
            ReportMetric(key: "avg_loss", label: "Average losing \(period)", value: p.avgLoss, format: pct),
            ReportMetric(key: "kelly_criterion", label: "Kelly criterion", value: p.kellyCriterion, format: pct),
            ReportMetric(key: "exposure", label: "Exposure (\(period)s with a return)", value: p.exposure, format: pct),
            ReportMetric(key: "consecutive_wins", label: "Consecutive winning \(period)s", value: Double(p.consecutiveWins), format: int),
            ReportMetric(key: "consecutive_losses", label: "Consecutive losing \(period)s", value: Double(p.consecutiveLosses), format: int),
        ]
        if let a = p.alpha, let b = p.beta {
            m.append(ReportMetric(key: "alpha", label: "Alpha (annualised)", value: a, format: pct))
            m.append(ReportMetric(key: "beta", label: "Beta", value: b, format: ratio))
        }
        if let t = p.trades {
            m += [
                ReportMetric(key: "trades.number_of_trades", label: "Trades", value: Double(t.numberOfTrades), format: int),
                ReportMetric(key: "trades.win_rate", label: "Trade win rate", value: t.numberOfTrades > 0 ? t.winRate : .nan, format: pct),
                ReportMetric(key: "trades.profit_factor", label: "Trade profit factor", value: t.numberOfTrades > 0 ? t.profitFactor : .nan, format: ratio),
                ReportMetric(key: "trades.net_profit", label: "Net profit", value: t.netProfit, format: money),
                ReportMetric(key: "trades.expectancy", label: "Expectancy per trade", value: t.expectancy, format: money),
                ReportMetric(key: "trades.average_win", label: "Average winning trade", value: t.averageWin, format: money),
                ReportMetric(key: "trades.average_loss", label: "Average losing trade", value: t.averageLoss, format: money),
                ReportMetric(key: "trades.largest_win", label: "Largest win", value: t.largestWin, format: money),
                ReportMetric(key: "trades.largest_loss", label: "Largest loss", value: t.largestLoss, format: money),
                ReportMetric(key: "trades.payoff_ratio", label: "Trade payoff ratio", value: t.payoffRatio, format: ratio),
                ReportMetric(key: "trades.sqn", label: "System quality number", value: t.sqn, format: ratio),
                ReportMetric(key: "trades.kelly_fraction", label: "Kelly fraction (trades)", value: t.kellyFraction, format: pct),
                ReportMetric(key: "trades.average_bars_held", label: "Average bars held", value: t.averageBarsHeld, format: .number(decimals: 1)),
                ReportMetric(key: "trades.max_consecutive_wins", label: "Most consecutive winning trades", value: Double(t.maxConsecutiveWins), format: int),
                ReportMetric(key: "trades.max_consecutive_losses", label: "Most consecutive losing trades", value: Double(t.maxConsecutiveLosses), format: int),
            ]
            if let e = t.exposure { m.append(ReportMetric(key: "trades.exposure", label: "Time in the market", value: e, format: pct)) }
        }
        return m
    }
}

extension BacktestReportInput {
    /// An input whose analytics-derived fields come from `figures`; the caller supplies what only the
    /// engine knows.
    public init(title: String, strategy: String, parameters: [ReportParameter], symbols: [String], period: ReportPeriod,
                dataSource: String, costs: String, equity: TimeSeries, benchmark: TimeSeries?, benchmarkName: String,
                figures: BacktestFigures, prices: [SymbolPrices], trades: [TradeRow]) {
        self.init(title: title, strategy: strategy, parameters: parameters, symbols: symbols, period: period, dataSource: dataSource,
                  costs: costs, summary: figures.summary, metrics: figures.metrics, equity: equity, benchmark: benchmark,
                  benchmarkName: benchmarkName, drawdown: figures.drawdown, worstDrawdowns: figures.worstDrawdowns, prices: prices,
                  dailyReturns: figures.dailyReturns.values, monthlyReturns: figures.monthlyReturns, yearlyReturns: figures.yearlyReturns,
                  rollingSharpe: figures.rollingSharpe, rollingVolatility: figures.rollingVolatility, rollingWindow: figures.rollingWindow,
                  trades: trades)
    }
}
