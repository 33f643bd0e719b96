import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Two-process parity: the real `tradewind exchange serve` and the real `tradewind trade --broker alpaca --feed alpaca`
/// against it (loopback, keys through the environment), driven bar by bar to the end of a recorded session, give
/// the orders, fills, trades, positions and equity `tradewind backtest` gives on the same bars and settings.
///
/// Lockstep: the test plays one bar, waits until the trader's `--status-file` says it processed it, then until the
/// exchange holds every order the trader sent; only then the next bar. The trader's `--lockstep` takes every
/// `trade_updates` event the exchange published before each bar (bars and events come on two connections). Every wait is bounded: a trader that misses
/// a bar or an order that never arrives fails the test.
@Suite struct TwoProcessParityCLITests {
    typealias CLI = AlpacaExchangeCLITests

    static func json(_ path: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// The bundled eqker sample's SPY minutes: the header and the sorted bars of `day`.
    static func spyMinutes(_ day: String) throws -> (header: String, bars: [String]) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sample = try String(contentsOf: root.appendingPathComponent("Sources/TradewindData/Samples/eqker-1m/SPY_1min.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n")
        return (String(lines[0]), lines.dropFirst().filter { $0.hasPrefix(day) }.sorted().map(String.init))
    }

    @Test func tradeThroughTheExchangeEqualsTheBacktestOnTheSameBars() async throws {
        // The first three hours (180 minutes) of SPY's 2019-02-15 session from the bundled eqker sample, as its own
        // CSV file: enough for the strategy to trade several times, few enough requests for the client's rate limit.
        let (header, day) = try Self.spyMinutes("2019-02-15")
        try await Self.parity(csv: [header] + day.prefix(180), played: 180)
    }

    /// The warm-up: the exchange's replay starts at 2019-02-15 with the previous session's last hour as history; the
    /// trader fetches its warm-up (`--warmup auto`: sma-cross's slow window, 20 bars) from the exchange's historical
    /// bars before subscribing, and from the start on makes the decisions `backtest --from 2019-02-15 --warmup auto`
    /// makes on the same file.
    @Test func tradeWithAWarmupFetchedFromTheExchangeEqualsTheBacktestWithTheSameWarmup() async throws {
        let (header, before) = try Self.spyMinutes("2019-02-14")
        let (_, day) = try Self.spyMinutes("2019-02-15")
        try await Self.parity(csv: [header] + before.suffix(60) + day.prefix(180), played: 180, warmup: 20,
                              backtestArguments: ["--from", "2019-02-15", "--warmup", "auto"],
                              exchangeArguments: ["--from", "2019-02-15"], tradeArguments: ["--warmup", "auto"])
    }

    /// Runs the backtest, then the exchange and the trader on the bars of `csv`, playing `played` bars one at a time,
    /// and compares them (the trader's steps count its `warmup` bars too).
    static func parity(csv lines: [String], played expectedBars: Int, warmup: Int = 0, backtestArguments: [String] = [],
                       exchangeArguments: [String] = [], tradeArguments: [String] = []) async throws {
        let dir = NSTemporaryDirectory() + "tw-cli-parity-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(lines.count == 1 + expectedBars + (warmup > 0 ? 60 : 0))
        let csv = dir + "/SPY.csv"
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let data = ["--data", csv, "--label", "end"]
        let strategy = ["--strategy", "sma-cross", "--param", "fast=5", "--param", "slow=20"]

        let backtest = try CLITests.run(["backtest"] + data + strategy + backtestArguments
                                        + ["--json", "--trades", dir + "/backtest-trades.csv"])
        #expect(backtest.status == 0, "\(backtest.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(backtest.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((expected["orders"] as? Int ?? 0) > 4, "the strategy must trade on this session: \(expected)")

        let keys = ["APCA_API_KEY_ID": "PKPARITY", "APCA_API_SECRET_KEY": "parity-secret"]
        let exchange = try CLI.process(["exchange", "serve"] + data + exchangeArguments
                                           + ["--speed", "manual", "--port", "0", "--port-file", dir + "/port"],
                                       env: keys, dir: dir, name: "exchange")
        defer { if exchange.isRunning { exchange.terminate() } }
        #expect(await CrashCLITests.wait(120) { !CrashCLITests.text(dir + "/port").isEmpty })
        let port = CrashCLITests.text(dir + "/port").trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(port)"
        let env = keys.merging(["APCA_API_BASE_URL": base, "APCA_API_DATA_URL": base, "APCA_API_STREAM_URL": "ws://127.0.0.1:\(port)"]) { $1 }
        let status = dir + "/status.json"
        let trade = try CLI.process(["trade", "--broker", "alpaca", "--feed", "alpaca", "--symbol", "SPY"] + strategy + tradeArguments
                                        + ["--json", "--trades", dir + "/trade-trades.csv", "--status-file", status, "--lockstep"],
                                    env: env, dir: dir, name: "trade")
        defer { if trade.isRunning { trade.terminate() } }
        // The trader has subscribed to the bars before the first one is played.
        var subscribed = false
        let subscribing = Date().addingTimeInterval(120)
        while !subscribed && trade.isRunning && Date() < subscribing {
            let streams = try? await CLI.request(base + "/tradewind/streams", keys: keys)
            subscribed = (streams?["data_subscribers"] as? Int ?? 0) > 0
            if !subscribed { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(subscribed, "\(CrashCLITests.text(dir + "/trade.err"))")

        var finished = false, played = 0
        while !finished && trade.isRunning {
            let advance = try await CLI.request(base + "/tradewind/clock/advance?steps=1", method: "POST", keys: keys)
            finished = advance["finished"] as? Bool ?? true
            played += 1
            let k = played
            let seen = await CrashCLITests.wait(60) { (Self.json(status)["steps"] as? Int ?? 0) >= warmup + k || !trade.isRunning }
            guard seen, trade.isRunning else {
                Issue.record("the trader did not process bar \(k): \(CrashCLITests.text(dir + "/trade.err"))")
                break
            }
            let sent = Self.json(status)["orders_sent"] as? Int ?? 0
            let deadline = Date().addingTimeInterval(60)
            var held = try await CrashCLITests.requestArray(base + "/v2/orders?status=all&limit=500", keys: keys).count
            while held < sent && Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
                held = try await CrashCLITests.requestArray(base + "/v2/orders?status=all&limit=500", keys: keys).count
            }
            #expect(held == sent, "bar \(k): the trader sent \(sent) orders, the exchange holds \(held)")
            if held != sent { break }
        }
        #expect(played == expectedBars && finished)
        #expect(Self.json(status)["steps"] as? Int == warmup + expectedBars, "the warm-up's bars, then every bar played")
        // The last bar's fills (none are due after the last bar) have reached the trader; then end the run.
        try await Task.sleep(for: .milliseconds(500))
        kill(trade.processIdentifier, SIGINT)
        #expect(await CrashCLITests.wait(120) { !trade.isRunning })
        #expect(trade.terminationStatus == 0, "\(CrashCLITests.text(dir + "/trade.err"))")
        let got = try JSONSerialization.jsonObject(with: Data(CrashCLITests.text(dir + "/trade.out").utf8)) as? [String: Any] ?? [:]

        // The run's summary equals the backtest's, key by key.
        func same(_ a: Any?, _ b: Any?) -> Bool {
            switch (a, b) {
            case (let x as Double, let y as Double): return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1)
            case (let x as NSNumber, let y as NSNumber): return x == y
            case (let x as String, let y as String): return x == y
            case (let x as [String], let y as [String]): return x == y
            case (nil, nil), (is NSNull, is NSNull): return true
            default: return false
            }
        }
        #expect(Set(got.keys) == Set(expected.keys))
        for key in expected.keys.sorted() {
            #expect(same(got[key], expected[key]), "\(key): trade \(got[key] ?? "nil") vs backtest \(expected[key] ?? "nil")")
        }
        // The same trades (entry and exit times, prices, quantities, P&L), line for line.
        #expect(CrashCLITests.text(dir + "/trade-trades.csv") == CrashCLITests.text(dir + "/backtest-trades.csv"))
        #expect(CrashCLITests.text(dir + "/backtest-trades.csv").split(separator: "\n").count > 2)
        // The exchange's account agrees: its orders, its equity, and the position the backtest ends with.
        let orders = try await CrashCLITests.requestArray(base + "/v2/orders?status=all&limit=500", keys: keys)
        // (Orders the strategy submitted during a warm-up are rejected in both runs and never reach the exchange.)
        #expect(orders.count == (expected["orders"] as? Int ?? -1) - (expected["rejected_orders"] as? Int ?? 0))
        let account = try await CLI.request(base + "/v2/account", keys: keys)
        let equity = try #require((account["equity"] as? String).flatMap(Double.init))
        let final = try #require(expected["final_equity"] as? Double)
        #expect(abs(equity - final) <= 1e-9 * final, "exchange \(equity) vs backtest \(final)")
        let positions = try await CrashCLITests.requestArray(base + "/v2/positions", keys: keys)
        #expect(positions.count == (expected["open_trades"] as? Int ?? -1), "\(positions)")
    }
}
