import TradewindCharts
import TradewindCore

/// The backtest tear sheet: one self-contained HTML page with the run's header and cards, equity
/// against its benchmark (linear/log), drawdowns, prices with trades and indicators, monthly and
/// yearly returns, rolling Sharpe and volatility, return and trade distributions, the trade list
/// (sortable, CSV export) and the full metrics table.
public enum BacktestReport {
    /// The section ids, in page order.
    public static let sectionIDs = ["summary", "equity", "drawdown", "prices", "returns", "rolling", "distribution", "trades", "metrics"]
    /// Trades beyond this count are left out of the page's table (the page says so).
    public static let maxTradeRows = 5_000

    /// The whole page.
    public static func render(_ input: BacktestReportInput) -> String {
        let labels = ["Summary", "Equity", "Drawdown", "Prices", "Returns", "Rolling", "Distribution", "Trades", "Metrics"]
        let model = input.modelSection == nil ? [] : [("model", "Model")]
        return ReportPage.document(title: input.title, nav: Array(zip(sectionIDs, labels)).map { ($0.0, $0.1) } + model,
                                   body: sections(input, idPrefix: ""))
    }

    /// The report's sections without the page around them; ids are prefixed with `idPrefix` so that
    /// several backtests can share one page (the optimization report embeds one per symbol).
    public static func sections(_ input: BacktestReportInput, idPrefix p: String, headingLevel: Int = 1) -> String {
        var s = ""
        s += header(input, p, headingLevel)
        s += equity(input, p)
        s += drawdown(input, p)
        s += prices(input, p)
        s += returns(input, p)
        s += rolling(input, p)
        s += distribution(input, p)
        s += trades(input, p)
        s += metrics(input, p)
        if let model = input.modelSection {
            s += ModelOutOfSampleHTML.section(model, period: input.period, idPrefix: p)
        }
        return s
    }

    /// The sections a dashboard shows beside its own cards and trade log: equity against buy-and-hold, drawdown, and
    /// prices with entries and exits, keyed `equity`, `drawdown`, `prices` (HTML with inline SVG; ids prefixed).
    public static func chartSections(_ input: BacktestReportInput, idPrefix p: String) -> [String: String] {
        ["equity": equity(input, p), "drawdown": drawdown(input, p), "prices": prices(input, p)]
    }

    /// Width of the charts laid out two per row, so that their text keeps its size.
    static let gridChartWidth = 560.0

    static func money(_ input: BacktestReportInput, _ decimals: Int = 2) -> ValueFormat { .currency(symbol: input.currency, decimals: decimals) }

    static func timeAxis(_ period: ReportPeriod, times: [UnixNanos]) -> XAxis {
        period.interval.isIntraday ? .ordinal(times: times, zone: period.zone, intraday: true) : .time(zone: period.zone, intraday: false)
    }

    // MARK: Header

    static func header(_ input: BacktestReportInput, _ p: String, _ level: Int) -> String {
        let f = input.summary
        var s = "<section id=\"\(p)summary\" class=\"summary\">"
        s += "<h\(level)>" + HTMLText.esc(input.title) + "</h\(level)>"
        s += HTMLText.facts([
            ("Strategy", input.strategy), ("Parameters", HTMLText.parameters(input.parameters)),
            ("Symbols", input.symbols.joined(separator: ", ")), ("Period", input.period.description),
            ("Data", input.dataSource), ("Costs", input.costs),
            ("Capital", money(input).string(f.initialCapital)),
        ])
        if !input.notes.isEmpty { s += "<div class=\"notes\">" + input.notes.map(HTMLText.esc).joined(separator: "<br/>") + "</div>" }
        let cards: [(String, String, Double, ValueFormat)] = [
            ("final_value", "Final value", f.finalValue, money(input, 0)),
            ("total_return", "Total return", f.totalReturn, .percent(decimals: 2)),
            ("annual_return", "Annual return", f.annualReturn, .percent(decimals: 2)),
            ("sharpe", "Sharpe", f.sharpe, .number(decimals: 2)),
            ("sortino", "Sortino", f.sortino, .number(decimals: 2)),
            ("max_drawdown", "Max drawdown", f.maxDrawdown, .percent(decimals: 2)),
            ("trades", "Trades", Double(f.trades), .number(decimals: 0)),
            ("win_rate", "Win rate", f.winRate, .percent(decimals: 1)),
            ("profit_factor", "Profit factor", f.profitFactor, .number(decimals: 2)),
        ]
        s += "<div class=\"cards\">"
        for (key, label, v, fmt) in cards {
            let signed = ["total_return", "annual_return", "sharpe", "sortino"].contains(key) || key == "max_drawdown"
            let cls = signed && v.isFinite && v != 0 ? (v > 0 ? " pos" : " neg") : ""
            s += "<div class=\"card\" data-key=\"\(key)\" data-value=\"\(NumberText.fixed(v, 6))\"><div class=\"label\">" + HTMLText.esc(label)
                + "</div><div class=\"value\(cls)\">" + HTMLText.esc(v.isFinite ? fmt.string(v) : "—") + "</div></div>"
        }
        s += "</div></section>"
        return s
    }

