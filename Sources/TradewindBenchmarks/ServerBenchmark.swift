import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TradewindCore
import TradewindStore

/// `tradewind bench server`: the server's endpoints under load on loopback, against a FastAPI + uvicorn peer
/// (`Scripts/bench/server_peer_fastapi.py`) over the same SQLite file, and WebSocket fan-out of job progress to many
/// clients. Both servers run as processes of their own; `wrk` (Debian's package) drives both with the same settings.
public enum ServerBenchmark {
    public struct Configuration: Sendable {
        /// Results stored before the run.
        public var results = 100_000
        /// Trades in the one result `GET /api/history/{id}` reads.
        public var trades = 1_000
        /// Seconds of load per endpoint and server.
        public var seconds = 5
        /// Concurrent connections of the load generator.
        public var connections = 32
        /// WebSocket clients of the fan-out measurement.
        public var webSocketClients = 1_000
        /// The `tradewind` executable to serve with.
        public var tradewind = CommandLine.arguments[0]
        /// Python with fastapi, uvicorn and pandas (nil: no peer).
        public var python: String? = "python3"
        /// The peer script.
        public var peerScript = "Scripts/bench/server_peer_fastapi.py"
        /// The SPY daily CSVs the peer's backtest reads.
        public var spyDirectory = "Sources/TradewindData/Samples/spy-daily"
        /// Scratch directory (removed afterwards): one of its own per run, so that runs at the same time never share
        /// a database or a home.
        public var directory = NSTemporaryDirectory() + "tradewind-bench-server-\(UUID().uuidString)"
        public init() {}
    }

    /// One endpoint's figures on one server.
    public struct Load: Sendable {
        public var requestsPerSecond: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var errors: Int
    }

    public struct Row: Sendable {
        public var endpoint: String
        public var tradewind: Load
        public var peer: Load?
    }

    public struct FanOut: Sendable {
        public var clients: Int
        public var messages: Int
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        /// Where the time goes (medians over the progress messages): the latency of each message's first arrival at
        /// any client, and the spread from its first arrival to its last.
        public var firstArrivalP50Milliseconds: Double
        public var spreadP50Milliseconds: Double
        /// CPU seconds (user + system) during the fan-out of the server process (its optimisation included) and of
        /// this process (the measuring clients), and the wall-clock seconds.
        public var serverCPUSeconds: Double
        public var clientCPUSeconds: Double
        public var wallSeconds: Double
    }

