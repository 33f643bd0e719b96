import Foundation
import Testing

/// `tradewind optimize` wiring: errors before work, JSON, results tables and resume files.
@Suite("tradewind optimize")
struct OptimizeCLITests {
    @Test("an undeclared parameter or an empty range is an error before any work")
    func invalidSpecs() throws {
        let unknown = try CLITests.run(["optimize", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--grid", "fastest=2:5:1"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown parameter 'fastest'"))
        let empty = try CLITests.run(["optimize", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--grid", "fast=9:5:1"])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("empty range"))
        let none = try CLITests.run(["optimize", "--data", "sample:spy-daily", "--strategy", "sma-cross",
                                     "--grid", "fast=50:60:5", "--grid", "slow=10:20:5"])
        #expect(none.stderr.contains("no point of the parameter space satisfies"))
    }

    @Test("the progress line, the table and the JSON name the evaluator, and for the engine why")
    func evaluatorIsNamed() throws {
        let base = ["optimize", "--data", "sample:sp500-50", "--symbols", "KO", "--strategy", "ema-cross",
                    "--grid", "fast=5:15:5", "--grid", "slow=30:40:10"]
        let kernel = try CLITests.run(base + ["--adjust", "split-dividend", "--progress"])
        #expect(kernel.status == 0, "\(kernel.stderr)")
        #expect(kernel.stderr.contains("  kernel"), "\(kernel.stderr)")
        #expect(kernel.stdout.contains("evaluator: kernel"))
        let engine = try CLITests.run(base + ["--json", "--quiet"])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(engine.stdout.utf8)) as? [String: Any])
        #expect(o["evaluator"] as? String == "engine")
        #expect((o["engine_reason"] as? String)?.contains("dividends or splits") == true)
        // ema-cross's kernel models a margin account; sma-cross's does not, and says so.
        let margin = try CLITests.run(base + ["--adjust", "split-dividend", "--margin", "0.5", "--progress"])
        #expect(margin.stderr.contains("  kernel"), "\(margin.stderr)")
        var sma = base
        sma[sma.firstIndex(of: "ema-cross")!] = "sma-cross"
        let smaMargin = try CLITests.run(sma + ["--adjust", "split-dividend", "--margin", "0.5", "--progress"])
        #expect(smaMargin.stderr.contains("engine: a margin account"), "\(smaMargin.stderr)")
    }