    // MARK: Equity

    static func equity(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)equity\"><h2>Equity</h2>"
        guard !input.equity.isEmpty else { return s + HTMLText.note("No equity recorded.") + "</section>" }
        func chart(_ kind: ScaleKind) -> String {
            let axis = timeAxis(input.period, times: input.equity.times)
            var series = [ChartSeries(name: "Strategy", times: input.equity.times, values: input.equity.values, on: axis,
                                      color: ChartTheme.palette[0], strokeWidth: 1.8)]
            if let b = input.benchmark, !b.isEmpty {
                series.append(ChartSeries(name: input.benchmarkName, times: b.times, values: b.values, on: axis,
                                          color: ChartTheme.palette[1], strokeWidth: 1.3))
            }
            var c = XYChart(title: "Equity (\(kind.rawValue) scale)", id: "\(p)equity-\(kind.rawValue)", xAxis: axis, series: series)
            c.height = 340
            c.yScale = kind
            c.yFormat = money(input, 0)
            return c.svg()
        }
        s += "<div data-scale-group=\"equity\"><div class=\"toolbar\"><span>Scale:</span>"
        s += "<button type=\"button\" data-scale=\"linear\" aria-pressed=\"true\">Linear</button>"
        s += "<button type=\"button\" data-scale=\"log\" aria-pressed=\"false\">Log</button></div>"
        s += "<div data-scale-view=\"linear\">" + HTMLText.figure("Equity vs " + (input.benchmark == nil ? "no benchmark" : input.benchmarkName), chart(.linear)) + "</div>"
        s += "<div data-scale-view=\"log\" hidden=\"hidden\">" + HTMLText.figure("Equity vs " + (input.benchmark == nil ? "no benchmark" : input.benchmarkName) + " (log scale)", chart(.log)) + "</div>"
        return s + "</div></section>"
    }

    // MARK: Drawdown

    static func drawdown(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)drawdown\"><h2>Drawdown</h2>"
        if !input.drawdown.isEmpty {
            let axis = timeAxis(input.period, times: input.drawdown.times)
            var c = XYChart(title: "Underwater (drawdown from peak)", id: "\(p)drawdown-chart", xAxis: axis,
                            series: [ChartSeries(name: "Drawdown", times: input.drawdown.times, values: input.drawdown.values, on: axis,
                                                 style: .area(baseline: 0), color: ChartTheme.negative, strokeWidth: 1)])
            c.height = 220
            c.yFormat = .percent(decimals: 1)
            s += HTMLText.figure("Underwater curve", c.svg())
        }
        let worst = Array(input.worstDrawdowns.sorted { $0.depth < $1.depth }.prefix(5))
        if worst.isEmpty {
            s += HTMLText.note("No drawdowns: the equity never fell below a previous peak.")
        } else {
            let rows = worst.enumerated().map { (i, d) -> [String] in
                let end = d.recovery ?? input.period.end
                return [String(i + 1), HTMLText.esc(HTMLText.date(d.start, input.period)), HTMLText.esc(HTMLText.date(d.trough, input.period)),
                        HTMLText.esc(d.recovery.map { HTMLText.date($0, input.period) } ?? "not recovered"),
                        "<span class=\"neg\">" + HTMLText.esc(ValueFormat.percent(decimals: 2).string(d.depth)) + "</span>",
                        HTMLText.esc(HTMLText.duration(end - d.start) + (d.recovery == nil ? " (ongoing)" : ""))]
            }
            s += "<h3>Five worst drawdowns</h3>" + HTMLText.table(["#", "Start", "Trough", "Recovery", "Depth", "Length"], rows, id: "\(p)worst-drawdowns")
        }
        return s + "</section>"
    }

    // MARK: Prices

    static func prices(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)prices\"><h2>Prices and trades</h2>"
        if input.prices.isEmpty { s += HTMLText.note("No price series in this run.") }
        let many = input.prices.count > 10
        for sp in input.prices {
            let sym = sp.bars.symbol
            s += "<div class=\"symbol\" id=\"\(p)price-\(HTMLText.idFragment(sym))\"><h3>" + HTMLText.esc(sym) + "</h3>"
            s += priceCharts(sp, input, p, compact: many)
            s += "</div>"
        }
        return s + "</section>"
    }

    /// Candles for intraday bars and short daily spans, a close line for long daily spans.
    public static func usesCandles(_ bars: BarSeries) -> Bool {
        bars.interval.isIntraday || bars.count <= 250
    }

    static func priceCharts(_ sp: SymbolPrices, _ input: BacktestReportInput, _ p: String, compact: Bool) -> String {
        let bars = sp.bars
        guard !bars.isEmpty else { return HTMLText.note("No bars.") }
        let candles = usesCandles(bars)
        let zone = input.period.zone
        let axis: XAxis = candles ? .ordinal(times: bars.time, zone: zone, intraday: bars.interval.isIntraday)
            : .time(zone: zone, intraday: false)
        let idSym = HTMLText.idFragment(bars.symbol)
        var c = XYChart(title: bars.symbol + " price", id: "\(p)price-chart-\(idSym)", xAxis: axis)
        c.height = compact ? 240 : 320
        c.yFormat = .number(decimals: 2)
        if compact { c.maxColumns = 240 }
        if candles {
            c.candles = Candles(x: (0..<bars.count).map(Double.init), open: bars.open, high: bars.high, low: bars.low, close: bars.close)
            c.candleName = bars.symbol
        } else {
            c.series.append(ChartSeries(name: bars.symbol + " close", x: bars.time.map(Double.init), y: bars.close,
                                        color: ChartTheme.palette[5], strokeWidth: 1.2))
        }
        for (k, o) in sp.overlays.enumerated() where o.pane == .price && o.values.count == bars.count {
            let x = candles ? (0..<bars.count).map(Double.init) : bars.time.map(Double.init)
            c.series.append(ChartSeries(name: o.name, x: x, y: o.values, color: ChartTheme.color(k + 1), strokeWidth: 1.2))
            c.referenceLines += o.levels
        }
        c.markers = sp.marks.map { m in
            ChartMarker(x: axis.position(of: m.time), y: m.price, kind: m.kind == .entry ? .entry : .exit, tip: m.label)
        }
        var s = HTMLText.figure(bars.symbol + (candles ? " (candles)" : " (close)") + ", \(sp.marks.count) fills", c.svg())
        for (k, o) in sp.overlays.enumerated() where o.pane == .separate && o.values.count == bars.count {
            let x = candles ? (0..<bars.count).map(Double.init) : bars.time.map(Double.init)
            var ic = XYChart(title: bars.symbol + " " + o.name, id: "\(p)indicator-\(idSym)-\(k)", xAxis: axis,
                             series: [ChartSeries(name: o.name, x: x, y: o.values, color: ChartTheme.color(k + 2), strokeWidth: 1.2)])
            ic.height = 150
            ic.yTickTarget = 3
            ic.yDomain = o.range
            ic.referenceLines = o.levels
            ic.yFormat = .number(decimals: 1)
            if compact { ic.maxColumns = 240 }
            s += HTMLText.figure(o.name, ic.svg(), cls: "chart indicator")
        }
        return s
    }

    // MARK: Returns

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func returns(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)returns\"><h2>Returns</h2>"
        let years = Array(Set(input.monthlyReturns.map(\.year) + input.yearlyReturns.map(\.year))).sorted()
        if input.monthlyReturns.isEmpty {
            s += HTMLText.note("Less than a month of returns.")
        } else {
            var grid = [[Double?]](repeating: [Double?](repeating: nil, count: 13), count: years.count)
            let row = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
            for m in input.monthlyReturns where (1...12).contains(m.month) { grid[row[m.year]!][m.month - 1] = m.value }
            for y in input.yearlyReturns { grid[row[y.year]!][12] = y.value }
            var h = HeatmapChart(title: "Monthly returns", id: "\(p)monthly-heatmap", rowLabels: years.map(String.init),
                                 columnLabels: months + ["Year"], values: grid, format: .percent(decimals: 1))
            h.cellWidth = 52
            s += HTMLText.figure("Monthly returns (%)", h.svg())
        }
        if !input.yearlyReturns.isEmpty {
            let ys = input.yearlyReturns.sorted { $0.year < $1.year }
            var series = [BarChart.Series(name: "Strategy", values: ys.map(\.value), color: ChartTheme.palette[0])]
            if ys.contains(where: { $0.benchmark != nil }) {
                series.append(BarChart.Series(name: input.benchmarkName, values: ys.map { $0.benchmark ?? .nan }, color: ChartTheme.palette[1]))
            }
            var b = BarChart(title: "Yearly returns", id: "\(p)yearly-bars", categories: ys.map { String($0.year) }, series: series)
            b.format = .percent(decimals: 1)
            s += HTMLText.figure("Yearly returns", b.svg())
        }
        return s + "</section>"
    }

    // MARK: Rolling

    static func rolling(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)rolling\"><h2>Rolling Sharpe and volatility</h2>"
        let finite = { (t: TimeSeries) in t.values.contains { $0.isFinite } }
        guard finite(input.rollingSharpe) || finite(input.rollingVolatility) else {
            return s + HTMLText.note("The run is shorter than the rolling window (\(input.rollingWindow)).") + "</section>"
        }
        s += "<div class=\"grid\">"
        if finite(input.rollingSharpe) {
            let axis = timeAxis(input.period, times: input.rollingSharpe.times)
            var c = XYChart(title: "Rolling Sharpe", id: "\(p)rolling-sharpe", xAxis: axis,
                            series: [ChartSeries(name: "Sharpe (\(input.rollingWindow))", times: input.rollingSharpe.times,
                                                 values: input.rollingSharpe.values, on: axis, color: ChartTheme.palette[2])])
            c.width = gridChartWidth
            c.height = 260
            c.yFormat = .number(decimals: 2)
            c.referenceLines = [ReferenceLine(value: 0, label: "0", color: ChartTheme.axis)]
            s += HTMLText.figure("Rolling Sharpe (\(input.rollingWindow))", c.svg())
        }
        if finite(input.rollingVolatility) {
            let axis = timeAxis(input.period, times: input.rollingVolatility.times)
            var c = XYChart(title: "Rolling volatility", id: "\(p)rolling-vol", xAxis: axis,
                            series: [ChartSeries(name: "Volatility (\(input.rollingWindow))", times: input.rollingVolatility.times,
                                                 values: input.rollingVolatility.values, on: axis, color: ChartTheme.palette[3])])
            c.width = gridChartWidth
            c.height = 260
            c.yFormat = .percent(decimals: 0)
            s += HTMLText.figure("Rolling volatility, annualised (\(input.rollingWindow))", c.svg())
        }
        return s + "</div></section>"
    }

    // MARK: Distributions

    static func distribution(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)distribution\"><h2>Distributions</h2><div class=\"grid\">"
        let daily = input.dailyReturns.filter(\.isFinite)
        if daily.isEmpty {
            s += HTMLText.note("No daily returns.")
        } else {
            var h = HistogramChart(title: "Daily returns", id: "\(p)daily-returns-hist", values: daily, format: .percent(decimals: 2))
            let mean = daily.reduce(0, +) / Double(daily.count)
            h.width = gridChartWidth
            h.markers = [(0, "0"), (mean, "mean " + ValueFormat.percent(decimals: 2).string(mean))]
            s += HTMLText.figure("Daily returns", h.svg())
        }
        let closed = input.trades.filter { $0.exitTime != nil }
        if closed.isEmpty {
            s += HTMLText.note("No closed trades, so no trade P&L or duration distribution.")
        } else {
            var h = HistogramChart(title: "Trade P&L", id: "\(p)trade-pnl-hist", values: closed.map(\.pnl), format: money(input, 0))
            h.width = gridChartWidth
            h.markers = [(0, "0")]
            s += HTMLText.figure("Trade P&L (\(closed.count) closed trades)", h.svg())
            let nanos = closed.map { Double($0.exitTime! - $0.entryTime) }
            let useDays = (nanos.max() ?? 0) >= 2 * Double(UnixTime.nanosPerDay)
            let unit = useDays ? Double(UnixTime.nanosPerDay) : Double(UnixTime.nanosPerHour)
            var d = HistogramChart(title: "Trade duration", id: "\(p)trade-duration-hist", values: nanos.map { $0 / unit },
                                   format: .number(decimals: 1))
            d.signColored = false
            d.width = gridChartWidth
            s += HTMLText.figure("Trade duration (" + (useDays ? "days" : "hours") + ")", d.svg())
        }
        return s + "</div></section>"
    }

    // MARK: Trades

    static func trades(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)trades\"><h2>Trades</h2>"
        guard !input.trades.isEmpty else { return s + HTMLText.note("The strategy made no trades.") + "</section>" }
        let shown = input.trades.prefix(maxTradeRows)
        let tableID = "\(p)trade-table"
        s += "<div class=\"toolbar\"><button type=\"button\" data-csv=\"\(tableID)\" data-file=\"trades.csv\">Export CSV</button>"
        s += "<span>\(input.trades.count) trades" + (input.trades.count > shown.count ? ", first \(shown.count) shown" : "") + "; click a column to sort.</span></div>"
        let cols: [(String, String, Bool)] = [
            ("#", "id", true), ("Symbol", "symbol", false), ("Side", "side", false), ("Entry", "entry_time", false),
            ("Entry price", "entry_price", true), ("Exit", "exit_time", false), ("Exit price", "exit_price", true),
            ("Quantity", "quantity", true), ("P&L", "pnl", true), ("Return", "return", true), ("Costs", "costs", true),
            ("Bars", "bars", true), ("Duration", "duration_seconds", true),
        ]
        s += "<div class=\"table-wrap\"><table class=\"sortable trades\" id=\"\(tableID)\"><thead><tr>"
        for (label, name, num) in cols { s += "<th data-name=\"\(name)\"" + (num ? " data-type=\"num\"" : "") + ">" + HTMLText.esc(label) + "</th>" }
        s += "</tr></thead><tbody>"
        let price = ValueFormat.number(decimals: 2)
        func td(_ raw: String, _ shown: String, _ cls: String = "") -> String {
            "<td data-v=\"" + HTMLText.esc(raw) + "\"" + (cls.isEmpty ? "" : " class=\"\(cls)\"") + ">" + HTMLText.esc(shown) + "</td>"
        }
        for t in shown {
            let pnlCls = t.pnl > 0 ? "pos" : t.pnl < 0 ? "neg" : ""
            s += "<tr>" + td(String(t.id), String(t.id)) + td(t.symbol, t.symbol) + td(t.side, t.side)
            s += td(ISO8601.utc(t.entryTime), HTMLText.date(t.entryTime, input.period)) + td(NumberText.fixed(t.entryPrice, 6), price.string(t.entryPrice))
            s += td(t.exitTime.map(ISO8601.utc) ?? "", t.exitTime.map { HTMLText.date($0, input.period) } ?? "open")
            s += td(t.exitPrice.map { NumberText.fixed($0, 6) } ?? "", t.exitPrice.map(price.string) ?? "—")
            s += td(NumberText.fixed(t.quantity, 6), NumberText.auto(t.quantity))
            s += td(NumberText.fixed(t.pnl, 2), money(input).string(t.pnl), pnlCls)
            s += td(NumberText.fixed(t.returnFraction, 6), ValueFormat.percent(decimals: 2).string(t.returnFraction), pnlCls)
            s += td(NumberText.fixed(t.costs, 2), money(input).string(t.costs)) + td(String(t.bars), String(t.bars))
            let dur = t.exitTime.map { $0 - t.entryTime }
            s += td(dur.map { String($0 / UnixTime.nanosPerSecond) } ?? "", dur.map(HTMLText.duration) ?? "open") + "</tr>"
        }
        return s + "</tbody></table></div></section>"
    }

    // MARK: Metrics

    static func metrics(_ input: BacktestReportInput, _ p: String) -> String {
        var s = "<section id=\"\(p)metrics\"><h2>Metrics</h2>"
        guard !input.metrics.isEmpty else { return s + HTMLText.note("No metrics.") + "</section>" }
        s += "<div class=\"table-wrap\"><table class=\"metrics\"><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>"
        for m in input.metrics {
            s += "<tr data-key=\"" + HTMLText.esc(m.key) + "\"><td>" + HTMLText.esc(m.label) + "</td><td data-v=\""
                + NumberText.fixed(m.value, 8) + "\">" + HTMLText.esc(m.display) + "</td></tr>"
        }
        return s + "</tbody></table></div></section>"
    }
}
