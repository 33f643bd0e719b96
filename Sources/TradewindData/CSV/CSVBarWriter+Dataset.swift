import Dispatch
import Foundation
import TradewindCore

extension CSVBarWriter {
    /// Writes every series of `dataset` as `SYMBOL.csv` into `directory` (created if needed), in
    /// parallel, each file atomically. Returns the paths written.
    @discardableResult
    public static func write(_ dataset: MarketDataset, toDirectory directory: String, label: BarLabel = .start) throws(DataError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(.io, file: directory, "cannot create the output directory: \(error.localizedDescription)")
        }
        let paths = dataset.series.map { directory + "/" + String(BarCache.fileName(for: $0.symbol).dropLast(4)) + ".csv" }
        let errors = ParallelResults<DataError>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            do throws(DataError) { try write(dataset.series[i], to: paths[i], label: label) } catch { errors.set(i, error) }
        }
        if let first = errors.first { throw first }
        return paths
    }
}
