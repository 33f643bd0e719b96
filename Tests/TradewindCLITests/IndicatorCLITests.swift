import Foundation
import Testing

/// `tradewind indicator` wiring for TA-Lib 0.8's moving-average types 9...13.
@Suite("tradewind indicator: moving-average types")
struct IndicatorCLITests {
    @Test("MA with matype 9 (HMA) prints a CSV with the lookback left empty")
    func hullMovingAverage() throws {
        let r = try CLITests.run(["indicator", "MA", "--data", "sample:spy-daily", "--param", "timeperiod=10", "--param", "matype=9"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "timestamp,real")
        #expect(lines.count == 1 + 1762)
        // HMA(10) lookback: (10 − 1) + (⌊√10⌋ − 1) = 11 empty cells, then numbers.
        let cells = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "" }
        #expect(cells.prefix(11).allSatisfy { $0.isEmpty })
        #expect(cells.dropFirst(11).allSatisfy { Double($0) != nil })
    }

    @Test("indicator list --json shows matype ranges 0...13; matype 14 is refused with the valid types")
    func rangesAndRefusal() throws {
        let list = try CLITests.run(["indicator", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]]
        var maTypeParameters = 0
        for entry in entries {
            for p in entry["parameters"] as! [[String: Any]] where p["kind"] as? String == "matype" {
                #expect(p["minimum"] as? Double == 0 && p["maximum"] as? Double == 13, "\(entry["name"]!) \(p["name"]!)")
                maTypeParameters += 1
            }
        }
        #expect(maTypeParameters >= 12)
        let bad = try CLITests.run(["indicator", "BBANDS", "--data", "sample:spy-daily", "--param", "matype=14"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("9 HMA") && bad.stderr.contains("13 RMA"), "\(bad.stderr)")
    }
}

/// `tradewind indicator MAVP --periods FILE`: the per-bar periods come from a file, one per bar.
@Suite("tradewind indicator: MAVP periods")
struct MAVPCLITests {
    func write(_ lines: [String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-periods-\(UUID().uuidString).csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func column(_ csv: String) -> [String] {
        csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "" }
    }

    @Test("constant periods of 10 give SMA(10) once MAVP's lookback (maxperiod − 1) has passed")
    func constantPeriodsEqualTheMovingAverage() throws {
        let bars = 1762  // sample:spy-daily
        let path = try write(["timestamp,periods"] + (0..<bars).map { "bar\($0),10" })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mavp = try CLITests.run(["indicator", "MAVP", "--data", "sample:spy-daily", "--periods", path])
        #expect(mavp.status == 0, "\(mavp.stderr)")
        let sma = try CLITests.run(["indicator", "SMA", "--data", "sample:spy-daily", "--param", "timeperiod=10"])
        let a = column(mavp.stdout), b = column(sma.stdout)
        #expect(a.count == bars && b.count == bars)
        #expect(a.prefix(29).allSatisfy { $0.isEmpty })
        // Equal as numbers (MAVP sums each window afresh, SMA keeps a running sum: the last digits may differ).
        let far = zip(a.dropFirst(29), b.dropFirst(29)).filter { x, y in
            guard let u = Double(x), let v = Double(y) else { return true }
            return abs(u - v) > 1e-9 * abs(v)
        }
        #expect(far.isEmpty, "\(far.prefix(3))")
    }

    @Test("without --periods, with too few values or a bad value, the error says what to pass")
    func badPeriods() throws {
        let none = try CLITests.run(["indicator", "MAVP", "--data", "sample:spy-daily"])
        #expect(none.status != 0 && none.stderr.contains("--periods"), "\(none.stderr)")
        let short = try write(["10", "12"])
        defer { try? FileManager.default.removeItem(atPath: short) }
        let few = try CLITests.run(["indicator", "MAVP", "--data", "sample:spy-daily", "--periods", short])
        #expect(few.status != 0 && few.stderr.contains("2 values for 1762 bars"), "\(few.stderr)")
        let bad = try write(["periods", "10", "ten"])
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let word = try CLITests.run(["indicator", "MAVP", "--data", "sample:spy-daily", "--periods", bad])
        #expect(word.status != 0 && word.stderr.contains("line 3") && word.stderr.contains("'ten'"), "\(word.stderr)")
    }
}
