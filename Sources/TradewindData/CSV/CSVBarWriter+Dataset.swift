import Foundation
import TradewindCore

extension CSVBarWriter {
    /// Writes every series of `dataset` as `SYMBOL.csv` into `directory` (created if needed), a symbol per
    /// worker within `threads` (default: every core), each file atomically. Returns the paths written.
    @discardableResult
    public static func write(_ dataset: MarketDataset, toDirectory directory: String, label: BarLabel = .start,
                             threads: ThreadBudget = .all) throws(DataError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(.io, file: directory, "cannot create the output directory: \(error.localizedDescription)")
        }
        let paths = dataset.series.map { directory + "/" + String(BarCache.fileName(for: $0.symbol).dropLast(4)) + ".csv" }
        _ = try threads.map(paths.count) { (i) throws(DataError) in try write(dataset.series[i], to: paths[i], label: label) }
        return paths
    }
}
