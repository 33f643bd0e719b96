import TradewindCharts
import TradewindCore

/// Everything a backtest report shows, as plain values. An adapter fills it from the engine's
/// result and the analytics; the renderer only lays it out (thinning, binning and colouring are
/// its own business, every financial figure comes in here).
public struct BacktestReportInput: Sendable, Equatable {
    public var title: String
    public var strategy: String
    public var parameters: [ReportParameter]
    public var symbols: [String]
    public var period: ReportPeriod
    /// Where the bars came from (`sample:spy-daily`, a file path).
    public var dataSource: String
    /// The cost model in words (`commission $0.005/share, min $1; slippage 1 bp`).
    public var costs: String
    /// Currency symbol for money values.
    public var currency: String = "$"
    /// The figures of the text summary; the report's cards show them too.
    public var summary: SummaryFigures
    /// The full metrics table of the analytics module, in display order.
    public var metrics: [ReportMetric]
    /// Portfolio value over time.
    public var equity: TimeSeries
    /// Benchmark value over time, scaled to the same initial capital, and its name
    /// (`Buy & hold SPY`); `nil` when there is none.
    public var benchmark: TimeSeries?
    public var benchmarkName: String = "Benchmark"
    /// Underwater curve: drawdown from the running peak as a fraction ≤ 0.
    public var drawdown: TimeSeries
    /// The worst drawdowns, deepest first (the report lists five).
    public var worstDrawdowns: [ReportDrawdown]
    /// One price chart per symbol (an empty list leaves the section with a note).
    public var prices: [SymbolPrices]
    /// Daily returns of the strategy (fractions), for the distribution.
    public var dailyReturns: [Double]
    public var monthlyReturns: [MonthlyReturn]
    public var yearlyReturns: [YearlyReturn]
    /// Rolling annualised Sharpe ratio and volatility, with the window in words (`126 days`).
    public var rollingSharpe: TimeSeries
    public var rollingVolatility: TimeSeries
    public var rollingWindow: String
    public var trades: [TradeRow]
    /// Extra lines shown under the header (warnings, assumptions).
    public var notes: [String] = []
    /// An ML strategy's out-of-sample model section (`ModelOutOfSampleHTML.section`), drawn after the metrics;
    /// `nil` for every other strategy, whose page is then unchanged.
    public var modelSection: ModelOutOfSampleSection?

    public init(title: String, strategy: String, parameters: [ReportParameter], symbols: [String], period: ReportPeriod,
                dataSource: String, costs: String, summary: SummaryFigures, metrics: [ReportMetric], equity: TimeSeries,
                benchmark: TimeSeries? = nil, benchmarkName: String = "Benchmark", drawdown: TimeSeries,
                worstDrawdowns: [ReportDrawdown], prices: [SymbolPrices], dailyReturns: [Double],
                monthlyReturns: [MonthlyReturn], yearlyReturns: [YearlyReturn], rollingSharpe: TimeSeries,
                rollingVolatility: TimeSeries, rollingWindow: String, trades: [TradeRow]) {
        self.title = title
        self.strategy = strategy
        self.parameters = parameters
        self.symbols = symbols
        self.period = period
        self.dataSource = dataSource
        self.costs = costs
        self.summary = summary
        self.metrics = metrics
        self.equity = equity
        self.benchmark = benchmark
        self.benchmarkName = benchmarkName
        self.drawdown = drawdown
        self.worstDrawdowns = worstDrawdowns
        self.prices = prices
        self.dailyReturns = dailyReturns
        self.monthlyReturns = monthlyReturns
        self.yearlyReturns = yearlyReturns
        self.rollingSharpe = rollingSharpe
        self.rollingVolatility = rollingVolatility
        self.rollingWindow = rollingWindow
        self.trades = trades
    }
}

/// The headline figures of a run: the text summary's box and the report's cards.
public struct SummaryFigures: Sendable, Equatable {
    public var start: UnixNanos
    public var end: UnixNanos
    public var initialCapital: Double
    public var finalValue: Double
    /// Fractions (0.12 is 12 %).
    public var totalReturn: Double
    public var annualReturn: Double
    public var sharpe: Double
    public var sortino: Double
    /// A fraction ≤ 0.
    public var maxDrawdown: Double
    public var trades: Int
    /// Fraction of closed trades with positive P&L (non-finite without trades).
    public var winRate: Double
    public var profitFactor: Double
    /// Mean P&L of winning and of losing trades, in money (loss is ≤ 0).
    public var averageWin: Double
    public var averageLoss: Double

