import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing

/// Real `tradewind serve` and `tradewind worker` processes on one PostgreSQL schema, for the distributed tests.
enum Distributed {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The test PostgreSQL server (`TRADEWIND_TEST_POSTGRES_URL`; `.ci/run` sets it).
    static func baseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TRADEWIND_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw Failure(description: "TRADEWIND_TEST_POSTGRES_URL is not set (.ci/run sets it; Scripts/start-test-postgres.sh starts a server)")
        }
        return url
    }

    /// `base` with a fresh schema of its own.
    static func freshDatabase(_ base: String) -> String {
        let schema = "d_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    static func home() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-dist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A child process, its stderr kept in a file (shown when a test fails).
    final class Child: @unchecked Sendable {
        let process = Process()
        let log: String

        init(_ arguments: [String], log: String) throws {
            self.log = log
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: try KillAndResumeTests.binary())
            process.arguments = arguments
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
        }

        var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        func kill9() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        /// SIGTERM, then waits up to `seconds` for the exit; true when it exited.
        func terminate(within seconds: Double) async -> Bool {
            guard process.isRunning else { return true }
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill9(); return false }
            return true
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// `tradewind serve` on `database` with a free port.
    final class Server: @unchecked Sendable {
        let child: Child
        let port: Int

        init(child: Child, port: Int) {
            self.child = child
            self.port = port
        }

        /// Starts the server and waits (without blocking a thread) for its port.
        static func start(database: String, home: String, tz: String? = nil, extra: [String] = []) async throws -> Server {
            let portFile = (home as NSString).appendingPathComponent("port-\(UUID().uuidString)")
            let child = try Child(["serve", "--home", home, "--database", database, "--port", "0", "--port-file", portFile,
                                   "--workers", "1", "--job-priority", "normal"] + (tz.map { ["--tz", $0] } ?? []) + extra, log: (home as NSString).appendingPathComponent("server-\(UUID().uuidString).log"))
            for _ in 0..<600 {
                if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(text) {
                    return Server(child: child, port: p)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            child.kill9()
            throw Failure(description: "the server did not start within 30 s: \(child.output)")
        }

        func json(_ method: String, _ path: String, body: String? = nil) async throws -> [String: Any] {
            var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            r.httpMethod = method
            r.httpBody = body.map { Data($0.utf8) }
            let (data, _) = try await URLSession.shared.data(for: r)
            return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }

        /// Waits (bounded) for the job to end; returns it.
        func finished(_ id: Int, within seconds: Double = 120) async throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let job = try await json("GET", "/api/jobs/\(id)")
                if let s = job["status"] as? String, ["succeeded", "failed", "cancelled"].contains(s) { return job }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw Failure(description: "job \(id) did not finish within \(seconds) s: \(try await json("GET", "/api/jobs/\(id)"))")
        }

        /// The job's stored results, with detail and trade log, by symbol. Fails when a symbol has two.
        func results(job id: Int) async throws -> [String: [String: Any]] {
            let page = try await json("GET", "/api/history?limit=500")
            var out: [String: [String: Any]] = [:]
            for item in page["items"] as? [[String: Any]] ?? [] where item["job_id"] as? Int == id {
                let symbol = item["symbol"] as? String ?? ""
                if out[symbol] != nil { throw Failure(description: "job \(id) stored two results for \(symbol)") }
                out[symbol] = try await json("GET", "/api/history/\(item["id"] as? Int ?? 0)")
            }
            return out
        }

        /// Waits (bounded) until `predicate` holds of `GET /api/workers`' items.
        func waitForWorkers(within seconds: Double = 60, _ predicate: ([[String: Any]]) -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if predicate(try await json("GET", "/api/workers")["items"] as? [[String: Any]] ?? []) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw Failure(description: "the workers did not reach the expected state within \(seconds) s: \(try await json("GET", "/api/workers"))")
        }
    }

    /// `tradewind worker` on `database`.
    static func worker(_ name: String, database: String, home: String, lease: Double = 2, extra: [String] = []) throws -> Child {
        try Child(["worker", "--database", database, "--name", name, "--threads", "1", "--lease", String(lease), "--home", home] + extra,
                  log: (home as NSString).appendingPathComponent("worker-\(name).log"))
    }

    /// An optimisation job over `symbols` of the bundled S&P 500 sample, grid sized by `slowStep` (smaller: slower).
    static func job(_ symbols: [String], fast: String = "fast=5:20:5", slow: String = "slow=40:100:10") -> String {
        """
        {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50",
         "symbols":[\(symbols.map { "\"\($0)\"" }.joined(separator: ","))],"grids":["\(fast)","\(slow)"],
         "kernel":false,"batch":4}}
        """
    }

    /// The fields of a stored result that must not depend on where it was computed.
    static func comparable(_ r: [String: Any]) -> NSDictionary {
        var kept = r
        for volatile in ["id", "job_id", "created_at"] { kept[volatile] = nil }
        return kept as NSDictionary
    }
}

/// A loopback TCP proxy that forwards to `upstream` until `cut()`: then it stops forwarding in both directions
/// without closing anything, as a network partition does (the peers see silence, not a reset).
final class PartitionProxy: @unchecked Sendable {
    let port: Int
    let listener: Int32
    let forwarding = Atomic<Bool>(true)
    let stopped = Atomic<Bool>(false)
    let upstreamPort: Int

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw Distributed.Failure(description: "proxy: cannot listen") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops forwarding, for good.
    func cut() { forwarding.store(false, ordering: .sequentiallyConsistent) }

    /// Closes the listener and ends the forwarding threads.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port).bigEndian)
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        return a
    }

    func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if connected != 0 { close(client); close(upstream); continue }
            Thread { [self] in pump(from: client, to: upstream) }.start()
            Thread { [self] in pump(from: upstream, to: client) }.start()
        }
    }

    func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            // Cut: hold everything, forward nothing, close nothing.
            while !forwarding.load(ordering: .sequentiallyConsistent) {
                if stopped.load(ordering: .sequentiallyConsistent) { close(from); return }
                Thread.sleep(forTimeInterval: 0.1)
            }
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { write(to, $0.baseAddress! + sent, n - sent) }
                if m <= 0 { break }
                sent += m
            }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}

