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
/// - Timestamps: `yyyy-MM-dd` (a trading date: midnight UTC, as QuantStats indexes daily returns), or
///   ISO 8601 `yyyy-MM-ddTHH:mm[:ss[.fffffffff]]` (a space may replace `T`) with `Z`, `±HH:MM`, `±HHMM`,
///   or no suffix (local time in `zone`, UTC by default).
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
                                "expected yyyy-MM-dd or ISO 8601 yyyy-MM-ddTHH:mm[:ss[.fff]][Z|±HH:MM]")
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

    /// Parses `yyyy-MM-dd` (midnight UTC) or ISO 8601 date-time; nil when malformed.
    public static func parseTimestamp(_ s: String, zone: ZoneRules = .utc) -> UnixNanos? {
        let u = Array(s.utf8)
        guard u.count >= 10, let date = CivilDate(iso: String(decoding: u[0..<10], as: UTF8.self)) else { return nil }
        let midnight = Int64(date.daysSinceEpoch) * UnixTime.nanosPerDay
        if u.count == 10 { return midnight }
        guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " ") else { return nil }
        var i = 11
        func digits(_ n: Int) -> Int64? {
            guard i + n <= u.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard u[k] >= 48, u[k] <= 57 else { return nil }
                v = v * 10 + Int64(u[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < u.count, u[i] == UInt8(ascii: c.unicodeScalars.first!) else { return false }
            i += 1
            return true
        }
        guard let hh = digits(2), hh < 24, expect(":"), let mm = digits(2), mm < 60 else { return nil }
        var ss: Int64 = 0, frac: Int64 = 0
        if expect(":") {
            guard let v = digits(2), v < 60 else { return nil }
            ss = v
            if expect(".") {
                var n = 0
                while i < u.count, u[i] >= 48, u[i] <= 57 {
                    guard n < 9 else { return nil }
                    frac = frac * 10 + Int64(u[i] - 48)
                    n += 1
                    i += 1
                }
                guard n > 0 else { return nil }
                for _ in n..<9 { frac *= 10 }
            }
        }
        let local = midnight + ((hh * 60 + mm) * 60 + ss) * UnixTime.nanosPerSecond + frac
        if i == u.count { return zone.utcNanos(fromLocal: local) }
        if expect("Z"), i == u.count { return local }
        guard i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = u[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard let oh = digits(2), oh <= 18 else { return nil }
        _ = expect(":")
        guard let om = digits(2), om < 60, i == u.count else { return nil }
        return local - sign * (oh * 60 + om) * 60 * UnixTime.nanosPerSecond
    }
}