    public init(start: UnixNanos, end: UnixNanos, initialCapital: Double, finalValue: Double, totalReturn: Double,
                annualReturn: Double, sharpe: Double, sortino: Double, maxDrawdown: Double, trades: Int, winRate: Double,
                profitFactor: Double, averageWin: Double, averageLoss: Double) {
        self.start = start
        self.end = end
        self.initialCapital = initialCapital
        self.finalValue = finalValue
        self.totalReturn = totalReturn
        self.annualReturn = annualReturn
        self.sharpe = sharpe
        self.sortino = sortino
        self.maxDrawdown = maxDrawdown
        self.trades = trades
        self.winRate = winRate
        self.profitFactor = profitFactor
        self.averageWin = averageWin
        self.averageLoss = averageLoss
    }
}

/// One drawdown: from the peak it fell from, through its trough, to the recovery of that peak.
public struct ReportDrawdown: Sendable, Equatable {
    public var start: UnixNanos
    public var trough: UnixNanos
    /// `nil` while not recovered by the end of the run.
    public var recovery: UnixNanos?
    /// Depth as a fraction ≤ 0 (−0.25 is a 25 % fall).
    public var depth: Double

    public init(start: UnixNanos, trough: UnixNanos, recovery: UnixNanos?, depth: Double) {
        self.start = start
        self.trough = trough
        self.recovery = recovery
        self.depth = depth
    }
}

public struct MonthlyReturn: Sendable, Equatable {
    public var year: Int
    /// 1...12
    public var month: Int
    public var value: Double

    public init(year: Int, month: Int, value: Double) {
        self.year = year
        self.month = month
        self.value = value
    }
}

public struct YearlyReturn: Sendable, Equatable {
    public var year: Int
    public var value: Double
    /// The benchmark's return that year, when there is a benchmark.
    public var benchmark: Double?

    public init(year: Int, value: Double, benchmark: Double? = nil) {
        self.year = year
        self.value = value
        self.benchmark = benchmark
    }
}

/// A symbol's bars with the strategy's trades and indicators on them.
public struct SymbolPrices: Sendable, Equatable {
    public var bars: BarSeries
    public var marks: [TradeMark]
    public var overlays: [IndicatorOverlay]

    public init(bars: BarSeries, marks: [TradeMark] = [], overlays: [IndicatorOverlay] = []) {
        self.bars = bars
        self.marks = marks
        self.overlays = overlays
    }
}

/// An order fill drawn on the price chart.
public struct TradeMark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A position opened or increased (▲).
        case entry
        /// A position closed or reduced (▼).
        case exit
    }
    public var time: UnixNanos
    public var price: Double
    public var kind: Kind
    /// Hover text (`Buy 100 @ 123.45`).
    public var label: String

    public init(time: UnixNanos, price: Double, kind: Kind, label: String) {
        self.time = time
        self.price = price
        self.kind = kind
        self.label = label
    }
}

/// An indicator drawn with the prices: on the price pane (a moving average) or in its own pane
/// below (RSI with its entry and exit levels).
public struct IndicatorOverlay: Sendable, Equatable {
    public enum Pane: Sendable, Equatable { case price, separate }
    public var name: String
    /// One value per bar of the symbol's series (NaN during warm-up).
    public var values: [Double]
    public var pane: Pane
    /// Reference levels (`Entry 30`, `Exit 70`).
    public var levels: [ReferenceLine]
    /// A fixed range for a separate pane (`0...100` for RSI).
    public var range: ClosedRange<Double>?

    public init(name: String, values: [Double], pane: Pane, levels: [ReferenceLine] = [], range: ClosedRange<Double>? = nil) {
        self.name = name
        self.values = values
        self.pane = pane
        self.levels = levels
        self.range = range
    }
}

/// One round-trip trade in the trade list.
public struct TradeRow: Sendable, Equatable {
    public var id: Int
    public var symbol: String
    /// `Long` or `Short`.
    public var side: String
    public var entryTime: UnixNanos
    public var entryPrice: Double
    /// `nil` while still open at the end of the run.
    public var exitTime: UnixNanos?
    public var exitPrice: Double?
    public var quantity: Double
    /// Net P&L in money after costs.
    public var pnl: Double
    /// Return on the position's entry value (fraction).
    public var returnFraction: Double
    /// Costs paid (commission, fees, slippage) in money.
    public var costs: Double
    /// Bars held.
    public var bars: Int

    public init(id: Int, symbol: String, side: String, entryTime: UnixNanos, entryPrice: Double, exitTime: UnixNanos?,
                exitPrice: Double?, quantity: Double, pnl: Double, returnFraction: Double, costs: Double, bars: Int) {
        self.id = id
        self.symbol = symbol
        self.side = side
        self.entryTime = entryTime
        self.entryPrice = entryPrice
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.quantity = quantity
        self.pnl = pnl
        self.returnFraction = returnFraction
        self.costs = costs
        self.bars = bars
    }
}
