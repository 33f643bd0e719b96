import Foundation
import Testing

/// `tradewind backtest --report/--summary/--pdf/--benchmark` and string parameters on the command line.
@Suite("tradewind backtest reports and string parameters")
struct BacktestReportCLITests {
    /// Whether the CLI will find a browser: `TRADEWIND_CHROMIUM` or one of `ChromiumRenderer.candidateNames` on `PATH`.
    static var hasChromium: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["TRADEWIND_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return true }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { dir in
            ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].contains {
                FileManager.default.isExecutableFile(atPath: "\(dir)/\($0)")
            }
        }
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "tw-cli-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("--report and --summary write the HTML report and the printed box")
    func reportAndSummary() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--param", "fast=10",
                                  "--param", "slow=50", "--report", dir + "/r.html", "--summary", dir + "/s.txt"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOfFile: dir + "/s.txt", encoding: .utf8)
        #expect(summary == r.stdout)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        for id in ["summary", "equity", "drawdown", "prices", "returns", "rolling", "distribution", "trades", "metrics"] {
            #expect(html.contains("<section id=\"\(id)\""), "section \(id)")
        }
        #expect(html.contains("SMA(50)"))
        // Only the ML strategies' reports have the out-of-sample model section.
        #expect(!html.contains("<section id=\"model\"") && !html.contains("href=\"#model\""))
    }

    @Test("--pdf prints the report through headless Chromium")
    func pdf() throws {
        try #require(Self.hasChromium, "no headless Chromium on PATH: CI installs it (.ci/run); apt-get install chromium")
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "rsi2", "--pdf", dir + "/r.pdf"])
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/r.pdf"))
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(bytes.count > 10_000)
    }

    @Test("an unknown --benchmark fails and names the data's symbols")
    func unknownBenchmark() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "buy-and-hold", "--report", dir + "/r.html",
                                  "--benchmark", "QQQ"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--benchmark QQQ") && r.stderr.contains("SPY"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/r.html"))
    }

    @Test("signals takes its file as a path parameter; a missing file names the parameter")
    func signalsFileParameter() throws {
        let path = try CLITests.tempFile("signals.csv", Array("date,signal\n2008-01-02,buy\n2009-06-01,sell\n".utf8))
        let r = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "signals", "--param", "file=\(path)", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["trades"] as? Int == 1)
        let missing = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "signals", "--param", "file=/nonexistent/x.csv"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("'file'") && missing.stderr.contains("/nonexistent/x.csv"))
        let none = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "signals"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("'file' is required"))
        let show = try CLITests.run(["strategy", "show", "signals"])
        #expect(show.status == 0 && show.stdout.contains("file") && show.stdout.contains("path"))
    }
}
