import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `tradewind serve` binary, killed with SIGKILL in the middle of a training job, resumes the job after a
/// restart from its last checkpointed epoch (not epoch 1) and registers the same model, bit for bit, as the same job
/// run without interruption.
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

    @Test func aKilledTrainingJobResumesFromItsLastEpochAndRegistersTheUninterruptedModel() async throws {
        let binary = try KillAndResumeTests.binary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-train-resume-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }

        let first = try Server(binary: binary, home: home)
        let id = try #require(try await first.request("POST", "/api/jobs", body: Self.request)["id"] as? Int)
        let checkpoint = home + "/jobs/\(id)/training-checkpoint.safetensors"
        // Killed once two epochs are checkpointed: each checkpoint replaces the file (a new inode), so the second
        // change seen means at least two epochs were written. The file system is watched rather than the status route,
        // whose answers a loaded machine can delay past the whole run.
        var changes = 0, lastInode: UInt64?
        for _ in 0..<24_000 {
            var info = stat()
            if stat(checkpoint, &info) == 0 {
                let inode = UInt64(info.st_ino)
                if inode != lastInode { changes += 1; lastInode = inode }
                if changes >= 2 { break }
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        first.kill9()
        #expect(changes >= 2, "the kill must land after two checkpoints (\(changes) seen)")
        #expect(FileManager.default.fileExists(atPath: checkpoint), "the kill must land mid-training")

        let second = try Server(binary: binary, home: home)
        defer { second.stop() }
        #expect(try await Self.finished(id, on: second) == "succeeded")
        let log = try await Self.messages(id, on: second)
        let resumed = try #require(log.first { $0.hasPrefix("resuming training after epoch ") }, "log: \(log)")
        let after = Int(resumed.dropFirst("resuming training after epoch ".count).prefix { $0.isNumber }) ?? 0
        #expect(after >= 2 && after < 10, "\(resumed)")
        #expect(!FileManager.default.fileExists(atPath: home + "/jobs/\(id)"), "the job's state directory is removed once it ends")
        let resumedModel = try await second.request("GET", "/api/models/universal/hash?version=1")["sha256"] as? String
        #expect(resumedModel != nil)

        // The same job, never interrupted, registers the same archive.
        let again = try #require(try await second.request("POST", "/api/jobs", body: Self.request)["id"] as? Int)
        #expect(try await Self.finished(again, on: second) == "succeeded")
        #expect(try await second.request("GET", "/api/models/universal/hash?version=2")["sha256"] as? String == resumedModel)
    }
}