    public struct Outcome: Sendable {
        public var rows: [Row]
        public var fanOut: FanOut?
        public var peerNote: String?
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    public static func run(_ c: Configuration, log: @Sendable (String) -> Void) async throws -> Outcome {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "wrk is not installed (apt-get install wrk): it drives both servers")
        }
        try? FileManager.default.removeItem(atPath: c.directory)
        try FileManager.default.createDirectory(atPath: c.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: c.directory) }
        let db = (c.directory as NSString).appendingPathComponent("bench.sqlite")
        log("seeding \(c.results) results and one with \(c.trades) trades into \(db)")
        let detailID = try await seed(db: db, results: c.results, trades: c.trades)

        let twPort = try freePort()
        let tw = try launch(c.tradewind, ["serve", "--home", c.directory, "--database", db, "--port", String(twPort), "--workers", "2"])
        defer { stop(tw) }
        try await waitUntilUp(twPort)
        var peer: Process?
        var peerPort = 0
        var peerNote: String?
        if let python = c.python {
            peerPort = try freePort()
            do {
                let p = try launch("/usr/bin/env", [python, c.peerScript, "--db", db, "--port", String(peerPort), "--spy-dir", c.spyDirectory,
                                                    "--workers", "2"])
                peer = p
                try await waitUntilUp(peerPort)
            } catch {
                peerNote = "FastAPI peer unavailable: \(error) (pip install fastapi uvicorn pandas)"
                if let p = peer { stop(p) }
                peer = nil
            }
        }
        defer { if let peer { stop(peer) } }

        let body = #"{"strategy":"sma-cross","data":"sample:spy-daily","params":{"fast":10,"slow":30},"equity_points":500}"#
        let endpoints: [(String, String, String?)] = [
            ("GET /api/history?limit=50", "/api/history?limit=50", nil),
            ("GET /api/history/{id} (\(c.trades) trades)", "/api/history/\(detailID)", nil),
            ("POST /api/backtest (sma-cross, SPY daily)", "/api/backtest", body),
        ]
        var rows: [Row] = []
        for (name, path, post) in endpoints {
            log("load: \(name) on Tradewind")
            let t = try runWrk(wrk, port: twPort, path: path, body: post, c: c)
            var p: Load?
            if peer != nil {
                log("load: \(name) on FastAPI")
                p = try runWrk(wrk, port: peerPort, path: path, body: post, c: c)
            }
            rows.append(Row(endpoint: name, tradewind: t, peer: p))
        }
        log("fan-out: \(c.webSocketClients) WebSocket clients")
        let fan = try await fanOut(port: twPort, clients: c.webSocketClients, server: tw.processIdentifier)
        return Outcome(rows: rows, fanOut: fan, peerNote: peerNote)
    }

    /// Stores `results` results (one transaction per 10,000) and one with a `trades`-trade log; returns its id.
    public static func seed(db: String, results: Int, trades: Int) async throws -> Int64 {
        let store = try await SQLStore.open(db)
        var rng = SplitMix64(seed: 42)
        let symbols = (0..<500).map { "S\($0)" }
        let trade = #"{"symbol":"SPY","side":"long","entry_time":"2020-01-02T14:30:00+00:00","exit_time":"2020-01-09T14:30:00+00:00","entry_price":324.87,"exit_price":326.12,"quantity":307.8,"net_pnl":384.75,"return":0.0038,"bars_held":5,"open":false}"#
        var made = 0
        while made < results {
            let n = min(10_000, results - made)
            let batch = (0..<n).map { _ -> NewResult in
                let sharpe = Double(rng.next() % 4000) / 1000 - 1
                return NewResult(kind: .optimize, symbol: symbols[Int(rng.next() % 500)], strategy: "sma-cross",
                                 parameters: [ResultParameter(name: "fast", value: String(rng.next() % 50 + 2)),
                                              ResultParameter(name: "slow", value: String(rng.next() % 200 + 50))],
                                 objectiveName: "sharpe",
                                 metrics: ResultMetrics(sharpe: sharpe, totalReturn: sharpe / 3, maxGain: 0.1, winRate: 0.5,
                                                        maxDrawdown: 0.2, trades: 40, objective: sharpe),
                                 detail: #"{"bars":2500}"#, trades: "[" + trade + "]")
            }
            _ = try await store.storeResults(batch)
            made += n
        }
        let id = try await store.storeResult(NewResult(
            kind: .backtest, symbol: "SPY", strategy: "sma-cross", parameters: [ResultParameter(name: "fast", value: "10")],
            metrics: ResultMetrics(sharpe: 1, totalReturn: 0.4, trades: trades), detail: #"{"bars":2500}"#,
            trades: "[" + Array(repeating: trade, count: trades).joined(separator: ",") + "]"))
        await store.close()
        return id
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func launch(_ executable: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        return p
    }

    static func stop(_ p: Process) {
        guard p.isRunning else { return }
        p.terminate()
        p.waitUntilExit()
    }

    static func waitUntilUp(_ port: Int) async throws {
        let url = "http://127.0.0.1:\(port)/api/history?limit=1"
        for _ in 0..<300 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5)) {
                _ = try? await response.body.collect(upTo: 1 << 20)
                if response.status.code == 200 { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "the server on port \(port) did not answer within 30 s")
    }

    static func runWrk(_ wrk: String, port: Int, path: String, body: String?, c: Configuration) throws -> Load {
        var arguments = ["-t2", "-c\(c.connections)", "-d\(c.seconds)s", "--latency"]
        if let body {
            let script = (c.directory as NSString).appendingPathComponent("post.lua")
            let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            try """
                wrk.method = "POST"
                wrk.body = "\(escaped)"
                wrk.headers["Content-Type"] = "application/json"
                """.write(toFile: script, atomically: true, encoding: .utf8)
            arguments += ["-s", script]
        }
        arguments.append("http://127.0.0.1:\(port)\(path)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrk)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return try parseWrk(text)
    }

    /// Requests/s, the 50th and 99th latency percentiles and the error count of wrk's `--latency` report.
    static func parseWrk(_ text: String) throws -> Load {
        func duration(_ s: Substring) -> Double? {
            for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where s.hasSuffix(unit) {
                return Double(s.dropLast(unit.count)).map { $0 * scale }
            }
            return nil
        }
        var rps: Double?, p50: Double?, p99: Double?
        var errors = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), f.count == 2 { rps = Double(f[1]) }
            if f.count == 2, f[0] == "50%" { p50 = duration(f[1]) }
            if f.count == 2, f[0] == "99%" { p99 = duration(f[1]) }
            if line.contains("Non-2xx or 3xx responses:"), let n = f.last.flatMap({ Int($0) }) { errors += n }
            if line.contains("Socket errors:") {
                errors += f.compactMap { Int($0.filter(\.isNumber)) }.reduce(0, +)
            }
        }
        guard let rps, let p50, let p99 else { throw Failure(description: "could not read wrk's report:\n\(text)") }
        return Load(requestsPerSecond: rps, p50Milliseconds: p50, p99Milliseconds: p99, errors: errors)
    }

    /// Connects `clients` WebSocket clients, runs a multi-symbol optimisation and measures, for every `job.progress`
    /// message every client receives, the time from the server's `emitted_at` to its arrival.
    static func fanOut(port: Int, clients: Int, server: Int32) async throws -> FanOut {
        final class Tally: Sendable {
            let connected = Atomic<Int>(0)
            let latencies = Mutex<[Double]>([])
            /// Per progress message (its `emitted_at` text): the first and the last arrival's latency.
            let range = Mutex<[String: (first: Double, last: Double)]>([:])
        }
        let tally = Tally()
        var cpuBefore = (0.0, 0.0)
        var started = ContinuousClock.now
        var logger = Logger(label: "bench.ws")
        logger.logLevel = .critical
        let quietLogger = logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws", logger: quietLogger) { inbound, _, _ in
                        tally.connected.add(1, ordering: .relaxed)
                        // Arrival times and the raw `emitted_at` texts: parsed after the run, so that a client's own
                        // date parsing never delays the next message it times.
                        var arrivals: [(Date, Substring)] = []
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case let .text(text) = message else { continue }
                            let now = Date()
                            if text.contains(#""type":"job.progress""#), let range = text.range(of: #""emitted_at":""#) {
                                let rest = text[range.upperBound...]
                                if let end = rest.firstIndex(of: "\"") { arrivals.append((now, rest[..<end])) }
                            }
                            if text.contains(#""type":"job.finished""#) || text.contains(#""type":"job.failed""#) { break }
                        }
                        let formatter = ISO8601DateFormatter()
                        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                        let plain = ISO8601DateFormatter()
                        let mine = arrivals.compactMap { now, emitted -> (String, Double)? in
                            guard let sent = formatter.date(from: String(emitted)) ?? plain.date(from: String(emitted)) else { return nil }
                            return (String(emitted), now.timeIntervalSince(sent) * 1000)
                        }
                        tally.latencies.withLock { $0 += mine.map(\.1) }
                        tally.range.withLock { r in
                            for (emitted, ms) in mine {
                                let old = r[emitted] ?? (first: ms, last: ms)
                                r[emitted] = (first: min(old.first, ms), last: max(old.last, ms))
                            }
                        }
                    }
                }
            }
            for _ in 0..<600 where tally.connected.load(ordering: .relaxed) < clients {
                try await Task.sleep(for: .milliseconds(50))
            }
            cpuBefore = (ProcessCPU.seconds(server), ProcessCPU.seconds(getpid()))
            started = ContinuousClock.now
            var r = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/jobs")
            r.method = .POST
            r.body = .bytes(Data(#"{"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50","symbols":["AAPL","MSFT","AMD","AMZN","BA","C","CAT","CSCO"],"grids":["fast=2:40:1","slow=40:200:5"]}}"#.utf8))
            _ = try await HTTPClient.shared.execute(r, timeout: .seconds(60)).body.collect(upTo: 1 << 20)
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - started).components
        let wall = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let cpu = (ProcessCPU.seconds(server) - cpuBefore.0, ProcessCPU.seconds(getpid()) - cpuBefore.1)
        let all = tally.latencies.withLock { $0 }.sorted()
        guard !all.isEmpty else { throw Failure(description: "no progress message reached the WebSocket clients") }
        let ranges = tally.range.withLock { Array($0.values) }
        return FanOut(clients: clients, messages: all.count, p50Milliseconds: quantile(all, 0.5),
                      p99Milliseconds: quantile(all, 0.99), firstArrivalP50Milliseconds: quantile(ranges.map(\.first), 0.5),
                      spreadP50Milliseconds: quantile(ranges.map { $0.last - $0.first }, 0.5), serverCPUSeconds: cpu.0,
                      clientCPUSeconds: cpu.1, wallSeconds: wall)
    }

    public static func format(_ o: Outcome) -> String {
        var lines = ["endpoint                                     Tradewind req/s  p50 ms  p99 ms | FastAPI req/s  p50 ms  p99 ms | ratio"]
        for r in o.rows {
            let t = r.tradewind
            var line = r.endpoint.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: " %15.0f %7.2f %7.2f", t.requestsPerSecond, t.p50Milliseconds, t.p99Milliseconds)
            if let p = r.peer {
                line += String(format: " | %13.0f %7.2f %7.2f | %5.1fx", p.requestsPerSecond, p.p50Milliseconds, p.p99Milliseconds,
                               t.requestsPerSecond / max(p.requestsPerSecond, 1e-9))
            } else {
                line += " |            —       —       — |     —"
            }
            if t.errors > 0 || (r.peer?.errors ?? 0) > 0 {
                line += "  (errors: Tradewind \(t.errors), FastAPI \(r.peer?.errors ?? 0))"
            }
            lines.append(line)
        }
        if let f = o.fanOut {
            lines.append(String(format: "WebSocket fan-out: %d clients, %d progress deliveries, latency p50 %.2f ms, p99 %.2f ms (goal: p99 ≤ 50 ms)",
                                f.clients, f.messages, f.p50Milliseconds, f.p99Milliseconds))
            lines.append(String(format: "  per message (medians): first client reached after %.2f ms, last %.2f ms after the first; "
                                + "CPU over %.1f s: server %.2f s (its optimisation included), measuring clients %.2f s",
                                f.firstArrivalP50Milliseconds, f.spreadP50Milliseconds, f.wallSeconds, f.serverCPUSeconds,
                                f.clientCPUSeconds))
        }
        if let note = o.peerNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }
}
