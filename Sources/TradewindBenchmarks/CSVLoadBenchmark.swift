import Foundation
import TradewindCore
import TradewindData

/// Measures `CSVBarReader` on a large minute-bar CSV (for `tradewind bench data`).
public enum CSVLoadBenchmark {
    /// Writes a deterministic synthetic CSV of `rows` one-minute bars
    /// (`datetime,open,high,low,close,volume`, naive New York stamps, RTH sessions of 390 bars, 2 decimals),
    /// the shape of a typical vendor export. Returns the file size in bytes.
    @discardableResult
    public static func writeSyntheticMinuteCSV(path: String, rows: Int) throws -> Int {
        var out = "datetime,open,high,low,close,volume\n"
        out.reserveCapacity(rows * 56)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var price = 100.0
        var day = CivilDate(year: 2000, month: 1, day: 3)!
        var minute = 0
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        func cents(_ x: Double) -> String {
            let c = Int((x * 100).rounded())
            return "\(c / 100).\(two(c % 100))"
        }
        for _ in 0..<rows {
            let m = 570 + minute
            let stamp = "\(day) \(two(m / 60)):\(two(m % 60)):00"
            let open = price
            price = max(1, price * (1 + (next() - 0.5) * 0.002))
            let hi = max(open, price) * (1 + next() * 0.0005)
            let lo = min(open, price) * (1 - next() * 0.0005)
            let o = cents(open), h = cents(hi), l = cents(lo), c = cents(price)
            // Rounding can push open/close past high/low by a cent: widen the range to stay valid.
            let hv = max(Double(h)!, Double(o)!, Double(c)!), lv = min(Double(l)!, Double(o)!, Double(c)!)
            out += "\(stamp),\(o),\(cents(hv)),\(cents(lv)),\(c),\(Int(next() * 50_000) + 100)\n"
            minute += 1
            if minute == 390 {
                minute = 0
                repeat { day = day.adding(days: 1) } while day.isWeekend
            }
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
        return out.utf8.count
    }

    public struct Result: Sendable {
        public var bytes: Int
        public var bars: Int
        /// Best wall-clock seconds over the runs.
        public var seconds: Double
        /// CPU seconds of the run with the best wall-clock time (robust on a busy machine).
        public var cpuSeconds: Double
        public var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
    }

    /// Reads `path` `runs` times and reports the best time.
    public static func measure(path: String, runs: Int = 5, options: LoadOptions = .init()) throws(DataError) -> Result {
        var best = Double.infinity
        var bestCPU = Double.infinity
        var bars = 0
        func cpu() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            let c0 = cpu()
            let s = try CSVBarReader.read(path: path, options: options)
            let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if t < best { best = t; bestCPU = cpu() - c0 }
            bars = s.count
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Result(bytes: size, bars: bars, seconds: best, cpuSeconds: bestCPU)
    }
}
