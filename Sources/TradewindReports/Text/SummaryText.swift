import TradewindCharts
import TradewindCore

/// The plain-text summary of a run, in a box (for the terminal and `--summary FILE.txt`):
///
///     ┌──────────────────────────────────────────────┐
///     │ SMA cross (fast = 10, slow = 50) on SPY       │
///     ├──────────────────────────────────────────────┤
///     │ Period              2004-01-02 → 2024-05-31   │
///     │ Initial capital                 $100,000.00   │
///     …
public enum SummaryText {
    /// The box; `title` is its first line, `currency` prefixes money. Undefined ratios print as `—`.
    public static func render(_ f: SummaryFigures, title: String, currency: String = "$", intraday: Bool = false,
                              zone: ZoneRules = .utc) -> String {
        let money = ValueFormat.currency(symbol: currency, decimals: 2)
        let pct = ValueFormat.percent(decimals: 2)
        func show(_ v: Double, _ fmt: ValueFormat) -> String { v.isFinite ? fmt.string(v) : "—" }
        let rows: [(String, String)] = [
            ("Period", DateTicks.tooltip(f.start, intraday: intraday, zone: zone) + " → " + DateTicks.tooltip(f.end, intraday: intraday, zone: zone)),
            ("Initial capital", show(f.initialCapital, money)),
            ("Final value", show(f.finalValue, money)),
            ("Total return", show(f.totalReturn, pct)),
            ("Annual return", show(f.annualReturn, pct)),
            ("Sharpe ratio", show(f.sharpe, .number(decimals: 2))),
            ("Sortino ratio", show(f.sortino, .number(decimals: 2))),
            ("Max drawdown", show(f.maxDrawdown, pct)),
            ("Trades", String(f.trades)),
            ("Win rate", show(f.winRate, pct)),
            ("Profit factor", show(f.profitFactor, .number(decimals: 2))),
            ("Average win", show(f.averageWin, money)),
            ("Average loss", show(f.averageLoss, money)),
        ]
        let labelWidth = rows.map { $0.0.count }.max()!
        let valueWidth = rows.map { $0.1.count }.max()!
        let inner = max(labelWidth + 4 + valueWidth, title.count)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var out = "┌" + String(repeating: "─", count: inner + 2) + "┐\n"
        out += "│ " + pad(title, inner) + " │\n"
        out += "├" + String(repeating: "─", count: inner + 2) + "┤\n"
        for (label, value) in rows {
            let gap = inner - label.count - value.count
            out += "│ " + label + String(repeating: " ", count: gap) + value + " │\n"
        }
        out += "└" + String(repeating: "─", count: inner + 2) + "┘\n"
        return out
    }

    /// The box for a report input (title: strategy, parameters and symbols).
    public static func render(_ input: BacktestReportInput) -> String {
        let params = input.parameters.isEmpty ? "" : " (" + HTMLText.parameters(input.parameters) + ")"
        return render(input.summary, title: input.strategy + params + " on " + input.symbols.joined(separator: ", "),
                      currency: input.currency, intraday: input.period.interval.isIntraday, zone: input.period.zone)
    }
}
