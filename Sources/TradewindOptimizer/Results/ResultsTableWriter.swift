#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the full results table to CSV with bounded memory: rows go through a buffered
/// temporary file in the destination's directory, and `finish()` flushes, syncs and renames it
/// over the destination, so readers never see a half-written table. Dropping the writer
/// without `finish()` (e.g. on an error) removes the temporary file.
///
/// Columns: `trial`, one per parameter, `objective`, then the extra metric names. Numbers are
/// written in their shortest round-trip form; NaN as an empty cell; text is quoted when needed.
public final class ResultsTableWriter {
    public let path: String
    public let space: ParameterSpace
    public let metricNames: [String]
    private let tmpPath: String
    private var file: UnsafeMutablePointer<FILE>?
    public private(set) var rowCount = 0

    public init(path: String, space: ParameterSpace, metricNames: [String] = []) throws(OptimizerError) {
        self.path = path
        self.space = space
        self.metricNames = metricNames
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        tmpPath = (dir.isEmpty ? "" : dir + "/") + "." + base + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard let f = fopen(tmpPath, "wx") else {
            throw .io(path: path, reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        file = f
        let header = ["trial"] + space.names + ["objective"] + metricNames
        try write(header.map(ResultsTableWriter.quoted).joined(separator: ",") + "\n")
    }

    deinit {
        if let f = file {
            fclose(f)
            unlink(tmpPath)
        }
    }

    /// Appends one row.
    public func append(_ trial: RankedTrial) throws(OptimizerError) {
        var cells: [String] = [String(trial.number)]
        for (_, v) in space.values(of: trial.point) { cells.append(ResultsTableWriter.quoted(v.description)) }
        cells.append(ResultsTableWriter.number(trial.objective))
        for m in trial.metrics { cells.append(ResultsTableWriter.number(m)) }
        try write(cells.joined(separator: ",") + "\n")
        rowCount += 1
    }

    /// Flushes, syncs and moves the table into place.
    public func finish() throws(OptimizerError) {
        guard let f = file else { return }
        file = nil
        let ok = fflush(f) == 0 && fsync(fileno(f)) == 0
        let closed = fclose(f) == 0
        guard ok && closed else {
            unlink(tmpPath)
            throw .io(path: path, reason: "flush failed: \(String(cString: strerror(errno)))")
        }
        guard rename(tmpPath, path) == 0 else {
            let e = errno
            unlink(tmpPath)
            throw .io(path: path, reason: "cannot move the table into place: \(String(cString: strerror(e)))")
        }
    }

    private func write(_ s: String) throws(OptimizerError) {
        guard let f = file else { throw .io(path: path, reason: "the table is already finished") }
        var s = s
        let n = s.withUTF8 { fwrite($0.baseAddress, 1, $0.count, f) }
        guard n == s.utf8.count else { throw .io(path: path, reason: "write failed: \(String(cString: strerror(errno)))") }
    }

    static func number(_ x: Double) -> String { x.isNaN ? "" : String(x) }

    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
