import Foundation
import TradewindCore
import TradewindData

/// `tradewind bench data`: synthetic minute bars for many symbols written as CSV and as the binary cache,
/// read back by Tradewind and (when python3 with pandas is present) by pandas.read_csv, in one run.
public enum DataBenchmark {
    public struct Configuration: Sendable {
        public var symbols = 372
        public var from = CivilDate(year: 2023, month: 1, day: 3)!
        public var to = CivilDate(year: 2023, month: 12, day: 29)!
        public var directory = NSTemporaryDirectory() + "tradewind-bench-data"
        public var runs = 3
        public var peers = true
        public var repositoryRoot = FileManager.default.currentDirectoryPath
        public init() {}
    }

    public struct Measurement: Sendable {
        public let name: String
        public let seconds: Double
        public let bytes: Int
        public var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
    }

    public struct Outcome: Sendable {
        public var bars = 0
        public var generateSeconds = 0.0
        public var measurements: [Measurement] = []
        public var notes: [String] = []
    }

    /// Runs the whole benchmark, printing progress lines through `log`.
    public static func run(_ c: Configuration, log: (String) -> Void) throws -> Outcome {
        var out = Outcome()
        let fm = FileManager.default
        try? fm.removeItem(atPath: c.directory)
        let csvDir = c.directory + "/csv", cacheDir = c.directory + "/cache"

        var t0 = now()
        let dataset = try SyntheticMarket(seed: 7).generate(symbols: c.symbols, from: c.from, to: c.to, interval: .minute)
        out.generateSeconds = now() - t0
        out.bars = dataset.series.reduce(0) { $0 + $1.count }
        log("generated \(dataset.count) symbols × \(c.from)…\(c.to), \(out.bars) minute bars in \(fmt(out.generateSeconds)) s")

        t0 = now()
        try CSVBarWriter.write(dataset, toDirectory: csvDir)
        let csvBytes = try directoryBytes(csvDir, suffix: ".csv")
        log("wrote \(mb(csvBytes)) MB of CSV in \(fmt(now() - t0)) s")
        t0 = now()
        try BarCache.write(dataset, toDirectory: cacheDir)
        let cacheBytes = try directoryBytes(cacheDir, suffix: ".twc")
        log("wrote \(mb(cacheBytes)) MB of cache in \(fmt(now() - t0)) s")

        // One large file: the like-for-like comparison with a single pandas.read_csv (files over 8 MiB parse in parallel chunks).
        let oneFile = csvDir + "/" + dataset.series[0].symbol + ".csv"
        let oneBytes = try directoryBytes(csvDir, suffix: "/" + dataset.series[0].symbol + ".csv", single: oneFile)
        let single = try best(c.runs) { () throws(DataError) in _ = try CSVBarReader.read(path: oneFile) }
        out.measurements.append(Measurement(name: "Tradewind CSV, one file", seconds: single, bytes: oneBytes))

        let all = try best(c.runs) { () throws(DataError) in _ = try CSVBarReader.readDirectory(path: csvDir) }
        out.measurements.append(Measurement(name: "Tradewind CSV, all files, all cores", seconds: all, bytes: csvBytes))

        let cache = try best(c.runs) { () throws(DataError) in _ = try BarCache.readDirectory(cacheDir) }
        out.measurements.append(Measurement(name: "Tradewind cache (verified), all files", seconds: cache, bytes: cacheBytes))
        let cacheFast = try best(c.runs) { () throws(DataError) in _ = try BarCache.readDirectory(cacheDir, verify: false) }
        out.measurements.append(Measurement(name: "Tradewind cache (unverified), all files", seconds: cacheFast, bytes: cacheBytes))

        if c.peers {
            let script = c.repositoryRoot + "/Scripts/bench/pandas_read_dir.py"
            let single = c.directory + "/single"
            try? fm.createDirectory(atPath: single, withIntermediateDirectories: true)
            try? fm.copyItem(atPath: oneFile, toPath: single + "/one.csv")
            for (dir, bytes, label) in [(single, oneBytes, "one file"), (csvDir, csvBytes, "all files")] {
                switch runPython(script: script, arguments: [dir, "1"]) {
                case .success(let lines):
                    for line in lines {
                        let parts = line.split(separator: " ")
                        guard parts.count == 5, let secs = Double(parts[3]) else { continue }
                        out.measurements.append(Measurement(name: "pandas \(parts[1]) \(parts[2]), \(label)", seconds: secs, bytes: bytes))
                    }
                case .failure(let reason):
                    out.notes.append("pandas not measured: \(reason)")
                }
            }
        }
        try? fm.removeItem(atPath: c.directory)
        return out
    }

    /// A table with MB/s and the ratio of each Tradewind row to the matching pandas row.
    public static func format(_ o: Outcome) -> String {
        var lines = ["| reader | seconds | MB/s |", "|---|---:|---:|"]
        for m in o.measurements {
            lines.append("| \(m.name) | \(fmt(m.seconds)) | \(String(format: "%.0f", m.megabytesPerSecond)) |")
        }
        func find(_ prefix: String, _ suffix: String) -> Measurement? {
            o.measurements.first { $0.name.hasPrefix(prefix) && $0.name.hasSuffix(suffix) }
        }
        for (tw, peer) in [("Tradewind CSV, one file", "pandas"), ("Tradewind CSV, all files", "pandas")] {
            let suffix = tw.hasSuffix("one file") ? "one file" : "all files"
            if let a = o.measurements.first(where: { $0.name.hasPrefix(tw) }),
               let b = find(peer, "read_csv+parse_dates, " + suffix) {
                lines.append("")
                lines.append("\(tw): \(String(format: "%.1f", b.seconds / a.seconds))× pandas read_csv with parse_dates (\(suffix))")
            }
        }
        lines.append(contentsOf: o.notes)
        return lines.joined(separator: "\n")
    }

    // MARK: helpers

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    static func fmt(_ s: Double) -> String { String(format: "%.3f", s) }
    static func mb(_ b: Int) -> String { String(format: "%.0f", Double(b) / 1e6) }

    static func best(_ runs: Int, _ body: () throws(DataError) -> Void) throws(DataError) -> Double {
        var b = Double.infinity
        for _ in 0..<max(1, runs) {
            let t = now()
            try body()
            b = min(b, now() - t)
        }
        return b
    }

    static func directoryBytes(_ dir: String, suffix: String, single: String? = nil) throws -> Int {
        let fm = FileManager.default
        if let single { return (try fm.attributesOfItem(atPath: single)[.size] as? Int) ?? 0 }
        return try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(suffix) }.reduce(0) {
            $0 + ((try fm.attributesOfItem(atPath: dir + "/" + $1)[.size] as? Int) ?? 0)
        }
    }
}
