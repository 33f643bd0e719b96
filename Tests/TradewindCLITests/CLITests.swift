import Foundation
import Synchronization
import Testing

/// End-to-end checks of the `tradewind` executable: exit codes and machine-readable output.
/// (The logic behind each command is tested in its library's tests; these prove the wiring.)
@Suite("tradewind command line")
struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("tradewind").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        // Fall back to the conventional build folder of the checkout.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/tradewind").path
    }

    /// Runs the `tradewind` executable with `arguments`.
    static func run(_ arguments: [String]) throws -> Run {
        try capture(executable, arguments)
    }

    /// A child still running when its time was up; it was killed.
    struct TimedOut: Error, CustomStringConvertible {
        let command: [String]
        let seconds: Double
        var description: String { "\(command.joined(separator: " ")) did not finish within \(seconds) s and was killed" }
    }

    /// Runs `executable` with `arguments` and returns its exit status and all it wrote. Standard output and standard
    /// error are read at the same time, each on a thread of its own, so a child that fills one pipe while the other
    /// is being read cannot deadlock. A child still running (or holding its pipes open) after `timeout` seconds is
    /// killed and `TimedOut` thrown.
    static func capture(_ executable: String, _ arguments: [String], timeout: Double = 300) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let done = DispatchGroup()
        done.enter()
        p.terminationHandler = { _ in done.leave() }
        try p.run()
        let o = PipeDrain(out.fileHandleForReading, done), e = PipeDrain(err.fileHandleForReading, done)
        guard done.wait(timeout: .now() + timeout) == .success else {
            kill(p.processIdentifier, SIGKILL)
            throw TimedOut(command: [executable] + arguments, seconds: timeout)
        }
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o.data, as: UTF8.self),
                   stderr: String(decoding: e.data, as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own, inside `group` (entered now, left at the end of the pipe).
    final class PipeDrain: Sendable {
        private let bytes = Mutex(Data())

        init(_ handle: FileHandle, _ group: DispatchGroup) {
            group.enter()
            Thread { [self] in
                let read = handle.readDataToEndOfFile()
                bytes.withLock { $0 = read }
                group.leave()
            }.start()
        }

        var data: Data { bytes.withLock { $0 } }
    }

    static func tempFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let dir = NSTemporaryDirectory() + "tw-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("data info --json prints the documented keys for a sample")
    func dataInfoJSON() throws {
        let r = try Self.run(["data", "info", "sample:spy-daily", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["symbol"] as? String == "SPY")
        #expect(o["interval"] as? String == "1d")
        #expect(o["bars"] as? Int == 1762)
        #expect(o["start"] as? String == "2007-01-03T14:30:00Z")
        #expect(o["last_close"] as? Double == 184.69)
    }

    @Test("malformed files exit non-zero with the file and line in the message", arguments: [
        ("bad-number.csv", "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,x2,0.5,1.5,100\n", ":3"),
        ("empty.csv", "", "empty"),
        ("high-below-low.csv", "date,open,high,low,close\n2020-01-02,1,0.5,2,1.5\n", ":2"),
        ("no-close.csv", "date,open,high,low\n2020-01-02,1,2,0.5\n", "close"),
    ])
    func badInputExitsNonZero(name: String, contents: String, fragment: String) throws {
        let path = try Self.tempFile(name, Array(contents.utf8))
        let r = try Self.run(["data", "info", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains(name), "\(r.stderr)")
        #expect(r.stderr.contains(fragment), "\(r.stderr)")
    }

    @Test("binary garbage is refused, not parsed")
    func garbage() throws {
        let path = try Self.tempFile("garbage.csv", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        let r = try Self.run(["data", "info", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("garbage.csv"))
    }

    @Test("calendar --json lists sessions with UTC open and close; an invalid date fails")
    func calendar() throws {
        let r = try Self.run(["calendar", "--from", "2024-07-03", "--to", "2024-07-05", "--json"])
        #expect(r.status == 0)
        let a = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: String]]
        #expect(a.map { $0["date"]! } == ["2024-07-03", "2024-07-05"])
        #expect(a[0]["open"] == "2024-07-03T13:30:00Z")
        #expect(a[0]["close"] == "2024-07-03T17:00:00Z")
        let bad = try Self.run(["calendar", "--from", "2023-02-30", "--to", "2023-03-05"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("2023-02-30"))
    }

    @Test("the helper reads stdout and stderr at once: over 1 MB on each is captured whole, without deadlock")
    func helperCapturesLargeOutputOnBothStreams() throws {
        // 1,288,895 bytes to stderr first, then 1,400,000 to stdout. Reading stdout to its end before stderr
        // deadlocks: the child blocks on the full stderr pipe and never closes stdout.
        let r = try Self.capture("/bin/sh", ["-c", "seq 1 200000 >&2; seq 200001 400000; exit 3"], timeout: 60)
        func lines(_ range: ClosedRange<Int>) -> String { range.map(String.init).joined(separator: "\n") + "\n" }
        #expect(r.status == 3)
        #expect(r.stderr.utf8.count == 1_288_895 && r.stdout.utf8.count == 1_400_000)
        let whole = (stderr: r.stderr == lines(1...200_000), stdout: r.stdout == lines(200_001...400_000))
        #expect(whole.stderr && whole.stdout, "byte for byte, in order: \(whole)")
    }

    @Test("the helper kills a child that outlives its time limit and says so")
    func helperKillsAChildPastItsTimeLimit() throws {
        let start = ContinuousClock.now
        #expect(throws: CLITests.TimedOut.self) { try Self.capture("/bin/sleep", ["30"], timeout: 0.5) }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("library errors name inputs; the command line adds its flags")
    func errorsNameTheFlags() throws {
        let reversed = try Self.run(["calendar", "--from", "2023-03-02", "--to", "2023-03-01"])
        #expect(reversed.status != 0 && reversed.stderr.contains("--from must not be after --to"), "\(reversed.stderr)")
        let badDate = try Self.run(["calendar", "--from", "2023-02-30", "--to", "2023-03-05"])
        #expect(badDate.stderr.contains("--from '2023-02-30' is not a valid date"), "\(badDate.stderr)")
        let unnamed = try Self.tempFile("2020.csv", Array("date,open,high,low,close\n2020-01-02,1,2,0.5,1.5\n2020-01-03,1,2,0.5,1.5\n".utf8))
        let symbol = try Self.run(["data", "info", unnamed])
        #expect(symbol.status != 0 && symbol.stderr.contains("2020.csv") && symbol.stderr.contains("(--symbol)"), "\(symbol.stderr)")
        let twice = try Self.tempFile("DUP.csv", Array("date,open,high,low,close\n2020-01-02,1,2,0.5,1.5\n2020-01-02,1,2,0.5,1.5\n".utf8))
        let duplicate = try Self.run(["data", "info", twice])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("(--duplicates keep-last)"), "\(duplicate.stderr)")
        let missing = try Self.run(["backtest", "--data", "/no/such/dir", "--strategy", "buy-and-hold"])
        #expect(missing.status != 0 && missing.stderr.contains("(--data;"), "\(missing.stderr)")
        let show = try Self.run(["strategy", "show", "open-10am"])
        #expect(show.stdout.contains("(applied: --session nyse)") && show.stdout.contains("(applied: --flatten-at-close)"), "\(show.stdout)")
        let synth = try Self.run(["data", "synth", "--symbols", "0", "--from", "2024-01-02", "--to", "2024-01-03",
                                  "--out", NSTemporaryDirectory() + "tw-cli-\(UUID().uuidString)"])
        #expect(synth.status != 0 && synth.stderr.contains("must be between 1 and 100000 (--symbols)"), "\(synth.stderr)")
    }

    @Test("an unknown sample names the available ones and exits non-zero")
    func unknownSample() throws {
        let r = try Self.run(["data", "info", "sample:nope"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("spy-daily"))
    }
}