/// A PostgreSQL cluster of the test's own (Scripts/start-test-postgres.sh in a fresh directory and port), which the
/// test may restart without disturbing other tests.
final class PrivatePostgres: @unchecked Sendable {
    let directory: String
    let port: Int
    let url: String

    init() throws {
        directory = "/tmp/tw-pg-\(UUID().uuidString.prefix(8))"
        // A port above the shared test server's, picked from the process id so parallel runs differ.
        port = 56_000 + Int(ProcessInfo.processInfo.processIdentifier % 2_000)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/start-test-postgres.sh").path
        url = try Self.shell("bash '\(script)' '\(directory)' \(port)").split(separator: "\n").last.map(String.init) ?? ""
        guard url.hasPrefix("postgres://") else { throw Distributed.Failure(description: "no private PostgreSQL: \(url)") }
    }

    /// `pg_ctl restart`: every connection is dropped and the server comes back on the same port.
    func restart() throws {
        _ = try Self.shell(Self.asPostgres("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl -D '\(directory)/data' -m fast -w restart >/dev/null"))
    }

    func stop() {
        _ = try? Self.shell(Self.asPostgres("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl -D '\(directory)/data' -m immediate -w stop >/dev/null"))
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func asPostgres(_ command: String) -> String {
        getuid() == 0 ? "su postgres -s /bin/bash -c \"\(command.replacingOccurrences(of: "\"", with: "\\\""))\"" : command
    }

    /// Runs `command` and waits for it. Spawned with posix_spawn, not `Process`: Foundation's `Process` learns of
    /// an exit through a socket the child inherits, which the PostgreSQL daemon the script starts keeps open forever.
    static func shell(_ command: String) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shell-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let arguments = ["/bin/bash", "-c", "(\(command)) > '\(log)' 2>&1 < /dev/null"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ) == 0 else {
            throw Distributed.Failure(description: "cannot run /bin/bash")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let out = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Distributed.Failure(description: "\(command): exit status \(status): \(out)") }
        return out
    }
}
