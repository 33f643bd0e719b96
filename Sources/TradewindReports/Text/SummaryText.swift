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
///
/// The box is at most `maxWidth` columns wide: a longer title wraps at spaces onto indented lines.
public enum SummaryText {
    /// The widest box, in columns (borders included).
    public static let maxWidth = 100

    /// The box; `title` heads it, `currency` prefixes money. Undefined ratios print as `—`.
    public static func render(_ f: SummaryFigures, title: String, currency: String = "$", intraday: Bool = false,
                              zone: ZoneRules = .utc) -> String {
        render(f, titleWords: title.split(separator: " ").map(String.init), currency: currency, intraday: intraday, zone: zone)
    }

    /// The box with its title made of `titleWords`, wrapped between words (a word longer than a line is cut).
    static func render(_ f: SummaryFigures, titleWords: [String], currency: String, intraday: Bool, zone: ZoneRules) -> String {
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
        let titleLines = wrap(titleWords, width: maxWidth - 4, indent: "  ")
        let inner = max(labelWidth + 4 + valueWidth, titleLines.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var out = "┌" + String(repeating: "─", count: inner + 2) + "┐\n"
        for line in titleLines { out += "│ " + pad(line, inner) + " │\n" }
        out += "├" + String(repeating: "─", count: inner + 2) + "┤\n"
        for (label, value) in rows {
            let gap = inner - label.count - value.count
            out += "│ " + label + String(repeating: " ", count: gap) + value + " │\n"
        }
        out += "└" + String(repeating: "─", count: inner + 2) + "┘\n"
        return out
    }

    /// The box for a report input (title: strategy, parameters and symbols; a long title wraps between
    /// parameters, never inside one that fits on a line).
    public static func render(_ input: BacktestReportInput) -> String {
        var words = input.strategy.split(separator: " ").map(String.init)
        for (i, p) in input.parameters.enumerated() {
            let last = i == input.parameters.count - 1
            words.append((i == 0 ? "(" : "") + p.name + " = " + p.value.description + (last ? ")" : ","))
        }
        words.append("on")
        for (i, s) in input.symbols.enumerated() { words.append(s + (i == input.symbols.count - 1 ? "" : ",")) }
        return render(input.summary, titleWords: words, currency: input.currency, intraday: input.period.interval.isIntraday,
                      zone: input.period.zone)
    }

    /// `words` joined by spaces into lines of at most `width` characters; lines after the first start with
    /// `indent`. A word too long for a line is cut across lines.
    static func wrap(_ words: [String], width: Int, indent: String) -> [String] {
        TextWrap.lines(words, width: width, indent: indent)
    }
}
