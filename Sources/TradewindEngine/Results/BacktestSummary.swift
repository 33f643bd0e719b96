import TradewindAnalytics
import TradewindCore

/// The headline numbers of a run: engine results combined with TradewindAnalytics' QuantStats-compatible
/// metrics. What `tradewind backtest` prints (box or `--json`).
///
/// Every rate is a fraction (0.12 = 12 %), `max_drawdown` is positive, JSON keys are snake_case and an
/// undefined value (e.g. a profit factor without losing trades) is `nil`, its key left out of the JSON.
///
/// Return-based metrics use the per-bar returns of the equity curve, the first measured against the initial
/// capital, annualised with `periodsPerYear` (252 for daily bars, 98 280 for NYSE minute bars).
/// Trade metrics (`win_rate`, `profit_factor`, averages) are over closed trades' net P&L.
/// `exposure` is the fraction of bars with any open position.
public struct BacktestSummary: Sendable, Codable, Equatable {
    public var strategy: String
    public var parameters: String
    public var symbols: [String]
    public var start: String
    public var end: String
    public var bars: Int
    public var periodsPerYear: Double
    public var initialCapital: Double
    public var finalEquity: Double
    public var totalReturn: Double
    public var cagr: Double?
    public var volatility: Double?
    public var sharpe: Double?
    public var sortino: Double?
    public var calmar: Double?
    public var maxDrawdown: Double?
    public var trades: Int
    public var openTrades: Int
    public var winRate: Double?
    public var profitFactor: Double?
    /// Mean net P&L of winning / losing closed trades (currency; the loss is negative).
    public var avgWin: Double?
    public var avgLoss: Double?
    /// Mean return (fraction of entry value) of winning / losing closed trades.
    public var avgWinPct: Double?
    public var avgLossPct: Double?
    public var exposure: Double
    public var totalCommission: Double
    public var totalSlippage: Double
    public var totalFinancing: Double
    public var orders: Int
    public var rejectedOrders: Int

    enum CodingKeys: String, CodingKey {
        case strategy, parameters, symbols, start, end, bars, periodsPerYear = "periods_per_year"
        case initialCapital = "initial_capital", finalEquity = "final_equity", totalReturn = "total_return"
        case cagr, volatility, sharpe, sortino, calmar, maxDrawdown = "max_drawdown", trades, openTrades = "open_trades"
        case winRate = "win_rate", profitFactor = "profit_factor", avgWin = "avg_win", avgLoss = "avg_loss"
        case avgWinPct = "avg_win_pct", avgLossPct = "avg_loss_pct", exposure
        case totalCommission = "total_commission", totalSlippage = "total_slippage", totalFinancing = "total_financing"
        case orders, rejectedOrders = "rejected_orders"
    }

    /// Summarises `result`; `interval` sets the annualisation (see `Annualization.periodsPerYear(for:)`).
    public init(result: BacktestResult, interval: BarInterval, strategy: String = "", parameters: String = "",
                riskFree: Double = 0) {
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        let eq = result.equity.equity
        let times = result.equity.time
        self.strategy = strategy
        self.parameters = parameters
        symbols = result.symbols
        start = times.first.map(ISO8601.utc) ?? ""
        end = times.last.map(ISO8601.utc) ?? ""
        bars = eq.count
        periodsPerYear = Annualization.periodsPerYear(for: interval)
        initialCapital = result.initialCash
        finalEquity = result.finalEquity
        totalReturn = result.totalReturn

        // Per-bar returns, the first against the initial capital, streamed into the metrics without a returns
        // column. Undefined once equity reaches zero.
        if !eq.isEmpty, let q = QuickMetrics(equity: eq, initial: result.initialCash, riskFree: riskFree,
                                             periodsPerYear: periodsPerYear) {
            cagr = finite(q.cagr)
            volatility = finite(q.volatility)
            sharpe = finite(q.sharpe)
            sortino = finite(q.sortino)
            calmar = finite(q.calmar)
            maxDrawdown = finite(q.maxDrawdown)
        }

        // Usually every trade is closed: then the list itself, not a filtered copy.
        let closed = result.trades.contains(where: \.isOpen) ? result.trades.filter { !$0.isOpen } : result.trades
        trades = closed.count
        openTrades = result.trades.count - closed.count
        let stats = TradeStatistics(trades: closed.map {
            TradeRecord(entryTime: $0.entryTime, exitTime: $0.exitTime, netPnL: $0.netPnL, returnPct: $0.returnFraction,
                        barsHeld: $0.barsHeld)
        })
        winRate = closed.isEmpty ? nil : finite(stats.winRate)
        profitFactor = closed.isEmpty ? nil : finite(stats.profitFactor)
        avgWin = finite(stats.averageWin)
        avgLoss = finite(stats.averageLoss)
        avgWinPct = finite(stats.averageWinPct)
        avgLossPct = finite(stats.averageLossPct)

        // Steps with some position open (one symbol: a count over its column, without a closure per step).
        var inMarket = 0
        if result.positions.count == 1 {
            result.positions[0].withUnsafeBufferPointer { q in
                for i in 0..<eq.count where q[i] != 0 { inMarket += 1 }
            }
        } else {
            for i in 0..<eq.count where result.positions.contains(where: { $0[i] != 0 }) { inMarket += 1 }
        }
        exposure = eq.isEmpty ? 0 : Double(inMarket) / Double(eq.count)
        totalCommission = result.totalCommission
        totalSlippage = result.totalSlippage
        totalFinancing = result.totalFinancing
        orders = result.orders.count
        rejectedOrders = result.orders.count { $0.status == .rejected }
    }

