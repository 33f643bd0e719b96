import Foundation
import Testing
import TradewindCharts
import TradewindCore
@testable import TradewindReports

@Suite struct SummaryTextTests {
    @Test func boxHasAlignedLinesWithEveryFigure() {
        let input = Synthetic.backtest(days: 1_000, trades: 20)
        let text = SummaryText.render(input)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 13 + 4)
        #expect(Set(lines.map(\.count)).count == 1, "ragged box:\n\(text)")
        #expect(lines[0].hasPrefix("┌") && lines.last!.hasPrefix("└"))
        for label in ["Period", "Initial capital", "Final value", "Total return", "Annual return", "Sharpe ratio", "Sortino ratio",
                      "Max drawdown", "Trades", "Win rate", "Profit factor", "Average win", "Average loss"] {
            #expect(text.contains("│ " + label), "missing \(label)")
        }
        #expect(text.contains("$100,000.00"))
        #expect(text.contains("2004-01-02 → "))
        #expect(text.contains(ValueFormat.percent(decimals: 2).string(input.summary.totalReturn)))
    }

    @Test func undefinedRatiosPrintAsDashes() {
        let input = Synthetic.backtest(days: 50, trades: 0)
        let text = SummaryText.render(input)
        #expect(text.contains("Win rate") && text.contains("—"))
        #expect(!text.contains("NaN"))
    }
}

@Suite struct ReportWriterTests {
    @Test func writesAtomicallyAndReplaces() throws {
        let dir = NSTemporaryDirectory() + "tw-writer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/r.html"
        try ReportWriter.write(html: "<p>one</p>", to: path)
        try ReportWriter.write(html: "<p>two ✓</p>", to: path)
        #expect(String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self) == "<p>two ✓</p>")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["r.html"])
    }

    @Test func unwritablePathIsATypedError() {
        #expect(throws: ReportError.self) { try ReportWriter.write(html: "x", to: "/nonexistent-dir/r.html") }
        do {
            try ReportWriter.write(text: "x", to: "/nonexistent-dir/r.txt")
        } catch {
            #expect(error.description.contains("/nonexistent-dir/r.txt"))
        }
    }
}

@Suite struct SummaryWidthTests {
    /// Fourteen parameters with long names and values: some 600 characters on one line.
    static let manyParameters = (1...14).map { k in
        ReportParameter(name: "entry_threshold_for_regime_\(k)", value: k % 3 == 0 ? .text("volatility-adjusted-band-\(k)") : .number(Double(k) * 1.2345))
    }

    @Test func longTitleWrapsWithinAHundredColumnsAndKeepsEveryParameterWhole() {
        var input = Synthetic.backtest(days: 300, trades: 5)
        input.parameters = Self.manyParameters
        let text = SummaryText.render(input)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= SummaryText.maxWidth }, "too wide:\n\(text)")
        #expect(Set(lines.map(\.count)).count == 1, "ragged box:\n\(text)")
        #expect(lines.count > 13 + 4 + 1, "the title did not wrap:\n\(text)")
        for p in input.parameters { #expect(text.contains(p.name + " = " + p.value.description), "missing \(p.name)") }
        #expect(text.contains("on SPY"))
        for label in ["Period", "Final value", "Average loss"] { #expect(text.contains("│ " + label)) }
    }

    @Test func aShortTitleKeepsItsSingleLine() {
        let input = Synthetic.backtest(days: 300, trades: 5)
        let text = SummaryText.render(input)
        #expect(text.split(separator: "\n").count == 13 + 4)
    }

    @Test func aWordLongerThanALineIsCutAcrossLines() {
        let word = String(repeating: "x", count: 250)
        let text = SummaryText.render(Synthetic.backtest(days: 300, trades: 5).summary, title: "Long " + word)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= SummaryText.maxWidth }, "too wide:\n\(text)")
        let title = lines.prefix { !$0.hasPrefix("├") }.joined()
        #expect(title.filter { $0 == "x" }.count == 250)
    }
}
