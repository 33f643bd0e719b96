import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `tradewind trade --broker alpaca --feed alpaca` against `tradewind exchange serve`: two processes talking Alpaca's
/// protocol over loopback. The exchange's clock is advanced by hand; at Ctrl+C the trading run's books (its summary)
/// equal the exchange's account.
@Suite struct AlpacaExchangeCLITests {
    static func process(_ arguments: [String], env: [String: String], dir: String, name: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        for stream in ["out", "err"] { FileManager.default.createFile(atPath: "\(dir)/\(name).\(stream)", contents: nil) }
        p.standardOutput = FileHandle(forWritingAtPath: "\(dir)/\(name).out")!
        p.standardError = FileHandle(forWritingAtPath: "\(dir)/\(name).err")!
        try p.run()
        return p
    }

    static func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    static func request(_ url: String, method: String = "GET", keys: [String: String]) async throws -> [String: Any] {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        r.setValue(keys["APCA_API_KEY_ID"], forHTTPHeaderField: "APCA-API-KEY-ID")
        r.setValue(keys["APCA_API_SECRET_KEY"], forHTTPHeaderField: "APCA-API-SECRET-KEY")
        let (data, _) = try await URLSession.shared.data(for: r)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func theTradingRunsBooksEqualTheExchangesAccount() async throws {
        let dir = NSTemporaryDirectory() + "tw-cli-alpaca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = ["APCA_API_KEY_ID": "PKCLI", "APCA_API_SECRET_KEY": "cli-secret"]
        let exchange = try Self.process(["exchange", "serve", "--data", "sample:eqker-1m", "--speed", "manual", "--port", "0",
                                         "--port-file", dir + "/port"], env: keys, dir: dir, name: "exchange")
        defer { if exchange.isRunning { exchange.terminate() } }
        #expect(Self.wait(120) { ((try? String(contentsOfFile: dir + "/port", encoding: .utf8)) ?? "").count > 0 })
        let port = try String(contentsOfFile: dir + "/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(port)"
        let env = keys.merging(["APCA_API_BASE_URL": base, "APCA_API_DATA_URL": base, "APCA_API_STREAM_URL": "ws://127.0.0.1:\(port)"]) { $1 }
        let trade = try Self.process(["trade", "--broker", "alpaca", "--feed", "alpaca", "--symbol", "SPY", "--strategy", "sma-cross",
                                      "--param", "fast=5", "--param", "slow=20", "--json"], env: env, dir: dir, name: "trade")
        defer { if trade.isRunning { trade.terminate() } }
        #expect(Self.wait(120) { ((try? String(contentsOfFile: dir + "/trade.err", encoding: .utf8)) ?? "").contains("Ctrl+C ends the run") })
        // Let the feed subscribe, then play a session's worth of minutes, a few at a time.
        try await Task.sleep(for: .seconds(1))
        for _ in 0..<130 {
            _ = try await Self.request(base + "/tradewind/clock/advance?steps=3", method: "POST", keys: keys)
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .seconds(2))
        kill(trade.processIdentifier, SIGINT)
        #expect(Self.wait(120) { !trade.isRunning })
        let out = try String(contentsOfFile: dir + "/trade.out", encoding: .utf8)
        let summary = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        let account = try await Self.request(base + "/v2/account", keys: keys)
        let tradeEquity = try #require(summary["final_equity"] as? Double, "\(out)")
        let exchangeEquity = try #require((account["equity"] as? String).flatMap(Double.init))
        #expect((summary["orders"] as? Int ?? 0) > 0, "the strategy traded")
        #expect(abs(tradeEquity - exchangeEquity) < 1e-6 * exchangeEquity, "run \(tradeEquity) vs exchange \(exchangeEquity)")
    }
}
