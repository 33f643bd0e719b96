import Foundation
import Testing
import TradewindCharts
@testable import TradewindReports

/// Renders reports in a real headless Chromium. CI installs it (`.ci/run`); where it is absent these
/// tests fail with `ChromiumRenderer.find()`'s error, which says to `apt-get install chromium`.
@Suite(.serialized)
struct BrowserRenderingTests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "tradewind-report-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func screenshotIsNotBlankAndTheEquityChartSpansThePage() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let html = dir + "/report.html", png = dir + "/report.png"
        try ReportWriter.write(html: BacktestReport.render(Synthetic.backtest(days: 1_000, trades: 20)), to: html)
        let chromium = try ChromiumRenderer.find()
        try chromium.screenshot(html: html, to: png, width: 1280, height: 1400)
        let data = try #require(FileManager.default.contents(atPath: png))
        let image = try #require(PNGImage.decode([UInt8](data)))
        #expect(image.width == 1280)
        #expect(image.height == 1400)
        // Not blank: a good share of non-white pixels and many distinct colours.
        var nonWhite = 0
        var colours = Set<Int>()
        for y in stride(from: 0, to: image.height, by: 2) {
            for x in stride(from: 0, to: image.width, by: 2) {
                let (r, g, b) = image.rgb(x, y)
                if r < 240 || g < 240 || b < 240 { nonWhite += 1 }
                colours.insert(r << 16 | g << 8 | b)
            }
        }
        #expect(Double(nonWhite) / Double(image.width * image.height / 4) > 0.03)
        #expect(colours.count > 50)
        // The equity line (#2563eb) runs across most of the width, below the header.
        var minX = Int.max, maxX = 0, minY = Int.max, maxY = 0, blue = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let (r, g, b) = image.rgb(x, y)
                if abs(r - 0x25) < 40 && abs(g - 0x63) < 40 && abs(b - 0xeb) < 40 {
                    blue += 1
                    minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                }
            }
        }
        #expect(blue > 500, "only \(blue) equity-coloured pixels")
        #expect(minX < image.width / 6, "equity line starts at x=\(minX)")
        #expect(maxX > image.width * 5 / 6, "equity line ends at x=\(maxX)")
        #expect(maxY - minY > 150, "equity chart is only \(maxY - minY) px tall")
        #expect(minY > 150 && maxY < 1300, "equity chart at y \(minY)...\(maxY)")
    }

    @Test func pdfExportIsAValidMultiPagePDF() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let html = dir + "/report.html", pdf = dir + "/report.pdf"
        try ReportWriter.write(html: BacktestReport.render(Synthetic.backtest(days: 1_000, trades: 20)), to: html)
        try ChromiumRenderer.find().printPDF(html: html, to: pdf)
        let data = try #require(FileManager.default.contents(atPath: pdf))
        let bytes = [UInt8](data)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(String(decoding: bytes.suffix(64), as: UTF8.self).contains("%%EOF"))
        let text = String(decoding: bytes, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages >= 2, "the PDF has \(pages) page(s)")
    }

    @Test func inlineScriptRunsWithoutErrors() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let html = dir + "/report.html"
        try ReportWriter.write(html: BacktestReport.render(Synthetic.backtest(days: 300, trades: 5)), to: html)
        let dom = try ChromiumRenderer.find().renderedDOM(html: html)
        // The tooltip element exists only if the whole inline script parsed and ran to its first statement,
        // and the sentinel only if it reached its end.
        #expect(dom.contains("class=\"tw-tip\""))
        #expect(dom.contains("data-tw-ready=\"1\""))
    }

    @Test func scaleToggleSortingAndCSVExportWork() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = Synthetic.backtest(days: 300, trades: 7)
        // A test-only script appended to the page drives the controls and writes what it saw into the DOM.
        let driver = """
        <script>
        var captured = '';
        var RealBlob = window.Blob;
        window.Blob = function (parts, options) { captured = parts.join(''); return new RealBlob(parts, options); };
        URL.createObjectURL = function () { return '#'; };
        var hit = document.querySelector('#equity-linear .tw-hit');
        var box = hit.getBoundingClientRect();
        hit.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: box.right + 20, clientY: box.top + 5 }));
        var tip = document.querySelector('.tw-tip').textContent.replace(/\\n/g, ' / ');
        document.querySelector('button[data-scale="log"]').click();
        var linearHidden = document.querySelector('[data-scale-view="linear"]').hidden;
        var logHidden = document.querySelector('[data-scale-view="log"]').hidden;
        var th = document.querySelector('#trade-table th[data-name="pnl"]');
        th.click(); th.click();
        var firstPnL = document.querySelector('#trade-table tbody tr').cells[8].getAttribute('data-v');
        document.querySelector('button[data-csv="trade-table"]').click();
        var lines = captured.trim().split('\\n');
        document.body.setAttribute('data-result', [linearHidden, logHidden, firstPnL, lines.length, lines[0], tip].join('|'));
        </script></body>
        """
        let page = BacktestReport.render(input).replacingOccurrences(of: "</body>", with: driver)
        let html = dir + "/report.html"
        try ReportWriter.write(html: page, to: html)
        let dom = try ChromiumRenderer.find().renderedDOM(html: html)
        let marker = "data-result=\""
        let start = try #require(dom.range(of: marker))
        let result = dom[start.upperBound...].prefix { $0 != "\"" }.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(result.count == 6)
        #expect(result[0] == "true" && result[1] == "false", "log toggle: \(result)")
        let best = input.trades.map(\.pnl).max()!
        #expect(result[2] == NumberText.fixed(best, 2), "sorted by P&L descending: \(result)")
        #expect(result[3] == String(input.trades.count + 1))
        // Hovering past the right end of the equity chart shows the last bar's date and values.
        let last = input.equity.values.last!, bench = input.benchmark!.values.last!
        let money = ValueFormat.currency(symbol: "$", decimals: 0)
        #expect(result[5] == DateTicks.tooltip(input.equity.times.last!, intraday: false, zone: .utc)
                + " / Strategy: " + money.string(last) + " / Buy &amp; hold SPY: " + money.string(bench), "tooltip: \(result[5])")
        #expect(result[4] == "id,symbol,side,entry_time,entry_price,exit_time,exit_price,quantity,pnl,return,costs,bars,duration_seconds")
    }

    @Test func optimizationReportRendersInTheBrowser() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let html = dir + "/opt.html", png = dir + "/opt.png"
        try ReportWriter.write(html: OptimizationReport.render(Synthetic.optimization(method: "tpe")), to: html)
        try ChromiumRenderer.find().screenshot(html: html, to: png, width: 390, height: 1200)
        let pngData = try #require(FileManager.default.contents(atPath: png))
        let image = try #require(PNGImage.decode([UInt8](pngData)))
        #expect(image.width == 390)
        // The heatmap's green best cell shows up on a phone-width screen.
        var green = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let (r, g, b) = image.rgb(x, y)
                if g > 140 && r < 80 && b < 120 { green += 1 }
            }
        }
        #expect(green > 100)
    }
}

