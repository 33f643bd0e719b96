import Dispatch
import Foundation
import TradewindCore

extension SyntheticMarket {
    /// How `tradewind data synth` stores what it generates.
    public enum OutputFormat: String, Sendable, CaseIterable {
        /// The binary columnar cache: `SYMBOL.twc` per symbol (`BarCache`).
        case cache
        /// Plain CSV: `SYMBOL.csv` per symbol (`CSVBarWriter`, UTC bar-start stamps).
        case csv
    }

    /// Writes `dataset` into `directory` (created if needed), one file per symbol, in parallel.
    /// Returns the paths written, in symbol order.
    @discardableResult
    public static func write(_ dataset: MarketDataset, toDirectory directory: String, format: OutputFormat)
        throws(DataError) -> [String]
    {
        switch format {
        case .cache:
            return try BarCache.write(dataset, toDirectory: directory)
        case .csv:
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DataError(.io, file: directory, "cannot create the output directory: \(error.localizedDescription)")
            }
            let series = dataset.series
            let paths = series.map { directory + "/" + $0.symbol + ".csv" }
            let errors = ParallelResults<DataError>(count: series.count)
            DispatchQueue.concurrentPerform(iterations: series.count) { i in
                do throws(DataError) { try CSVBarWriter.write(series[i], to: paths[i]) } catch { errors.set(i, error) }
            }
            if let first = errors.first { throw first }
            return paths
        }
    }
}
