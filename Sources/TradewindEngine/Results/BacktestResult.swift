import TradewindCore

/// Equity per time step (after the warm-up, if any): `equity = cash + positionsValue` at each step's closes.
///
/// `time` and `equity` are stored; `cash`, `positionsValue` and the exposures are computed from the run's cash
/// changes, positions and closes when first read (`DerivedEquityColumns`: the same values, bit for bit, as
/// writing them every step), so runs whose callers only need equity do not pay for them.
public struct EquityCurve: Sendable, Hashable {
    public var time: [UnixNanos]
    public var equity: [Double]
    let derived: DerivedEquityColumns

    public var cash: [Double] { derived.columns.cash }
    /// Signed market value of all positions (shorts negative).
    public var positionsValue: [Double] { derived.columns.positionsValue }
    /// Gross exposure: Σ|position value| / equity.
    public var grossExposure: [Double] { derived.columns.grossExposure }
    /// Net exposure: Σ position value / equity.
    public var netExposure: [Double] { derived.columns.netExposure }

    init(time: [UnixNanos], equity: [Double], derived: DerivedEquityColumns) {
        self.time = time
        self.equity = equity
        self.derived = derived
    }

    /// A curve of no steps.
    static let empty = EquityCurve(time: [], equity: [], derived: DerivedEquityColumns(
        .init(cash: [], positionsValue: [], grossExposure: [], netExposure: [])))

    public static func == (a: EquityCurve, b: EquityCurve) -> Bool {
        a.time == b.time && a.equity == b.equity && (a.derived === b.derived || a.derived.columns == b.derived.columns)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(equity)
    }
}

/// Everything a run produced. Metrics (Sharpe, drawdown, ...) are computed from this by TradewindAnalytics.
public struct BacktestResult: Sendable {
    public let symbols: [String]
    public let config: BacktestConfig
    public let initialCash: Double
    public let equity: EquityCurve
    /// Position quantity per symbol per step: `positions[symbol][step]`.
    public let positions: [[Double]]
    public let trades: [Trade]
    /// Final state of every order.
    public let orders: [Order]
    /// Every state change of every order, in order.
    public let orderLog: [OrderEvent]
    public let fills: [Fill]
    /// Total commission paid, slippage cost and financing charged.
    public let totalCommission: Double
    public let totalSlippage: Double
    public let totalFinancing: Double
    /// Net dividends received (paid, for shorts) on positions held over ex-dates.
    public let totalDividends: Double
    /// The values of the indicators the strategy registered (`TradingContext.register`), per symbol.
    public var indicators: [IndicatorSeries] = []
    /// The steps of the run's warm-up (`BacktestConfig.warmup`), left out of `equity` and `positions`: their row 0
    /// is step `warmupSteps` (order, fill and trade step numbers count from the run's first step, warm-up included).
    public var warmupSteps = 0

    public var finalEquity: Double { equity.equity.last ?? initialCash }
    public var totalReturn: Double { finalEquity / initialCash - 1 }
    public var start: UnixNanos? { equity.time.first }
    public var end: UnixNanos? { equity.time.last }
    /// Closed trades only.
    public var closedTrades: [Trade] { trades.filter { !$0.isOpen } }
}