@Suite struct ChromiumLookupTests {
    @Test func missingChromiumSaysHowToInstallIt() {
        #expect(ChromiumRenderer.locate(environment: ["PATH": "/nonexistent"]) == nil)
        do {
            _ = try ChromiumRenderer.find(environment: ["PATH": "/nonexistent"])
            Issue.record("expected chromiumNotFound")
        } catch {
            #expect(error == .chromiumNotFound(searched: ChromiumRenderer.candidateNames))
            #expect(error.description.contains("apt-get install chromium"))
        }
    }

    @Test func explicitBrowserPathWins() throws {
        let env = ["PATH": "/nonexistent", "TRADEWIND_CHROMIUM": "/bin/sh"]
        #expect(ChromiumRenderer.locate(environment: env) == "/bin/sh")
    }

    @Test func aBrowserThatFailsIsReported() throws {
        let dir = NSTemporaryDirectory() + "tw-fail-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReportWriter.write(html: "<html></html>", to: dir + "/a.html")
        let fake = ChromiumRenderer(executable: "/bin/false", timeoutSeconds: 10)
        #expect(throws: ReportError.self) { try fake.printPDF(html: dir + "/a.html", to: dir + "/a.pdf") }
        let slow = ChromiumRenderer(executable: "/bin/sleep", timeoutSeconds: 0.3)
        // `sleep` with Chromium's flags exits with an error at once, or sleeps; either way it must not hang.
        #expect(throws: ReportError.self) { try slow.printPDF(html: dir + "/a.html", to: dir + "/a.pdf") }
    }
}
