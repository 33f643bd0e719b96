import TradewindAnalytics
import TradewindCharts
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// Builds a backtest report's input from an engine run: the trade list, the fills as chart markers, the
/// strategy's indicators on the price charts, a buy-and-hold benchmark and the analytics figures.
/// `tradewind backtest --report/--summary/--pdf` calls it; tests call it directly.
public enum BacktestReportAdapter {
    /// What the report says about the run besides the engine's result.
    public struct Context: Sendable {
        /// Catalog name of the strategy (`sma-cross`): its descriptor in `catalog` gives the indicator overlays.
        public var strategy: String
        /// Where the strategy is looked up (a package's own catalog for its strategies).
        public var catalog: StrategyCatalog
        /// The validated parameters the run used.
        public var parameters: StrategyParameters
        /// Where the bars came from (`sample:spy-daily`, a file path).
        public var dataSource: String
        /// The benchmark's symbol: buy and hold of it with the run's initial capital. `nil`: the run's first symbol.
        public var benchmark: String?
        /// Annual risk-free rate (fraction) for the Sharpe and Sortino ratios.
        public var riskFree: Double
        /// The report's title; `nil`: strategy and symbols.
        public var title: String?
        /// An ML strategy's out-of-sample model section (filled by TradewindModels); `nil` for other strategies.
        public var modelSection: ModelOutOfSampleSection?

        public init(strategy: String, parameters: StrategyParameters, dataSource: String = "", benchmark: String? = nil,
                    riskFree: Double = 0, title: String? = nil, catalog: StrategyCatalog = .builtIn,
                    modelSection: ModelOutOfSampleSection? = nil) {
            self.strategy = strategy
            self.catalog = catalog
            self.parameters = parameters
            self.dataSource = dataSource
            self.benchmark = benchmark
            self.riskFree = riskFree
            self.title = title
            self.modelSection = modelSection
        }
    }

    /// The report input for `result`, a run over `data` (the dataset the engine was given).
    ///
    /// Throws `ReportError.unknownBenchmark` for a benchmark symbol that is not in `data`, `.invalidOption` for a run without bars,
    /// and `AnalyticsError` when the equity curve cannot be analysed (e.g. it reached zero).
    public static func input(result: BacktestResult, data: MarketDataset, context: Context) throws -> BacktestReportInput {
        let eq = result.equity
        guard let start = eq.time.first, let end = eq.time.last else {
            throw ReportError.invalidOption("the run has no bars in its period: nothing to report")
        }
        let zone = result.config.session.zone
        let interval = data.series.first?.interval ?? .daily
        let benchmarkSymbol = context.benchmark ?? result.symbols.first ?? ""
        guard let benchBars = data[benchmarkSymbol] else {
            throw ReportError.unknownBenchmark(symbol: benchmarkSymbol, available: data.symbols)
        }
        let equity = TimeSeries(times: eq.time, values: eq.equity)
        let benchmark = BenchmarkCurve.buyAndHold(benchBars, on: eq.time, capital: result.initialCash)
        let trades = tradeRows(result.trades)
        let figures = try BacktestFigures(equity: equity, benchmark: benchmark, trades: trades, interval: interval, zone: zone,
                                          riskFree: context.riskFree)

        let marks = tradeMarks(result)
        let overlays = StrategyOverlays(strategy: try? context.catalog.named(context.strategy), parameters: context.parameters)
        let prices: [SymbolPrices] = result.symbols.enumerated().compactMap { k, symbol in
            guard let bars = data[symbol] else { return nil }
            let range = bars.firstIndex(atOrAfter: start)..<bars.firstIndex(atOrAfter: end + 1)
            let lines = (overlays.overlays(for: bars) + StrategyOverlays.registered(result.indicators, symbol: k, bars: bars)).map { o in
                IndicatorOverlay(name: o.name, values: Array(o.values[range]), pane: o.pane, levels: o.levels, range: o.range)
            }
            return SymbolPrices(bars: bars.slice(range), marks: marks[k], overlays: lines)
        }

        let parameters = context.parameters.specs.map { spec -> ReportParameter in
            let value = context.parameters[spec.name] ?? spec.defaultValue
            switch value {
            case .int(let v): return ReportParameter(name: spec.name, value: .number(Double(v)))
            case .real(let v): return ReportParameter(name: spec.name, value: .number(v))
            default: return ReportParameter(name: spec.name, value: .text(value.description))
            }
        }
        let symbolsText = result.symbols.count <= 5 ? result.symbols.joined(separator: ", ") : "\(result.symbols.count) symbols"
        var input = BacktestReportInput(
            title: context.title ?? "\(context.strategy) on \(symbolsText)", strategy: context.strategy, parameters: parameters,
            symbols: result.symbols, period: ReportPeriod(start: start, end: end, interval: interval, zone: zone),
            dataSource: context.dataSource, costs: costsText(result.config), equity: equity, benchmark: benchmark,
            benchmarkName: "Buy & hold " + benchmarkSymbol, figures: figures, prices: prices, trades: trades)
        input.modelSection = context.modelSection
        let open = result.trades.filter(\.isOpen).count
        if open > 0 { input.notes.append("\(open) position\(open == 1 ? " is" : "s are") still open at the end, marked to the last close.") }
        let rejected = result.orders.filter { $0.status == .rejected }.count
        if rejected > 0 { input.notes.append("\(rejected) order\(rejected == 1 ? " was" : "s were") rejected (see the order log).") }
        return input
    }

