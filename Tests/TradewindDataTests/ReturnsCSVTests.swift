import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite("Returns CSV")
struct ReturnsCSVTests {
    @Test("reads a header, dates, ISO instants with offsets, and missing values")
    func parses() throws {
        let text = "timestamp,return\r\n2021-01-04,-0.0247\n\n2021-01-05T14:31:00Z,0.0012\n"
            + "2021-01-05T10:32:30.5-05:00,\n2021-01-06 00:00,nan\n"
        let t = try ReturnsCSV.parse(text, file: "r.csv")
        let day = UnixTime.nanosPerDay
        let jan4 = Int64(CivilDate(year: 2021, month: 1, day: 4)!.daysSinceEpoch) * day
        #expect(t.times[0] == jan4)
        #expect(t.times[1] == jan4 + day + (14 * 3600 + 31 * 60) * UnixTime.nanosPerSecond)
        #expect(t.times[2] == jan4 + day + (15 * 3600 + 32 * 60 + 30) * UnixTime.nanosPerSecond + 500_000_000)
        #expect(t.times[3] == jan4 + 2 * day)
        #expect(t.returns[0] == -0.0247 && t.returns[1] == 0.0012 && t.returns[2].isNaN && t.returns[3].isNaN)
        #expect(t.lines == [2, 4, 5, 6])
    }

    @Test("naive date-times are read in the given zone")
    func zone() throws {
        let t = try ReturnsCSV.parse("2021-07-01T09:30,0.01\n", zone: .newYork)
        #expect(ISO8601.utc(t.times[0]) == "2021-07-01T13:30:00Z")
    }

    @Test("errors name the line, the column and the value", arguments: [
        ("2021-01-04,0.1\n2021-01-05\n", DataError.Kind.tooFewFields, 2),
        ("2021-01-04,0.1\n2021-13-05,0.2\n", .badTimestamp, 2),
        ("2021-01-04,abc\n", .badNumber, 1),
        ("date,return\n2021-01-04,inf\n", .badNumber, 2),
        ("2021-01-04,0.1\n2021-01-04,0.2\n", .duplicateTimestamp, 2),
        ("2021-01-05,0.1\n2021-01-04,0.2\n", .unsorted, 2),
        ("2021-01-04T25:00Z,0.1\n", .badTimestamp, 1),
        ("2021-01-04,0.1,3\n", .tooFewFields, 1),
    ])
    func errors(text: String, kind: DataError.Kind, line: Int) {
        do {
            _ = try ReturnsCSV.parse(text, file: "bad.csv")
            Issue.record("expected \(kind)")
        } catch {
            #expect(error.kind == kind && error.line == line && error.file == "bad.csv", "\(error)")
        }
    }

    @Test("an empty file and a missing file are reported")
    func emptyAndMissing() {
        #expect(throws: DataError.self) { try ReturnsCSV.parse("timestamp,return\n") }
        do {
            _ = try ReturnsCSV.load(path: "/nonexistent/returns.csv")
        } catch {
            #expect(error.kind == .fileNotFound)
        }
    }
}
