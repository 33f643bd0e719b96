import Foundation
import TradewindCore

/// A returns series read from a file: `returns[i]` earned over the bar at `times[i]`. NaN marks a
/// missing observation (an empty, `nan` or `NaN` field).
public struct ReturnsTable: Sendable, Equatable {
    public let times: [UnixNanos]
    public let returns: [Double]
    /// 1-based file line of each row, for messages about a particular observation.
    public let lines: [Int]
}

/// A strict reader for the two-column returns CSV that `tradewind stats` accepts:
///
/// ```
/// timestamp,return
/// 2021-01-04,-0.0247
/// 2021-01-05T14:31:00Z,0.0012
/// ```
///
/// - An optional header whose first field is `timestamp`, `date`, `time` or `datetime` (any case).
/// - Exactly two comma-separated fields per line; blank lines are skipped; `\r\n` is accepted.
/// - Timestamps: every form the bar loader reads (`TimestampParsing`): a date such as `yyyy-MM-dd`
///   (a trading date: midnight UTC, as QuantStats indexes daily returns), an ISO 8601 date-time
///   `yyyy-MM-ddTHH:mm[:ss[.fffffffff]]` (a space may replace `T`) with `Z` or an offset, or without one
///   (local time in `zone`, UTC by default), or an epoch number.
/// - Returns are simple returns as fractions (0.01 = 1 %); an empty field, `nan` or `NaN` is a missing
///   observation; infinities and text are errors.
/// - Times must increase strictly (a repeated time is `duplicateTimestamp`, an earlier one `unsorted`).
///
/// Every error is a `DataError` with the file, the 1-based line and the offending text.
public enum ReturnsCSV {
    /// Reads and parses the file at `path`.
    public static func load(path: String, zone: ZoneRules = .utc) throws(DataError) -> ReturnsTable {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(.fileNotFound, file: path, "no such file; pass a CSV with columns timestamp,return")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(.unreadable, file: path, "cannot read the file (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(.notText, file: path, "the file is not UTF-8 text; expected a CSV with columns timestamp,return")
        }
        return try parse(text, file: path, zone: zone)
    }

    /// Parses CSV text; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<input>", zone: ZoneRules = .utc) throws(DataError) -> ReturnsTable {
        var times: [UnixNanos] = []
        var returns: [Double] = []
        var lines: [Int] = []
        var lineNumber = 0
        var sawContent = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if !sawContent {
                sawContent = true
                if ["timestamp", "date", "time", "datetime"].contains(fields[0].lowercased()) {
                    guard fields.count == 2 else {
                        throw DataError(.tooFewFields, file: file, line: lineNumber, value: String(line),
                                        "the header must have two columns: timestamp,return")
                    }
                    continue
                }
            }
            guard fields.count == 2 else {
                throw DataError(.tooFewFields, file: file, line: lineNumber, value: String(line),
                                "expected 2 fields (timestamp,return), found \(fields.count)")
            }
            guard let t = parseTimestamp(fields[0], zone: zone) else {
                throw DataError(.badTimestamp, file: file, line: lineNumber, column: "timestamp", value: fields[0],
                                "expected yyyy-MM-dd or ISO 8601 yyyy-MM-ddTHH:mm[:ss[.fff]][Z|±HH:MM], in the years 1678 to 2261")
            }
            let r: Double
            switch fields[1] {
            case "", "nan", "NaN", "NAN": r = .nan
            default:
                guard let v = Double(fields[1]), v.isFinite, fields[1].lowercased() != "nan" else {
                    throw DataError(.badNumber, file: file, line: lineNumber, column: "return", value: fields[1],
                                    "expected a finite decimal return such as 0.0125 (empty or nan = missing)")
                }
                r = v
            }
            if let last = times.last, t <= last {
                let kind: DataError.Kind = t == last ? .duplicateTimestamp : .unsorted
                throw DataError(kind, file: file, line: lineNumber, column: "timestamp", value: fields[0],
                                t == last ? "same time as line \(lines.last!); times must be unique"
                                          : "earlier than line \(lines.last!); rows must be in ascending time order")
            }
            times.append(t)
            returns.append(r)
            lines.append(lineNumber)
        }
        guard !times.isEmpty else {
            throw DataError(.emptyFile, file: file, "no data rows; expected lines like 2021-01-04,-0.0247")
        }
        return ReturnsTable(times: times, returns: returns, lines: lines)
    }

    /// Parses one timestamp field with the bar loader's rules (`TimestampParsing`): a date is midnight
    /// UTC of that date, a naive date-time is local time in `zone`, and a `Z`/offset or epoch number is
    /// absolute. nil when malformed.
    public static func parseTimestamp(_ s: String, zone: ZoneRules = .utc) -> UnixNanos? {
        var bytes = Array(s.utf8)
        return bytes.withUnsafeMutableBufferPointer { b -> UnixNanos? in
            guard let base = b.baseAddress,
                  let stamp = TimestampParsing.parse(UnsafePointer(base), 0, b.count) else { return nil }
            switch stamp.kind {
            case .date: return stamp.value * UnixTime.nanosPerDay
            case .naive: return zone.utcNanos(fromLocal: stamp.value)
            case .absolute: return stamp.value
            }
        }
    }
}