    /// The engine's trades as report rows: side `.buy` → `Long`; open trades have no exit.
    public static func tradeRows(_ trades: [Trade]) -> [TradeRow] {
        trades.enumerated().map { k, t in
            TradeRow(id: k + 1, symbol: t.symbol, side: t.side == .buy ? "Long" : "Short", entryTime: t.entryTime,
                     entryPrice: t.entryPrice, exitTime: t.isOpen ? nil : t.exitTime, exitPrice: t.isOpen ? nil : t.exitPrice,
                     quantity: t.quantity, pnl: t.netPnL, returnFraction: t.returnFraction,
                     costs: t.entryCommission + t.exitCommission, bars: t.barsHeld)
        }
    }

    /// Every fill as a marker on its symbol (`result.symbols` order): an entry when it opens or adds to a
    /// position, an exit when it reduces or closes one (a fill that reverses a position counts as an exit).
    public static func tradeMarks(_ result: BacktestResult) -> [[TradeMark]] {
        var marks = [[TradeMark]](repeating: [], count: result.symbols.count)
        var position = [Double](repeating: 0, count: result.symbols.count)
        for f in result.fills where marks.indices.contains(f.symbol) {
            let delta = f.side == .buy ? f.quantity : -f.quantity
            let before = position[f.symbol]
            let opening = before == 0 || (before > 0) == (delta > 0)
            position[f.symbol] = before + delta
            let label = (f.side == .buy ? "Buy " : "Sell ") + NumberText.shortest(f.quantity) + " @ " + NumberText.fixed(f.price, 2)
            marks[f.symbol].append(TradeMark(time: f.time, price: f.price, kind: opening ? .entry : .exit, label: label))
        }
        return marks
    }

    /// The cost model in words (`commission 0.1 % of value; slippage 1 bp`).
    public static func costsText(_ config: BacktestConfig) -> String {
        let c = config.commission
        var parts: [String] = []
        if c.percent > 0 { parts.append(NumberText.shortest(c.percent * 100) + " % of value") }
        if c.perShare > 0 { parts.append("$" + NumberText.shortest(c.perShare) + "/share") }
        if c.fixed > 0 { parts.append("$" + NumberText.shortest(c.fixed) + " per order") }
        if c.minimum > 0 { parts.append("min $" + NumberText.shortest(c.minimum)) }
        if c.maximum.isFinite { parts.append("max $" + NumberText.shortest(c.maximum)) }
        if c.maximumPercent.isFinite { parts.append("max " + NumberText.shortest(c.maximumPercent * 100) + " % of value") }
        var text = parts.isEmpty ? "no commission" : "commission " + parts.joined(separator: ", ")
        switch config.slippage {
        case .none: text += "; no slippage"
        case .basisPoints(let b): text += "; slippage " + NumberText.shortest(b) + " bp"
        case .halfSpread(let s): text += "; half-spread slippage (spread " + NumberText.shortest(s) + ")"
        }
        return text
    }
}

extension BacktestReportAdapter {
    /// `tradewind backtest --report/--summary/--pdf`: writes the requested outputs (nothing when all three are
    /// `nil`). The summary file holds the box the command prints (`BacktestSummary.formattedBox()`); the HTML
    /// and PDF hold the report of `input(result:data:context:)`. Chromium is looked up before anything is
    /// written when a PDF is asked for.
    public static func export(result: BacktestResult, data: MarketDataset, report: String?, summary: String?, pdf: String?,
                              context: Context, chromium: ChromiumRenderer? = nil) throws {
        if let summary {
            if pdf != nil && chromium == nil { _ = try ChromiumRenderer.find() }
            try ReportWriter.write(text: summaryBox(result: result, data: data, context: context) + "\n", to: summary)
        }
        guard report != nil || pdf != nil else { return }
        let input = try input(result: result, data: data, context: context)
        try ReportExport.backtest(input, html: report, pdf: pdf, chromium: chromium)
    }

    /// The text box `tradewind backtest` prints for this run.
    public static func summaryBox(result: BacktestResult, data: MarketDataset, context: Context) -> String {
        BacktestSummary(result: result, interval: data.series.first?.interval ?? .daily, strategy: context.strategy,
                        parameters: context.parameters.description, riskFree: context.riskFree).formattedBox()
    }
}
