import Foundation
import Testing
@testable import TradewindReports

@Suite struct ReportExportTests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "tw-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func writesTheReportAndTheSummary() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = Synthetic.backtest(days: 300, trades: 4)
        try ReportExport.backtest(input, html: dir + "/r.html", summary: dir + "/s.txt")
        let html = String(decoding: try #require(FileManager.default.contents(atPath: dir + "/r.html")), as: UTF8.self)
        #expect(html == BacktestReport.render(input))
        let text = String(decoding: try #require(FileManager.default.contents(atPath: dir + "/s.txt")), as: UTF8.self)
        #expect(text == SummaryText.render(input))
    }

    @Test func pdfWithoutABrowserFailsBeforeWritingAnything() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broken = ChromiumRenderer(executable: "/bin/false", timeoutSeconds: 5)
        #expect(throws: ReportError.self) {
            try ReportExport.backtest(Synthetic.backtest(days: 50, trades: 1), pdf: dir + "/r.pdf", chromium: broken)
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/r.pdf"))
        // Only the temporary page was used; nothing is left in the output folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func unknownHeatmapParameterIsReportedBeforeWriting() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = Synthetic.optimization()
        input.heatmapAxes = ("fast", "slowest")
        #expect(throws: ReportError.self) { try ReportExport.optimization(input, html: dir + "/o.html") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.html"))
    }

    /// Needs headless Chromium (CI installs it, `.ci/run`); without it this fails saying to `apt-get install chromium`.
    @Test func pdfAloneUsesATemporaryPage() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReportExport.optimization(Synthetic.optimization(method: "tpe"), pdf: dir + "/o.pdf")
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: dir + "/o.pdf")))
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["o.pdf"])
    }
}
