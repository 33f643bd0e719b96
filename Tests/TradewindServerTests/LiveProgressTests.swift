import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing
@testable import TradewindServer

@Suite("Server jobs and live progress")
struct LiveProgressTests {
    /// Parses a `{type, data}` message.
    static func parse(_ text: String) -> (String, [String: Any]) {
        let o = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (o["type"] as? String ?? "", o["data"] as? [String: Any] ?? [:])
    }

    /// Connects to `/ws`, submits `job` once the server's status has arrived, and returns every message up to the
    /// job's end.
    static func messages(of job: String, client: any TestClientProtocol) async throws -> [(String, [String: Any])] {
        let received = Mutex<[String]>([])
        try await client.ws("/ws") { inbound, outbound, _ in
            var submitted = false
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case let .text(text) = message else { continue }
                received.withLock { $0.append(text) }
                let type = Self.parse(text).0
                if type == "server.status", !submitted {
                    submitted = true
                    #expect(try await client.send(.post, "/api/jobs", body: job).status == .created)
                }
                if type == "job.finished" || type == "job.failed" { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return received.withLock { $0 }.map(Self.parse)
    }

    @Test func aRealOptimizationStreamsProgressResultsAndItsEndOverTheWebSocket() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            let messages = try await Self.messages(of: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50",
                 "symbols":["AAPL","MSFT","AMD"],"grids":["fast=5:20:5","slow=30:60:10"],"robustness":false}}
                """, client: client)
            let types = messages.map(\.0)
            #expect(types.first == "server.status")
            #expect(types.last == "job.finished")
            #expect(types.filter { $0 == "result.stored" }.count == 3)
            #expect(types.contains("job.log"))
            let progress = messages.filter { $0.0 == "job.progress" }.map(\.1)
            #expect(progress.count >= 3)
            #expect(progress.allSatisfy { $0["symbols_total"] as? Int == 3 })
            #expect(progress.compactMap { $0["fraction"] as? Double }.max() == 1)
            #expect(progress.contains { $0["eta_seconds"] is Double })
            #expect(progress.contains { ($0["evaluations_per_second"] as? Double ?? 0) > 0 })

            let jobs = try await client.send(.get, "/api/jobs")
            let job = try #require((jobs.json["items"] as? [[String: Any]])?.first)
            #expect(job["status"] as? String == "succeeded")
            #expect(job["started_at"] is String && job["completed_at"] is String && job["duration_seconds"] is Double)
            let id = try #require(job["id"] as? Int)
            let detail = try await client.send(.get, "/api/jobs/\(id)")
            let symbols = try #require(detail.json["symbols"] as? [[String: Any]])
            #expect(symbols.map { $0["symbol"] as? String } == ["AAPL", "MSFT", "AMD"])
            #expect(symbols.allSatisfy { $0["status"] as? String == "done" && $0["result_id"] is Int })
            #expect(try await client.send(.get, "/api/history?strategy=sma-cross").json["total"] as? Int == 3)
            let log = try await client.send(.get, "/api/jobs/\(id)/log")
            #expect((log.json["total"] as? Int ?? 0) >= 4)
            #expect(try await client.send(.delete, "/api/jobs").json["deleted"] as? Int == 1)
        }
    }

    @Test func aFailingJobIsMarkedFailedWithItsReasonAndTheServerStaysUp() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            // The symbol is only found missing once the data is read.
            let r = try await client.send(.post, "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50","symbols":["NOPE"]}}
                """)
            let id = try #require(r.json["id"] as? Int)
            var status = ""
            var failure: String?
            for _ in 0..<200 {
                let job = try await client.send(.get, "/api/jobs/\(id)").json
                status = job["status"] as? String ?? ""
                failure = job["failure"] as? String
                if status == "failed" || status == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "failed")
            #expect(failure?.contains("NOPE") == true)
            #expect(try await client.send(.get, "/api/health").status == .ok)
        }
    }

    @Test func aBacktestRunsWhileAnOptimizationRunsAndAQueuedJobCanBeCancelled() async throws {
        let server = try await TestServer.make { $0.workers = 1 }
        try await server.application().test(.live) { client in
            let long = try await client.send(.post, "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:sp500-50","symbols":["AAPL","MSFT","AMD","AMZN"],
                 "grids":["fast=2:40:1","slow=40:200:5"],"kernel":false,"batch":8}}
                """)
            let queued = try await client.send(.post, "/api/jobs", body: """
                {"kind":"backtest","request":{"strategy":"sma-cross","data":"sample:spy-daily"}}
                """)
            let longID = try #require(long.json["id"] as? Int)
            let queuedID = try #require(queued.json["id"] as? Int)
            // The one worker is busy: a synchronous backtest still answers.
            let sync = try await client.send(.post, "/api/backtest", body: #"{"strategy":"rsi2","data":"sample:spy-daily"}"#)
            #expect(sync.status == .ok)
            let cancelled = try await client.send(.post, "/api/jobs/\(queuedID)/cancel")
            #expect(cancelled.status == .accepted)
            #expect(cancelled.json["status"] as? String == "cancelled")
            let stopping = try await client.send(.post, "/api/jobs/\(longID)/cancel")
            #expect(stopping.status == .accepted)
            var status = ""
            for _ in 0..<400 {
                status = try await client.send(.get, "/api/jobs/\(longID)").json["status"] as? String ?? ""
                if status == "cancelled" || status == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "cancelled")
        }
    }
}
