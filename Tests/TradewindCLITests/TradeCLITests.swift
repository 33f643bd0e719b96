import Foundation
import Testing

/// `tradewind trade`: the live runtime from the command line.
@Suite("tradewind trade")
struct TradeCLITests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "tw-cli-trade-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a paper replay prints the backtest's JSON summary, key for key and value for value")
    func replaySummaryEqualsBacktest() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["--strategy", "sma-cross", "--param", "fast=10", "--param", "slow=30", "--commission", "0.001", "--json"]
        let backtest = try CLITests.run(["backtest", "--data", "sample:spy-daily", "--trades", dir + "/b.csv"] + common)
        let trade = try CLITests.run(["trade", "--broker", "paper", "--feed", "replay:sample:spy-daily", "--speed", "max",
                                      "--state", dir + "/journal.jsonl", "--trades", dir + "/t.csv"] + common)
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(trade.status == 0, "\(trade.stderr)")
        #expect(trade.stdout == backtest.stdout)
        #expect(try String(contentsOfFile: dir + "/t.csv", encoding: .utf8) == String(contentsOfFile: dir + "/b.csv", encoding: .utf8))
        let status = try CLITests.run(["trade", "status", "--state", dir + "/journal.jsonl"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("runs started: 1, finished: 1"), "\(status.stdout)")
        #expect(status.stdout.contains("fills: "), "\(status.stdout)")
    }

    @Test("a replay journaled in a SQLite store: status reads it back, and a second run on a fresh paper account stops at the reconciliation")
    func storeJournalStatusAndMismatch() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["trade", "--strategy", "sma-cross", "--param", "fast=10", "--param", "slow=30", "--feed", "replay:sample:spy-daily",
                    "--database", dir + "/store.sqlite", "--journal-name", "spy-bot", "--json"]
        let first = try CLITests.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let status = try CLITests.run(["trade", "status", "--database", dir + "/store.sqlite", "--journal-name", "spy-bot"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("runs started: 1, finished: 1") && status.stdout.contains("P&L: "), "\(status.stdout)")
        #expect(status.stdout.contains("  fill: "), "\(status.stdout)")
        // The paper account lives in the process: a new one holds none of the journal's fills.
        let second = try CLITests.run(args)
        #expect(second.status != 0)
        #expect(second.stderr.contains("reconciliation with paper failed") && second.stderr.contains("give each run a new journal"), "\(second.stderr)")
        let both = try CLITests.run(["trade", "status", "--state", dir + "/j.jsonl", "--database", dir + "/store.sqlite"])
        #expect(both.status != 0 && both.stderr.contains("give one journal"), "\(both.stderr)")
    }

    @Test("risk limits from a config file refuse orders, and the journal and status say why")
    func riskConfigRefusesOrders() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"trading": {"max_position_fraction": 0.5}}"#.write(toFile: dir + "/risk.json", atomically: true, encoding: .utf8)
        let r = try CLITests.run(["trade", "--strategy", "sma-cross", "--feed", "replay:sample:spy-daily", "--json",
                                  "--config", dir + "/risk.json", "--state", dir + "/j.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"trades\":0"), "sma-cross sizes at 100 % of equity: every entry is refused at 50 %")
        let status = try CLITests.run(["trade", "status", "--state", dir + "/j.jsonl"])
        #expect(status.stdout.contains("refused: position would be"), "\(status.stdout)")
    }

    @Test("bad input is a clear error before trading: unknown feed, broker, speed, risk key, live without a real broker")
    func badInputIsAClearError() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"max_drawdwn": 0.1}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--feed", "kafka:x"], "unknown feed 'kafka:x'"),
            (["--feed", "replay:sample:spy-daily", "--broker", "ib"], "unknown broker"),
            (["--feed", "replay:sample:spy-daily", "--speed", "0"], "--speed 0"),
            (["--feed", "replay:sample:spy-daily", "--config", dir + "/bad.json"], "unknown key \"max_drawdwn\""),
            (["--feed", "replay:sample:spy-daily", "--live"], "--live"),
        ]
        for (args, message) in cases {
            let r = try CLITests.run(["trade", "--strategy", "sma-cross"] + args)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}

extension TradeCLITests {
    @Test("SIGQUIT prints the full state while a replay runs, and the run goes on to its summary")
    func sigquitPrintsTheState() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.executable)
        // About 20 years of daily bars at 1e8 market seconds a second: about 6 s.
        p.arguments = ["trade", "--strategy", "sma-cross", "--feed", "replay:sample:spy-daily", "--speed", "100000000", "--json"]
        p.standardOutput = FileHandle(forWritingAtPath: dir + "/out") ?? {
            FileManager.default.createFile(atPath: dir + "/out", contents: nil)
            return FileHandle(forWritingAtPath: dir + "/out")!
        }()
        FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        p.standardError = FileHandle(forWritingAtPath: dir + "/err")!
        try p.run()
        // The run announces itself once its SIGQUIT handler is in place.
        let ready = Date().addingTimeInterval(120)
        while Date() < ready, p.isRunning,
              !((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "").contains("Ctrl+\\ prints the state") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.5)
        kill(p.processIdentifier, SIGQUIT)
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        #expect(p.terminationStatus == 0)
        let err = try String(contentsOfFile: dir + "/err", encoding: .utf8)
        #expect(err.contains("steps: ") && err.contains("cash ") && err.contains("fills: "), "\(err)")
        let out = try String(contentsOfFile: dir + "/out", encoding: .utf8)
        #expect(out.contains("\"final_equity\""), "\(out)")
    }
}

extension TradeCLITests {
    @Test("the Alpaca broker and feed, and the exchange, refuse bad input before connecting")
    func alpacaBadInputIsAClearError() throws {
        let cases: [([String], String)] = [
            (["trade", "--strategy", "sma-cross", "--broker", "alpaca", "--feed", "replay:sample:spy-daily"], "alpaca on alpaca[:iex|sip]"),
            (["trade", "--strategy", "sma-cross", "--broker", "paper", "--feed", "alpaca"], "the paper broker trades on replay:DATA"),
            (["trade", "--strategy", "sma-cross", "--broker", "alpaca", "--feed", "alpaca:nyse"], "unknown feed 'alpaca:nyse'"),
            (["trade", "--strategy", "sma-cross", "--broker", "alpaca", "--feed", "alpaca"], "needs the symbols"),
            (["trade", "--strategy", "sma-cross", "--broker", "alpaca", "--feed", "alpaca", "--symbol", "SPY", "--live"], "--confirm-live"),
            (["exchange", "serve", "--data", "sample:spy-daily", "--key-id", "PK", "--secret-key", "s", "--speed", "fast"], "--speed fast"),
        ]
        for (args, message) in cases {
            let r = try CLITests.run(args)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}
