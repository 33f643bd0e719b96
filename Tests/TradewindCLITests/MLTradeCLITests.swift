import Foundation
import Testing

/// `tradewind trade` with the ML strategies: a tiny model trained in the test, then the same bars through `backtest`
/// and a paper replay, with the warm-up `--warmup auto` derives from the model.
@Suite("tradewind trade with the ML strategies", .serialized)
struct MLTradeCLITests {
    /// A model trained on KO for two epochs with small widths and a fixed seed; returns its universal.json path.
    static func trainedModel(in dir: String) throws -> String {
        let train = try CLITests.run(["ml", "train", "--data", "sample:sp500-50", "--symbols", "KO", "--epochs", "2",
                                      "--widths", "4,2,2,4,2", "--seed", "7", "--out", dir + "/model"])
        #expect(train.status == 0, "\(train.stderr)")
        return dir + "/model/universal.json"
    }

    /// Runs `strategy` with `parameters` on `symbols` from 2021-01-04 (about 75 bars, fewer than the 108-bar warm-up)
    /// through `backtest` and a paper `trade` replay, both with `--warmup auto`; checks that they print the same
    /// summary and trades, that the warm-up is the model's 108 bars and that the first entry is on the first bar
    /// it can be, then that without the warm-up the replay makes no trade.
    static func replayEqualsBacktest(strategy: String, parameters: [String], symbols: [String]) throws {
        let dir = try TradeCLITests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try trainedModel(in: dir)
        let common = ["--strategy", strategy, "--param", "model=" + model] + parameters.flatMap { ["--param", $0] }
            + symbols.flatMap { ["--symbol", $0] } + ["--from", "2021-01-04", "--commission", "0.001", "--json"]
        let backtest = try CLITests.run(["backtest", "--data", "sample:sp500-50", "--trades", dir + "/b.csv", "--warmup", "auto"] + common)
        let trade = try CLITests.run(["trade", "--broker", "paper", "--feed", "replay:sample:sp500-50", "--speed", "max",
                                      "--state", dir + "/journal.jsonl", "--trades", dir + "/t.csv", "--warmup", "auto"] + common)
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(trade.status == 0, "\(trade.stderr)")
        #expect(trade.stdout == backtest.stdout)
        let trades = try String(contentsOfFile: dir + "/t.csv", encoding: .utf8)
        let backtestTrades = try String(contentsOfFile: dir + "/b.csv", encoding: .utf8)
        #expect(trades == backtestTrades)
        let rows = trades.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count >= 2, "\(trades)")
        // The orders are filled at the next open: the first decision bar after the warm-up is 2021-01-04.
        #expect(rows.map { String($0[2]) }.min()?.hasPrefix("2021-01-05") == true, "\(trades)")
        // `auto` is the model's warm-up: the same run with 108 bars named.
        let named = try CLITests.run(["backtest", "--data", "sample:sp500-50", "--warmup", "108"] + common)
        #expect(named.stdout == backtest.stdout, "\(named.stderr)")
        // Without it the replay has no full feature window before the data ends.
        let cold = try CLITests.run(["trade", "--broker", "paper", "--feed", "replay:sample:sp500-50", "--state", dir + "/cold.jsonl"] + common)
        #expect(cold.status == 0, "\(cold.stderr)")
        #expect(cold.stdout.contains("\"trades\":0"), "\(cold.stdout)")
        let status = try CLITests.run(["trade", "status", "--state", dir + "/journal.jsonl"])
        #expect(status.stdout.contains("runs started: 1, finished: 1") && status.stdout.contains("fills: "), "\(status.stdout)")
    }

    @Test("ml-signal: a paper replay with --warmup auto makes the backtest's orders on the same bars")
    func mlSignalReplayEqualsBacktest() throws {
        // Every bar signals (P(UP) ≥ 0.01); a 2 % stop makes exits and re-entries.
        try Self.replayEqualsBacktest(strategy: "ml-signal", parameters: ["threshold=0.01", "exit_threshold=1", "stop=0.02"],
                                      symbols: ["KO", "JPM"])
    }

    @Test("ml-topk: a paper replay with --warmup auto makes the backtest's orders on the same bars")
    func mlTopKReplayEqualsBacktest() throws {
        // Decisions every 4 bars (108 is a boundary), rotations among four names, rebalanced to equal weights.
        try Self.replayEqualsBacktest(strategy: "ml-topk", parameters: ["k=2", "min_probability=0", "interval=4", "min_hold=4",
                                                                        "cooldown=8", "tolerance=0.02"],
                                      symbols: ["KO", "JPM", "XOM", "MSFT"])
    }
}
