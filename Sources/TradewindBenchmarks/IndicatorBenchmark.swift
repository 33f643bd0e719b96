import Foundation
import TradewindCore
import TradewindIndicators

/// Times the core indicators on one synthetic 1,000,000-bar series through Tradewind and, in the same run,
/// through Python TA-Lib (C) when `python3` with `talib` is available (for `tradewind bench indicators`).
public enum IndicatorBenchmark {
    /// The indicators compared, with the TA-Lib call the peer script makes for each (default parameters).
    public static let core = ["SMA", "EMA", "RSI", "BBANDS", "MACD", "ATR", "ADX", "STOCH", "CCI", "OBV", "VWAP"]

    public struct Row: Sendable {
        public var name: String
        /// Best of the runs, milliseconds.
        public var tradewindMs: Double
        public var talibMs: Double?
        /// TA-Lib time / Tradewind time (> 1: Tradewind is faster).
        public var speedup: Double? { talibMs.map { $0 / tradewindMs } }
    }

    public struct Report: Sendable {
        public var bars: Int
        public var rows: [Row]
        /// Why the TA-Lib column is empty, when it is.
        public var peerNote: String?

        public func table() -> String {
            var lines = ["indicator    Tradewind ms   TA-Lib ms   ratio (TA-Lib/Tradewind)   [\(bars) bars]"]
            for r in rows {
                let name = r.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                let tw = String(format: "%12.2f", r.tradewindMs)
                let ta = r.talibMs.map { String(format: "%11.2f", $0) } ?? "          -"
                let ratio = r.speedup.map { String(format: "%8.2fx", $0) } ?? "        -"
                lines.append("\(name) \(tw) \(ta)   \(ratio)")
            }
            if let peerNote { lines.append("TA-Lib: \(peerNote)") }
            return lines.joined(separator: "\n")
        }
    }

    /// A deterministic random-walk OHLCV series (RTH-like sessions of 390 bars), columns open…volume, session.
    public static func syntheticSeries(bars: Int) -> [[Double]] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var cols = [[Double]](repeating: [Double](repeating: 0, count: bars), count: 6)
        var price = 100.0
        for i in 0..<bars {
            let open = price
            price = max(1, price * (1 + (next() - 0.5) * 0.002))
            cols[0][i] = open
            cols[1][i] = max(open, price) * (1 + next() * 0.0005)
            cols[2][i] = min(open, price) * (1 - next() * 0.0005)
            cols[3][i] = price
            cols[4][i] = Double(Int(next() * 50_000) + 100)
            cols[5][i] = Double(i / 390)
        }
        return cols
    }

    /// Runs every core indicator `runs` times on `bars` bars; the peer (if found) runs on the same bytes.
    public static func run(bars: Int = 1_000_000, runs: Int = 5, python: String = "python3") throws -> Report {
        let cols = syntheticSeries(bars: bars)
        var rows: [Row] = []
        for name in core {
            let d = try IndicatorRegistry.descriptor(named: name)
            let inputs = d.inputs.map { input -> [Double] in
                switch input.column {
                case .open: cols[0]
                case .high: cols[1]
                case .low: cols[2]
                case .close: cols[3]
                case .volume: cols[4]
                default: cols[5]
                }
            }
            var best = Double.infinity
            for _ in 0..<max(1, runs) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let out = try d.compute(inputs)
                let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                precondition(out[0].count == bars)
                best = min(best, t)
            }
            rows.append(Row(name: name, tradewindMs: best, talibMs: nil))
        }
        var note: String?
        do {
            let peer = try runPeer(cols: cols, runs: runs, python: python)
            for k in rows.indices { rows[k].talibMs = peer[rows[k].name] }
        } catch {
            note = "skipped (\(error))"
        }
        return Report(bars: bars, rows: rows, peerNote: note)
    }

    struct PeerError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes the series as raw float64 columns, runs the peer script, parses `name ms` lines.
    static func runPeer(cols: [[Double]], runs: Int, python: String) throws -> [String: Double] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataURL = dir.appendingPathComponent("series.f64")
        var bytes = Data()
        for c in cols.prefix(5) { c.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        try bytes.write(to: dataURL)
        let scriptURL = dir.appendingPathComponent("talib_peer.py")
        try peerScript.write(to: scriptURL, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, scriptURL.path, dataURL.path, String(cols[0].count), String(runs)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw PeerError(description: "\(python) not found") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = errText.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            throw PeerError(description: last.contains("talib") ? "Python TA-Lib (talib) is not installed" : last)
        }
        var result: [String: Double] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let ms = Double(parts[1]) { result[String(parts[0])] = ms }
        }
        return result
    }

    /// The peer: TA-Lib's C functions through the Python wrapper, default parameters, best of N runs.
    static let peerScript = """
        import sys, time
        import numpy as np
        import talib
        path, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        o, h, l, c, v = np.fromfile(path, dtype=np.float64).reshape(5, n)
        calls = {
            "SMA": lambda: talib.SMA(c), "EMA": lambda: talib.EMA(c), "RSI": lambda: talib.RSI(c),
            "BBANDS": lambda: talib.BBANDS(c), "MACD": lambda: talib.MACD(c), "ATR": lambda: talib.ATR(h, l, c),
            "ADX": lambda: talib.ADX(h, l, c), "STOCH": lambda: talib.STOCH(h, l, c), "CCI": lambda: talib.CCI(h, l, c),
            "OBV": lambda: talib.OBV(c, v), "VWAP": lambda: talib.VWAP(h, l, c, v),
        }
        for name, f in calls.items():
            best = float("inf")
            for _ in range(runs):
                t0 = time.perf_counter(); f(); best = min(best, time.perf_counter() - t0)
            print(name, best * 1e3)
        """
}
