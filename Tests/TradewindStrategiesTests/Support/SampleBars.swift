import Foundation
import TradewindCore
import TradewindData

/// The bundled eqker samples for these tests, loaded through the data layer (`sample:eqker-1m`, `sample:eqker-daily`),
/// and `read`, a deliberately independent minimal reader of the same files (rows `YYYY-MM-DD HH:MM:SS,o,h,l,c,v`,
/// newest first, naive New York times labelling the bar END for intraday files, see SOURCE.txt) that cross-checks
/// the loader's conventions the kernels depend on.
enum SampleBars {
    static let repoRoot: URL = {
        var u = URL(fileURLWithPath: #filePath)
        while u.path != "/" {
            u.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static let eqkerSymbols = ["AAPL", "AMT", "AMZN", "BAC", "BK", "DFS", "GLD", "JPM", "MSFT", "MU", "PPLT", "QQQ",
                               "SBUX", "SLV", "SPY", "TRV", "TSLA", "TZA", "UGA", "VIX", "VOO", "VXXB", "V", "XLP"]

    static func eqkerMinute(_ symbol: String) throws -> BarSeries {
        try DataSource.sample("eqker-1m").load(symbols: [symbol]).series[0]
    }

    static func eqkerDaily(_ symbol: String) throws -> BarSeries {
        try DataSource.sample("eqker-daily").load(symbols: [symbol]).series[0]
    }

    static func read(folder: String, file: String, symbol: String, interval: BarInterval, endLabelSeconds: Int64) throws -> BarSeries {
        let url = repoRoot.appendingPathComponent("Sources/TradewindData/Samples/\(folder)/\(file)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [(UnixNanos, [Double])] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",")
            let stamp = f[0]
            let d = CivilDate(iso: String(stamp.prefix(10)))!
            var secs: Int64 = 0
            if stamp.count >= 19 {
                let hms = stamp.dropFirst(11).split(separator: ":").map { Int64($0)! }
                secs = hms[0] * 3600 + hms[1] * 60 + hms[2]
            }
            let local = Int64(d.daysSinceEpoch) * UnixTime.nanosPerDay + (secs - endLabelSeconds) * UnixTime.nanosPerSecond
            let t = interval.unit == .seconds ? ZoneRules.newYork.utcNanos(fromLocal: local)
                                              : ZoneRules.newYork.utcNanos(fromLocal: local + 570 * UnixTime.nanosPerMinute)
            rows.append((t, f[1...5].map { Double($0)! }))
        }
        rows.sort { $0.0 < $1.0 }
        return BarSeries(symbol: symbol, interval: interval, time: rows.map(\.0), open: rows.map { $0.1[0] },
                         high: rows.map { $0.1[1] }, low: rows.map { $0.1[2] }, close: rows.map { $0.1[3] },
                         volume: rows.map { $0.1[4] })
    }
}
