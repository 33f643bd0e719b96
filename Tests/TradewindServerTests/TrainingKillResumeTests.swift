import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TradewindCore
import TradewindStore

/// The real `tradewind serve` binary, killed with SIGKILL in the middle of a training job, resumes the job after a
/// restart from its last checkpointed epoch, stored in the store (not epoch 1), and registers the same model, bit
/// for bit, as the same job run without interruption.
@Suite("Server kill -9 and resume of a training job", .serialized)
struct TrainingKillResumeTests {
    typealias Server = KillAndResumeTests.Server

    /// A tiny network on one symbol: about two seconds an epoch in a debug build.
    static let request = #"{"kind":"training","request":{"symbols":["KO"],"epochs":10,"widths":[4,2,2,4,2],"performance_threshold":0}}"#

    static func finished(_ id: Int, on server: Server) async throws -> String {
        var status = ""
        for _ in 0..<3600 {
            status = try await server.request("GET", "/api/jobs/\(id)")["status"] as? String ?? ""
            if ["succeeded", "failed", "cancelled"].contains(status) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return status
    }

    static func messages(_ id: Int, on server: Server) async throws -> [String] {
        let log = try await server.request("GET", "/api/jobs/\(id)/log")
        return (log["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }

    /// The epoch a `resuming training after epoch N of M …` log line names.
    static func resumedEpoch(_ line: String) -> Int? {
        Int(line.dropFirst("resuming training after epoch ".count).prefix { $0.isNumber })
    }

    @Test func aKilledTrainingJobResumesFromItsLastEpochAndRegistersTheUninterruptedModel() async throws {
        let binary = try KillAndResumeTests.binary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-train-resume-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }

        let first = try Server(binary: binary, home: home)
        // Killed once two epochs' checkpoints are stored (the job's log says so after each store write).
        let watch = await TrainingJobWatch.postAndKillHolder(port: first.port, request: Self.request, after: 2, within: 420)
        first.kill9()
        let id = try #require(watch.jobID)
        #expect(watch.holder == first.process.processIdentifier)
        #expect(watch.killed, "the kill must land after two checkpoints (\(watch.checkpoints) seen; log: \(watch.log))")
        // The checkpoint is in the store (one source of truth), not in a file of the server's home.
        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        let saved = try #require(try await store.jobCheckpoint(Int64(id)), "the kill must land mid-training")
        #expect(saved.epoch >= 2 && saved.epoch < 10)
        #expect(!FileManager.default.fileExists(atPath: home + "/jobs"))

        let second = try Server(binary: binary, home: home)
        defer { second.stop() }
        #expect(try await Self.finished(id, on: second) == "succeeded")
        let log = try await Self.messages(id, on: second)
        let resumed = try #require(log.first { $0.hasPrefix("resuming training after epoch ") }, "log: \(log)")
        let after = Self.resumedEpoch(resumed) ?? 0
        #expect(after >= saved.epoch && after < 10, "\(resumed)")
        #expect(try await store.jobCheckpoint(Int64(id)) == nil, "the stored checkpoint is removed once the job ends")
        await store.close()
        let resumedModel = try await second.request("GET", "/api/models/universal/hash?version=1")["sha256"] as? String
        #expect(resumedModel != nil)

        // The same job, never interrupted, registers the same archive.
        let again = try #require(try await second.request("POST", "/api/jobs", body: Self.request)["id"] as? Int)
        #expect(try await Self.finished(again, on: second) == "succeeded")
        #expect(try await second.request("GET", "/api/models/universal/hash?version=2")["sha256"] as? String == resumedModel)
    }
}