    /// The widest line of `formattedBox()`, in columns.
    public static let boxWidth = 100

    /// A boxed, human-readable summary, at most `boxWidth` columns wide: a long value (many parameters or
    /// symbols) wraps at spaces onto indented lines below its label.
    public func formattedBox() -> String {
        func pct(_ v: Double?) -> String { v.map { fixed($0 * 100, 2) + " %" } ?? "-" }
        func num(_ v: Double?, _ digits: Int = 2) -> String { v.map { fixed($0, digits) } ?? "-" }
        func day(_ s: String) -> String { String(s.prefix(10)) }
        let rows: [(String, String)] = [
            ("Strategy", parameters.isEmpty ? strategy : "\(strategy) (\(parameters))"),
            ("Symbols", symbols.joined(separator: " ")),
            ("Period", "\(day(start)) .. \(day(end)) (\(bars) bars)"),
            ("Initial capital", num(initialCapital)),
            ("Final value", num(finalEquity)),
            ("Total return", pct(totalReturn)),
            ("Annual return (CAGR)", pct(cagr)),
            ("Volatility (ann.)", pct(volatility)),
            ("Sharpe", num(sharpe, 3)),
            ("Sortino", num(sortino, 3)),
            ("Calmar", num(calmar, 3)),
            ("Max drawdown", pct(maxDrawdown.map { -$0 })),
            ("Trades", openTrades > 0 ? "\(trades) closed, \(openTrades) open" : "\(trades)"),
            ("Win rate", pct(winRate)),
            ("Profit factor", num(profitFactor, 3)),
            ("Avg win", avgWin.map { "\(num($0)) (\(pct(avgWinPct)))" } ?? "-"),
            ("Avg loss", avgLoss.map { "\(num($0)) (\(pct(avgLossPct)))" } ?? "-"),
            ("Exposure", pct(exposure)),
            ("Commission paid", num(totalCommission)),
            ("Orders", rejectedOrders > 0 ? "\(orders) (\(rejectedOrders) rejected)" : "\(orders)"),
        ]
        let w0 = rows.map(\.0.count).max() ?? 0
        let room = Self.boxWidth - w0 - 7
        let wrapped = rows.flatMap { k, v in wrapWords(v, width: room).enumerated().map { ($0.offset == 0 ? k : "", $0.element) } }
        let w1 = wrapped.map(\.1.count).max() ?? 0
        let line = "+" + String(repeating: "-", count: w0 + 2) + "+" + String(repeating: "-", count: w1 + 2) + "+"
        var out = [line]
        for (k, v) in wrapped {
            out.append("| " + k + String(repeating: " ", count: w0 - k.count) + " | " + v
                       + String(repeating: " ", count: w1 - v.count) + " |")
        }
        out.append(line)
        return out.joined(separator: "\n")
    }
}

/// `text`'s space-separated words in lines of at most `width` characters, lines after the first indented by
/// two spaces; a word too long for a line is cut across lines.
func wrapWords(_ text: String, width: Int) -> [String] {
    guard text.count > width else { return [text] }
    return TextWrap.lines(text.split(separator: " ").map(String.init), width: width, indent: "  ")
}

/// `v` with exactly `digits` decimals (no Foundation).
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    guard r < 9e18 else { return String(v) }
    let n = Int64(r)
    let whole = n / Int64(scale)
    var frac = String(n % Int64(scale))
    while frac.count < digits { frac = "0" + frac }
    let sign = v < 0 && n != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
}