    @Test("--json, --results and --resume on two symbols")
    func jsonResultsResume() throws {
        let dir = NSTemporaryDirectory() + "tw-opt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["optimize", "--data", "sample:sp500-50", "--symbols", "KO,IBM", "--strategy", "sma-cross",
                    "--grid", "fast=5:20:5", "--grid", "slow=30:90:30", "--commission", "0.001", "--from", "2010-01-01",
                    "--to", "2012-12-31", "--json", "--results", dir + "/r.csv", "--resume", dir + "/job.jsonl", "--quiet"]
        let r = try CLITests.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["method"] as? String == "grid")
        #expect(o["evaluations"] as? Int == 24)   // 12 points × 2 symbols
        #expect((o["symbols"] as? [Any])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: dir + "/r.KO.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/r.IBM.csv"))
        let again = try CLITests.run(args)
        let p = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(p["evaluations"] as? Int == 0)   // both symbols come from the job file
        #expect((p["best"] as? NSDictionary) == (o["best"] as? NSDictionary))
    }

    static let optionErrors: [([String], String)] = [
        (["--margin", "2"], "--margin 2: expected an initial margin with 0 < margin ≤ 1"),
        (["--borrow-rate", "0.02"], "--borrow-rate 0.02 applies to margin accounts only: give --margin too"),
        (["--spread", "0.02", "--slippage-bps", "5"], "give --spread or --slippage-bps, not both"),
        (["--from", "2012-01-01", "--to", "2011-01-01"], "--from 2012-01-01 and --to 2011-01-01 are out of order"),
        (["--fill", "open"], "--fill open: expected next-open or close"),
        (["--split", "2010-01-04", "--walk-forward", "folds=2"], "give --split or --walk-forward, not both"),
        (["--split", "2010-02-30"], "--split 2010-02-30: expected YYYY-MM-DD"),
        (["--method", "anneal"], "--method anneal: expected grid, random or tpe"),
        (["--top", "0"], "--top 0: expected an integer ≥ 1"),
        (["--symbols", "@/nonexistent/tw-list.txt"], "--symbols @/nonexistent/tw-list.txt: cannot read the file"),
        (["--from", "2030-01-01"], "no bars to optimise in --data sample:spy-daily (check --symbols, --from, --to)"),
    ]

    @Test("the libraries' errors about options are said with the flags' names", arguments: optionErrors)
    func optionErrorsNameTheFlags(arguments: [String], message: String) throws {
        let r = try CLITests.run(["optimize", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--grid", "fast=5:20:5",
                                  "--quiet"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("backtest says a settings error with the flag's name")
    func backtestSettingsErrorNamesTheFlag() throws {
        let r = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--intrabar", "best"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--intrabar best: expected worst or path"), "\(r.stderr)")
    }

    @Test("--report writes the optimization page; --heatmap must name searched parameters")
    func report() throws {
        let path = NSTemporaryDirectory() + "tw-opt-report-\(UUID().uuidString).html"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let base = ["optimize", "--data", "sample:spy-daily", "--strategy", "sma-cross", "--grid", "fast=5:25:5",
                    "--grid", "slow=30:90:30", "--method", "tpe", "--trials", "12", "--walk-forward", "folds=2,train=400,test=200", "--quiet"]
        let bad = try CLITests.run(base + ["--report", path, "--heatmap", "fast,speed"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("'speed' is not a searched parameter"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let r = try CLITests.run(base + ["--report", path, "--heatmap", "slow,fast"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        for id in ["objective-heatmap", "walk-forward-table", "stitched-equity", "overfitting-table", "trial-table"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
    }

    @Test("a multi-symbol report links each row of the per-symbol table to that symbol's own backtest section")
    func multiSymbolReportLinksBacktests() throws {
        let path = NSTemporaryDirectory() + "tw-opt-multi-\(UUID().uuidString).html"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLITests.run(["optimize", "--data", "sample:sp500-50", "--symbols", "KO,IBM", "--adjust", "split-dividend",
                                  "--strategy", "rsi2", "--grid", "entry=10:30:10", "--grid", "exit=60:80:10",
                                  "--from", "2015-01-01", "--to", "2018-12-31", "--report", path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        for symbol in ["KO", "IBM"] {
            #expect(html.contains("href=\"#symbol-\(symbol)\""), "no link to \(symbol)")
            #expect(html.contains("id=\"symbol-\(symbol)\""), "no section for \(symbol)")
        }
        // Each embedded backtest draws its own equity chart next to the optimization charts.
        #expect(html.components(separatedBy: "<svg").count - 1 >= 2 * 5)
    }

    @Test("Ctrl-C stops the job, keeps finished symbols in the job file and exits 130")
    func interrupt() throws {
        let dir = NSTemporaryDirectory() + "tw-opt-int-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jobFile = dir + "/job.jsonl"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.executable)
        p.arguments = ["optimize", "--data", "sample:sp500-50", "--strategy", "sma-cross", "--grid", "fast=5:40:5",
                       "--grid", "slow=20:100:20", "--no-kernel", "--no-robustness", "--resume", jobFile, "--quiet"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        // Wait for the first finished symbol, then interrupt as Ctrl-C does.
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: jobFile) && p.isRunning && Date() < deadline { usleep(20_000) }
        p.interrupt()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(text.contains("interrupted:"))
        let lines = try String(contentsOfFile: jobFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2 && lines.count < 51)   // header + finished symbols, not all 50
        #expect(lines[0].contains("\"job\""))
    }
}
