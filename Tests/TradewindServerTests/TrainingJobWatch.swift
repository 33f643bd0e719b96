import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TradewindCore

/// Posts a training job to a real server and kills (SIGKILL) the server that runs it once it has stored `after`
/// checkpoints — all from a thread of its own, with blocking HTTP calls: inside the whole suite the test process's
/// cooperative pool is busy with other suites' CPU work, and a poll from a task can answer after the whole run.
/// The holder is read from the job's log (`started on HOST (pid N)`), so whichever server claimed the job is the
/// one killed. Bounded by time.
final class TrainingJobWatch: @unchecked Sendable {
    /// Written by the watching thread only, read after it ended.
    private(set) var jobID: Int?
    private(set) var holder: Int32?
    private(set) var checkpoints = 0
    /// The newest epoch whose checkpoint the log said was stored when the kill was sent (0 before): every
    /// "checkpoint after epoch N stored" line is written after its checkpoint was.
    private(set) var storedEpochAtKill = 0
    private(set) var killed = false
    /// When the kill was sent, in nanoseconds since 1970 (0 before).
    private(set) var killedAt: Int64 = 0
    private(set) var log: [String] = []
    private let done = DispatchSemaphore(value: 0)

    /// Posts `request` to the server on `port` and watches the job's log there.
    static func postAndKillHolder(port: Int, request: String, after: Int, within seconds: Double) async -> TrainingJobWatch {
        let watch = TrainingJobWatch()
        let thread = Thread {
            watch.watch(port: port, request: request, after: after, deadline: Date().addingTimeInterval(seconds))
            watch.done.signal()
        }
        thread.start()
        await DedicatedThread.run(name: "tw-test-watch-wait") { watch.done.wait() }
        return watch
    }

    private func watch(port: Int, request: String, after: Int, deadline: Date) {
        guard let id = Self.call("POST", port: port, "/api/jobs", body: request)?["id"] as? Int else { return }
        jobID = id
        while Date() < deadline {
            let items = Self.call("GET", port: port, "/api/jobs/\(id)/log?limit=1000")?["items"] as? [[String: Any]] ?? []
            log = items.compactMap { $0["message"] as? String }
            holder = log.last { $0.hasPrefix("started on ") }.flatMap(Self.pid)
            let stored = log.compactMap(Self.storedCheckpointEpoch)
            checkpoints = stored.count
            if let holder, checkpoints >= after {
                storedEpochAtKill = stored.max() ?? 0
                killedAt = Int64(Date().timeIntervalSince1970 * 1e9)
                kill(holder, SIGKILL)
                killed = true
                return
            }
            if log.contains(where: { $0.hasPrefix("finished in ") || $0.hasPrefix("deployed ") }) { return }
            usleep(20_000)
        }
    }

    /// N of a `checkpoint after epoch N stored: …` log line; nil for any other line (a checkpoint that was not stored
    /// says "not stored").
    static func storedCheckpointEpoch(_ line: String) -> Int? {
        let prefix = "checkpoint after epoch "
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        let digits = rest.prefix { $0.isNumber }
        guard rest.dropFirst(digits.count).hasPrefix(" stored:") else { return nil }
        return Int(digits)
    }

    /// The pid in a `… (pid N)` log line.
    static func pid(_ line: String) -> Int32? {
        guard let open = line.range(of: "(pid ") else { return nil }
        return Int32(line[open.upperBound...].prefix { $0.isNumber })
    }

    /// A blocking HTTP call to the server on loopback; nil when it did not answer with JSON within 10 s.
    static func call(_ method: String, port: Int, _ path: String, body: String? = nil) -> [String: Any]? {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 10)
        r.httpMethod = method
        r.httpBody = body.map { Data($0.utf8) }
        let answer = Answer()
        let sem = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: r) { data, _, _ in
            answer.data = data
            sem.signal()
        }.resume()
        guard sem.wait(timeout: .now() + 11) == .success, let data = answer.data else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// A response handed from URLSession's queue to the waiting thread (the semaphore orders the accesses).
    private final class Answer: @unchecked Sendable {
        var data: Data?
    }
}
