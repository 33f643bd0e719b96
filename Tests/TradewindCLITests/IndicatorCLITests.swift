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
