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

/// `kill -9` of either process, at several moments, with the journal in a SQLite store and the exchange's state in a
/// directory: no order is sent twice, no fill is lost, and the trader's books end equal to the exchange's account.
@Suite struct CrashCLITests {
    static func requestArray(_ url: String, keys: [String: String]) async throws -> [[String: Any]] {
        var r = URLRequest(url: URL(string: url)!)
        r.setValue(keys["APCA_API_KEY_ID"], forHTTPHeaderField: "APCA-API-KEY-ID")
        r.setValue(keys["APCA_API_SECRET_KEY"], forHTTPHeaderField: "APCA-API-SECRET-KEY")
        let (data, _) = try await URLSession.shared.data(for: r)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Waits (suspended, holding no thread the other tests' servers need) until `condition` holds or `seconds` pass.
    static func wait(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// Kills `p` with `signal` and waits for it to exit.
    static func kill(_ p: Process, _ signal: Int32) async {
        Foundation.kill(p.processIdentifier, signal)
        _ = await wait(60) { !p.isRunning }
    }

    @Test func killingTheTraderOrTheExchangeLosesNothingAndSendsNothingTwice() async throws {
        let dir = NSTemporaryDirectory() + "tw-cli-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = ["APCA_API_KEY_ID": "PKCRASH", "APCA_API_SECRET_KEY": "crash-secret"]
        var processes: [Process] = []
        defer { for p in processes where p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) } }

        func startExchange(port: String, name: String) async throws -> Process {
            try? FileManager.default.removeItem(atPath: dir + "/port")
            let p = try AlpacaExchangeCLITests.process(
                ["exchange", "serve", "--data", "sample:eqker-1m", "--speed", "manual", "--port", port, "--port-file", dir + "/port",
                 "--state", dir + "/exchange"], env: keys, dir: dir, name: name)
            processes.append(p)
            #expect(await Self.wait(120) { !Self.text(dir + "/port").isEmpty }, "\(Self.text(dir + "/\(name).err"))")
            return p
        }
        var exchange = try await startExchange(port: "0", name: "exchange1")
        let port = Self.text(dir + "/port").trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(port)"
        let env = keys.merging(["APCA_API_BASE_URL": base, "APCA_API_DATA_URL": base, "APCA_API_STREAM_URL": "ws://127.0.0.1:\(port)"]) { $1 }
        let database = dir + "/trade.sqlite"

        func startTrader(_ name: String, crashAfterIntent: Int? = nil) async throws -> Process {
            var e = env
            if let crashAfterIntent { e["TRADEWIND_TEST_CRASH_AFTER_INTENT"] = String(crashAfterIntent) }
            let p = try AlpacaExchangeCLITests.process(
                ["trade", "--broker", "alpaca", "--feed", "alpaca", "--symbol", "SPY", "--strategy", "sma-cross",
                 "--param", "fast=5", "--param", "slow=20", "--database", database, "--json"], env: e, dir: dir, name: name)
            processes.append(p)
            #expect(await Self.wait(120) { Self.text(dir + "/\(name).err").contains("Ctrl+C ends the run") || !p.isRunning },
                    "\(Self.text(dir + "/\(name).err"))")
            try await Task.sleep(for: .seconds(1))
            return p
        }
        func advance(_ rounds: Int, while running: Process? = nil) async throws {
            for _ in 0..<rounds {
                if let running, !running.isRunning { return }
                _ = try await AlpacaExchangeCLITests.request(base + "/tradewind/clock/advance?steps=3", method: "POST", keys: keys)
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        func orders() async throws -> [[String: Any]] {
            try await Self.requestArray(base + "/v2/orders?status=all&limit=500&direction=asc", keys: keys)
        }

        // 1. The trader dies right after journaling its second order intent, before sending it.
        let first = try await startTrader("trade1", crashAfterIntent: 2)
        try await advance(150, while: first)
        #expect(await Self.wait(30) { !first.isRunning })
        #expect(first.terminationStatus == 137, "the crash hook did not fire: \(Self.text(dir + "/trade1.err"))")

        // 2. The exchange is killed and restarted on its state: the same orders.
        let before = try await orders().map { "\($0["id"] ?? "") \($0["status"] ?? "") \($0["filled_qty"] ?? "")" }
        await Self.kill(exchange, SIGKILL)
        exchange = try await startExchange(port: port, name: "exchange2")
        let after = try await orders().map { "\($0["id"] ?? "") \($0["status"] ?? "") \($0["filled_qty"] ?? "")" }
        #expect(after == before && !before.isEmpty)
        #expect(Self.text(dir + "/exchange2.err").contains("resumed from"))
        try await advance(5)

        // 3. The trader restarts (reconciling), trades, and is killed at an arbitrary moment; the market goes on.
        let second = try await startTrader("trade2")
        try await advance(40)
        #expect(Self.text(dir + "/trade2.err").contains("adopted positions"), "\(Self.text(dir + "/trade2.err"))")
        #expect(Self.text(dir + "/trade2.err").contains("never reached the broker: not sent again"))
        await Self.kill(second, SIGKILL)
        try await advance(5)

        // 4. The trader restarts again; the exchange is killed under it and restarted; the trader reconnects.
        let third = try await startTrader("trade3")
        try await advance(30)
        await Self.kill(exchange, SIGKILL)
        exchange = try await startExchange(port: port, name: "exchange3")
        try await Task.sleep(for: .seconds(2))
        try await advance(40)
        try await Task.sleep(for: .seconds(2))
        Foundation.kill(third.processIdentifier, SIGINT)
        #expect(await Self.wait(120) { !third.isRunning })
        #expect(third.terminationStatus == 0, "\(Self.text(dir + "/trade3.err"))")

        // Nothing doubled: every client order id reached the exchange once, and the intent journaled before the first
        // crash never did.
        let all = try await orders()
        let clients = all.compactMap { $0["client_order_id"] as? String }
        #expect(Set(clients).count == clients.count)
        let status = try CLITests.run(["trade", "status", "--database", database])
        #expect(status.status == 0, "\(status.stderr)")
        // Settled once, by the first restart (the second does not report it again).
        let neverSent = status.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "intent "), line.contains("never reached the broker") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != " " })
        }
        #expect(neverSent.count == 1, "\(status.stdout)")
        #expect(neverSent.allSatisfy { !clients.contains($0) }, "an intent journaled before the crash was sent later")
        // Nothing lost: the journal's positions and the trading run's books equal the exchange's account.
        let positions = try await Self.requestArray(base + "/v2/positions", keys: keys)
        var held: [String: Double] = [:]
        for p in positions { held[p["symbol"] as? String ?? ""] = (p["qty"] as? String).flatMap(Double.init) }
        // The status prints quantities to the cent.
        var journaled: [String: Double] = [:]
        let line = status.stdout.split(separator: "\n").first { $0.hasPrefix("positions: ") } ?? ""
        for item in line.dropFirst("positions: ".count).split(separator: ",") where item != "none" {
            let parts = item.split(separator: " ")
            if parts.count == 2 { journaled[String(parts[0])] = Double(parts[1]) }
        }
        #expect(Set(journaled.keys) == Set(held.keys), "\(status.stdout) vs \(held)")
        for (s, q) in held { #expect(abs((journaled[s] ?? 0) - q) <= 0.005 + 1e-9 * abs(q), "\(s): journal \(journaled[s] ?? 0) vs exchange \(q)") }
        let summary = try JSONSerialization.jsonObject(with: Data(Self.text(dir + "/trade3.out").utf8)) as? [String: Any] ?? [:]
        let account = try await AlpacaExchangeCLITests.request(base + "/v2/account", keys: keys)
        let tradeEquity = try #require(summary["final_equity"] as? Double, "\(Self.text(dir + "/trade3.out"))")
        let exchangeEquity = try #require((account["equity"] as? String).flatMap(Double.init))
        #expect(abs(tradeEquity - exchangeEquity) < 1e-6 * exchangeEquity, "run \(tradeEquity) vs exchange \(exchangeEquity)")
    }
}
