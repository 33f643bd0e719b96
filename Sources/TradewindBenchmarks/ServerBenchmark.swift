import AsyncHTTPClient
import Foundation
import NIOCore
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
        /// Only the WebSocket fan-out (no endpoint loads, no peer).
        public var fanOutOnly = false
        /// Event-loop threads of the measuring WebSocket clients.
        public var clientThreads = 2
        /// The server's `--job-priority`, when given (nil: the server's default).
        public var jobPriority: String?
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
        /// Deliveries of `job.progress` messages counted at the clients.
        public var messages: Int
        /// Distinct progress messages (publications) the clients received, and how many of them reached every client.
        public var publications: Int
        public var publicationsToAll: Int
        /// Latency of every delivery, from the server's `emitted_at` (set as the message is published) to the moment
        /// the client's socket read it.
        public var p50Milliseconds: Double
        public var p90Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
        /// Where the time goes (over the progress messages): the latency of each message's first arrival at any
        /// client (median), and the spread from its first arrival to its last (median and largest).
        public var firstArrivalP50Milliseconds: Double
        public var spreadP50Milliseconds: Double
        public var spreadMaxMilliseconds: Double
        /// CPU seconds (user + system) during the fan-out of the server process (its optimisation included) and of
        /// this process (the measuring clients), and the wall-clock seconds.
        public var serverCPUSeconds: Double
        public var clientCPUSeconds: Double
        public var wallSeconds: Double
        /// The server's CPU seconds by thread group (`ProcessCPU.threadGroups`), largest first; threads that ended
        /// during the fan-out (a job's own) are the rest of `serverCPUSeconds`.
        public var serverThreads: [(name: String, seconds: Double)]
        /// Deliveries per second over the fan-out.
        public var deliveriesPerSecond: Double { wallSeconds > 0 ? Double(messages) / wallSeconds : 0 }
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
        guard (1...64).contains(c.clientThreads) else {
            throw Failure(description: "--client-threads \(c.clientThreads): expected 1 to 64 event-loop threads")
        }
        guard c.webSocketClients >= 1 else {
            throw Failure(description: "--clients \(c.webSocketClients): expected at least 1 WebSocket client")
        }
        try? FileManager.default.removeItem(atPath: c.directory)
        try FileManager.default.createDirectory(atPath: c.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: c.directory) }
        let db = (c.directory as NSString).appendingPathComponent("bench.sqlite")
        log("seeding \(c.results) results and one with \(c.trades) trades into \(db)")
        let detailID = try await seed(db: db, results: c.results, trades: c.trades)

        let twPort = try freePort()
        let tw = try launch(c.tradewind, ["serve", "--home", c.directory, "--database", db, "--port", String(twPort), "--workers", "2"]
                                         + (c.jobPriority.map { ["--job-priority", $0] } ?? []))
        defer { stop(tw) }
        try await waitUntilUp(twPort)
        var peer: Process?
        var peerPort = 0
        var peerNote: String?
        if let python = c.python, !c.fanOutOnly {
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
        for (name, path, post) in endpoints where !c.fanOutOnly {
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
        let fan = try await fanOut(port: twPort, clients: c.webSocketClients, threads: c.clientThreads, server: tw.processIdentifier)
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

    /// Connects `clients` WebSocket clients (`FanOutClients`: plain sockets on `threads` event loops), runs a
    /// multi-symbol optimisation and measures, for every `job.progress` message every client receives, the time from
    /// the server's `emitted_at` to the read that brought it.
    static func fanOut(port: Int, clients: Int, threads: Int, server: Int32) async throws -> FanOut {
        let sockets = FanOutClients(port: port, threads: threads)
        let done: [EventLoopFuture<[FanOutClients.Arrival]>]
        do {
            done = try await sockets.connect(clients)
        } catch {
            await sockets.shutdown()
            throw error
        }
        let cpuBefore = (ProcessCPU.seconds(server), ProcessCPU.seconds(getpid()))
        let threadsBefore = ProcessCPU.threadGroups(server)
        let started = ContinuousClock.now
        var arrivals: [[FanOutClients.Arrival]] = []
        do {
            var r = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/jobs")
            r.method = .POST
            r.body = .bytes(Data(#"{"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50","symbols":["AAPL","MSFT","AMD","AMZN","BA","C","CAT","CSCO"],"grids":["fast=2:40:1","slow=40:200:5"]}}"#.utf8))
            _ = try await HTTPClient.shared.execute(r, timeout: .seconds(60)).body.collect(upTo: 1 << 20)
            for d in done { arrivals.append(try await d.get()) }
        } catch {
            await sockets.shutdown()
            throw error
        }
        let elapsed = (ContinuousClock.now - started).components
        let wall = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let cpu = (ProcessCPU.seconds(server) - cpuBefore.0, ProcessCPU.seconds(getpid()) - cpuBefore.1)
        let threadsAfter = ProcessCPU.threadGroups(server)
        await sockets.shutdown()

        var latencies: [Double] = []
        var perMessage: [Int64: (first: Double, last: Double, count: Int)] = [:]
        for client in arrivals {
            for a in client {
                guard let sent = FanOutClients.parseInstant(a.emittedAt) else { continue }
                let ms = Double(a.receivedNanos - sent) / 1e6
                latencies.append(ms)
                let old = perMessage[sent] ?? (first: ms, last: ms, count: 0)
                perMessage[sent] = (min(old.first, ms), max(old.last, ms), old.count + 1)
            }
        }
        latencies.sort()
        guard !latencies.isEmpty else { throw Failure(description: "no progress message reached the WebSocket clients") }
        let messages = Array(perMessage.values)
        let spreads = messages.map { $0.last - $0.first }
        var groups = threadsAfter.map { (name: $0.key, seconds: $0.value - (threadsBefore[$0.key] ?? 0)) }.filter { $0.seconds > 0.005 }
        groups.sort { $0.seconds > $1.seconds }
        return FanOut(clients: clients, messages: latencies.count, publications: messages.count,
                      publicationsToAll: messages.filter { $0.count == clients }.count,
                      p50Milliseconds: quantile(latencies, 0.5), p90Milliseconds: quantile(latencies, 0.9),
                      p99Milliseconds: quantile(latencies, 0.99), maxMilliseconds: latencies.last ?? 0,
                      firstArrivalP50Milliseconds: quantile(messages.map(\.first).sorted(), 0.5),
                      spreadP50Milliseconds: quantile(spreads.sorted(), 0.5), spreadMaxMilliseconds: spreads.max() ?? 0,
                      serverCPUSeconds: cpu.0, clientCPUSeconds: cpu.1, wallSeconds: wall, serverThreads: groups)
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
            lines.append(String(format: "WebSocket fan-out: %d clients, %d progress deliveries (%d messages, %d of them to every client), "
                                + "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (goal: p99 ≤ 50 ms)",
                                f.clients, f.messages, f.publications, f.publicationsToAll, f.p50Milliseconds, f.p90Milliseconds,
                                f.p99Milliseconds, f.maxMilliseconds))
            lines.append(String(format: "  per message: first client reached after %.2f ms (median), last %.2f ms after the first "
                                + "(median; largest %.2f ms); %.0f deliveries/s", f.firstArrivalP50Milliseconds,
                                f.spreadP50Milliseconds, f.spreadMaxMilliseconds, f.deliveriesPerSecond))
            lines.append(String(format: "  CPU over %.2f s: server %.2f s (its optimisation included), measuring clients %.2f s",
                                f.wallSeconds, f.serverCPUSeconds, f.clientCPUSeconds))
            let named = f.serverThreads.prefix(6).map { "\($0.name) " + String(format: "%.2f s", $0.seconds) }
            let rest = f.serverCPUSeconds - f.serverThreads.reduce(0) { $0 + $1.seconds }
            lines.append("  server threads: " + (named + [String(format: "threads that ended %.2f s", max(rest, 0))]).joined(separator: ", "))
        }
        if let note = o.peerNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }
}
