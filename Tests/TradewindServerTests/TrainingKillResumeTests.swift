import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TradewindCore

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
        // Killed once two epochs are checkpointed: each checkpoint replaces the file (a new inode), so the second
        // change seen means at least two epochs were written. The jobs' state folder is watched, and the server
        // killed, from a thread of its own (not a task: none is needed to start it) started before the job is posted: inside the whole suite this test
        // process's cooperative pool is busy with the other suites' CPU work, and the job's answer (or a poll) can
        // arrive after the whole run. Bounded by time.
        let pid = first.process.processIdentifier, jobs = home + "/jobs"
        let watch = CheckpointWatch()
        let watcher = Thread {
            let deadline = ContinuousClock.now + .seconds(420)
            var lastInode: UInt64?
            while ContinuousClock.now < deadline {
                let path = watch.seen ?? (try? FileManager.default.contentsOfDirectory(atPath: jobs))?.first
                    .map { jobs + "/" + $0 + "/training-checkpoint.safetensors" }
                var info = stat()
                if let path, stat(path, &info) == 0 {
                    watch.seen = path
                    let inode = UInt64(info.st_ino)
                    if inode != lastInode { watch.changes += 1; lastInode = inode }
                    if watch.changes >= 2 { kill(pid, SIGKILL); break }
                } else if watch.changes > 0 {
                    break  // the job ended (its state is removed) before a second checkpoint was seen
                }
                usleep(2_000)
            }
            watch.done.signal()
        }
        watcher.start()
        let id = try #require(try await first.request("POST", "/api/jobs", body: Self.request)["id"] as? Int)
        let checkpoint = home + "/jobs/\(id)/training-checkpoint.safetensors"
        await DedicatedThread.run(name: "tw-test-watch-wait") { watch.done.wait() }
        let (changes, path) = (watch.changes, watch.seen)
        #expect(path == checkpoint)
        let job = changes >= 2 ? [:] : (try? await first.request("GET", "/api/jobs/\(id)")) ?? [:]
        first.kill9()
        #expect(changes >= 2, "the kill must land after two checkpoints (\(changes) seen; the job then: \(job))")
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

/// What the checkpoint watcher saw: written by its thread only, read after `done` is signalled.
private final class CheckpointWatch: @unchecked Sendable {
    var changes = 0
    var seen: String?
    let done = DispatchSemaphore(value: 0)
}
