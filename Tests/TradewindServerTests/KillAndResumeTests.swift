import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TradewindStore

/// The real `tradewind serve` binary, killed with SIGKILL in the middle of a multi-symbol job, loses no finished
/// symbol and resumes the job from the symbols not yet stored.
@Suite("Server kill -9 and resume", .serialized)
struct KillAndResumeTests {
    /// The `tradewind` executable built beside this test bundle.
    static func binary() throws -> String {
        var candidates: [String] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("tradewind").path)
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("tradewind").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/tradewind").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "no tradewind executable beside the tests (looked at \(candidates.joined(separator: ", "))); build with swift build --build-tests")
        }
        return found
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    final class Server {
        let process = Process()
        let port: Int

        init(binary: String, home: String) throws {
            let portFile = (home as NSString).appendingPathComponent("port")
            try? FileManager.default.removeItem(atPath: portFile)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--home", home, "--port", "0", "--port-file", portFile, "--workers", "1", "--job-priority", "normal"]
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            var port: Int?
            for _ in 0..<600 {
                if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(text) { port = p; break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard let port else {
                process.terminate()
                throw Failure(description: "the server did not start within 30 s")
            }
            self.port = port
        }

        func request(_ method: String, _ path: String, body: String? = nil) async throws -> [String: Any] {
            var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            r.httpMethod = method
            r.httpBody = body.map { Data($0.utf8) }
            let (data, _) = try await URLSession.shared.data(for: r)
            return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }

        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func terminate() {
            process.terminate()
            process.waitUntilExit()
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func aKilledServerKeepsFinishedSymbolsAndResumesTheJobAfterRestart() async throws {
        let binary = try Self.binary()
        let symbols = ["AAPL", "MSFT", "AMD", "AMZN", "BA", "C", "CAT", "CSCO", "DIS", "F", "GE", "HD", "IBM", "INTC", "JNJ", "KO"]
        // The kill must land mid-job: the job may outrun the polling (on a loaded machine, or finishing between the
        // last poll and the kill), so a job the store shows finished after the kill is run again with more work per
        // symbol (a bigger grid), up to three times.
        var home = ""
        var id = 0
        var done = 0
        for slowStop in [60, 200, 600] {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-resume-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let first = try Server(binary: binary, home: home)
            let job = try await first.request("POST", "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50",
                 "symbols":[\(symbols.map { "\"\($0)\"" }.joined(separator: ","))],"grids":["fast=5:20:5","slow=40:\(slowStop):10"],
                 "kernel":false,"robustness":false,"batch":4}}
                """)
            id = try #require(job["id"] as? Int)
            for _ in 0..<2400 {
                done = try await first.request("GET", "/api/jobs/\(id)")["symbols_done"] as? Int ?? 0
                if done >= 2 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            first.kill9()
            // Judged by what the store holds after the kill, not by the last poll: the job can finish between the
            // poll and the kill.
            let after = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
            let finished = try await after.job(Int64(id))?.status == .succeeded
            await after.close()
            if !finished { break }
        }
        #expect(done >= 2)
        #expect(done < symbols.count, "the job finished before the kill three times")

        // What survived the kill: every symbol reported done has its result.
        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        let before = try await store.jobSymbols(Int64(id)).filter { $0.status == "done" }
        #expect(before.count >= done)
        for s in before {
            let resultID = try #require(s.resultID)
            #expect(try await store.result(resultID)?.summary.symbol == s.symbol)
        }
        // Running, or queued again when a starved server stopped it after its lease lapsed unrenewed (a loaded
        // machine): a restart resumes both.
        let stored = try await store.job(Int64(id))?.status
        #expect(stored == .running || stored == .queued, "\(String(describing: stored))")
        await store.close()

        let second = try Server(binary: binary, home: home)
        defer { second.stop() }
        var status = ""
        for _ in 0..<2400 {
            status = try await second.request("GET", "/api/jobs/\(id)")["status"] as? String ?? ""
            if status == "succeeded" || status == "failed" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(status == "succeeded")
        let final = try await second.request("GET", "/api/jobs/\(id)")
        let rows = try #require(final["symbols"] as? [[String: Any]])
        #expect(rows.map { $0["symbol"] as? String } == symbols)
        #expect(rows.allSatisfy { $0["status"] as? String == "done" })
        // Symbols finished before the kill were not recomputed: same result ids.
        for s in before {
            #expect(rows.first { $0["symbol"] as? String == s.symbol }?["result_id"] as? Int == s.resultID.map(Int.init))
        }
        #expect(try await second.request("GET", "/api/history/count")["count"] as? Int == symbols.count)
        // The whole log (a loaded machine adds lease lines, which can push the resume past a default page).
        let log = try await second.request("GET", "/api/jobs/\(id)/log?limit=1000")
        let messages = (log["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.hasPrefix("resumed") }, "\(messages)")
    }

    @Test func aTerminatedServerStopsItsJobAndQueuesItToResume() async throws {
        let binary = try Self.binary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-term-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let server = try Server(binary: binary, home: home)
        let job = try await server.request("POST", "/api/jobs", body: """
            {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50","batch":8,"kernel":false,
             "symbols":["AAPL","MSFT","AMD","AMZN","BA","C"],"grids":["fast=2:40:1","slow=40:200:5"]}}
            """)
        let id = try #require(job["id"] as? Int)
        for _ in 0..<400 {
            if try await server.request("GET", "/api/jobs/\(id)")["status"] as? String == "running" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        server.terminate()
        #expect(server.process.terminationStatus == 0)
        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        let stopped = try #require(try await store.job(Int64(id)))
        #expect(stopped.status == .queued)
        let log = try await store.jobLog(Int64(id), page: PageRequest(limit: 100))
        #expect(log.items.contains { $0.message.contains("stopped by shutdown") })
        await store.close()
    }
}
