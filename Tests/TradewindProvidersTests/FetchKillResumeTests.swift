import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindProviders

/// The real `tradewind data fetch` binary killed with SIGKILL mid-download, at a random request, then run again against
/// the same loopback server: the cache ends equal, file for file and byte for byte, to a clean download, and the rerun
/// asks for nothing the killed run had stored (only the segments that were in flight, and what was never reached).
@Suite("data fetch killed with SIGKILL resumes")
struct FetchKillResumeTests {
    static let symbols = ["AAA", "BBB", "CCC"]
    /// Fourteen months of the generated bars (424 days): 14 segments of 31 days per symbol.
    static let from = "2023-01-02", to = "2024-02-29"

    /// The `tradewind` executable beside the test bundle (`swift build --build-tests` builds it); a missing binary fails
    /// the test.
    static var executable: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("tradewind").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Starts `data fetch` into `out` against `base`: every completed segment stored at once (`--checkpoint 0`). Each run
    /// sends its own key ID, so that a request the killed run had sent before it died, which the server may log after the
    /// kill, is never counted as the rerun's.
    static func start(_ base: String, out: String, key: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["data", "fetch", "--provider", "alpaca", "--symbols", symbols.joined(separator: ","), "--from", from, "--to", to,
                       "--interval", "1m", "--out", out, "--concurrency", "2", "--rate", "alpaca=100000/min", "--checkpoint", "0",
                       "--retries", "0", "--quiet"]
        var env = ProcessInfo.processInfo.environment
        env["APCA_API_KEY_ID"] = key
        env["APCA_API_SECRET_KEY"] = "kill-secret"
        env["APCA_API_DATA_URL"] = base
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (at most `seconds`) until `condition` holds.
    static func wait(_ seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    /// Each symbol's stored range: from its fetch record, or from the pending record when the kill came between a
    /// store's `.twc` replacement and its record's (the record whose bar count is the `.twc` file's).
    static func storedRanges(_ dir: String) -> [String: (from: Int64, to: Int64)] {
        var out: [String: (from: Int64, to: Int64)] = [:]
        let cache = FetchCache(directory: dir)
        for s in symbols {
            guard let bars = try? BarCache.read(path: cache.seriesPath(s)).count else { continue }
            let records = [cache.recordPath(s), cache.pendingRecordPath(s)].compactMap { path -> FetchCache.Record? in
                guard let data = FileManager.default.contents(atPath: path) else { return nil }
                return try? JSONDecoder().decode(FetchCache.Record.self, from: data)
            }
            guard let record = records.first(where: { $0.bars == bars }) else { continue }
            out[s] = (record.from, record.to)
        }
        return out
    }

    /// The symbol and `[start, end]` of a bars request.
    static func asked(_ r: ReceivedRequest) -> (symbol: String, start: Int64, end: Int64)? {
        let parts = r.path.split(separator: "/")
        guard parts.count == 4, let s = r.parameter("start").flatMap(RFC3339.parse), let e = r.parameter("end").flatMap(RFC3339.parse) else { return nil }
        return (String(parts[2]), s, e)
    }

    @Test func aFetchKilledAtARandomRequestResumesToTheCleanDownloadRefetchingOnlyWhatWasInFlight() async throws {
        let killed = FetchCacheTests.temporaryDirectory(), clean = FetchCacheTests.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: killed)
            try? FileManager.default.removeItem(atPath: clean)
        }
        let total = Self.symbols.count * 14
        let killAt = Int.random(in: 4...(total - 4))
        try await FakeProviderServer.with({ r, _ in
            var answer = GeneratedAlpaca.answer(r)
            answer.delay = .milliseconds(15)
            return answer
        }) { base, log in
            // The run killed once the server has been asked for `killAt` segments.
            let first = try Self.start(base, out: killed, key: "PKKILLED")
            let reached = await Self.wait(60) { await log.requests.count >= killAt }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(reached, "the fetch never reached request \(killAt)")
            #expect(first.terminationReason == .uncaughtSignal, "the fetch ended before the kill at request \(killAt)")
            let stored = Self.storedRanges(killed)

            // The rerun: finishes, and asks only for what was not stored.
            let second = try Self.start(base, out: killed, key: "PKRERUN")
            #expect(await Self.wait(120) { !second.isRunning })
            #expect(second.terminationStatus == 0)
            let rerun = await log.requests.filter { $0.headers["apca-api-key-id"] == "PKRERUN" }.compactMap(Self.asked)
            for r in rerun {
                if let s = stored[r.symbol] {
                    #expect(r.end < s.from || r.start >= s.to,
                            "killed at request \(killAt): \(r.symbol) [\(r.start), \(r.end)] asked again though [\(s.from), \(s.to)) was stored")
                }
            }
            let segment = 31 * UnixTime.nanosPerDay
            let storedSegments = stored.values.reduce(0) { $0 + Int(($1.to - $1.from + segment - 1) / segment) }
            #expect(rerun.count == total - storedSegments, "killed at request \(killAt): \(storedSegments) segments were stored")

            // A clean download for comparison.
            let third = try Self.start(base, out: clean, key: "PKCLEAN")
            #expect(await Self.wait(120) { !third.isRunning })
            #expect(third.terminationStatus == 0)
        }
        for s in Self.symbols {
            let path = FetchCache(directory: killed).seriesPath(s)
            let resumed = try #require(FileManager.default.contents(atPath: path), "killed at request \(killAt)")
            let fresh = try #require(FileManager.default.contents(atPath: FetchCache(directory: clean).seriesPath(s)))
            #expect(resumed == fresh, "\(s): killed at request \(killAt), the resumed cache file differs from a clean download")
            let series = try BarCache.read(path: path)
            let cleanSeries = try BarCache.read(path: FetchCache(directory: clean).seriesPath(s))
            #expect(series.count > 250 && series == cleanSeries)
        }
    }
}
