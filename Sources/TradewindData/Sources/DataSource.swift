import Foundation
import TradewindCore

/// Where market data comes from. Every command's `--data` takes one of these spellings:
///
/// - `sample:NAME`: a bundled sample (`tradewind data list`), read with its known conventions;
/// - a CSV file (optionally `.gz`);
/// - a directory of per-symbol CSV files (several files of one symbol, e.g. one per year, are merged);
/// - a Tradewind cache: a directory of `.twc` files written by `tradewind data import`, or one `.twc` file;
/// - `SCHEME:SPEC` for a scheme a higher layer registered with `DataSourceSchemes` (e.g. `provider:`, market data
///   fetched from a provider into a cache).
public enum DataSource: Sendable, Equatable, CustomStringConvertible {
    case sample(String)
    case file(String)
    case directory(String)
    case cache(String)
    /// A source read by the loader registered for `scheme` (`DataSourceSchemes`).
    case registered(scheme: String, spec: String)

    /// Interprets a `--data` argument. Paths must exist; samples must be known.
    public init(parsing spec: String) throws(DataError) {
        if spec.hasPrefix("sample:") {
            let name = String(spec.dropFirst("sample:".count))
            _ = try SampleCatalog.named(name)
            self = .sample(name)
            return
        }
        if let colon = spec.firstIndex(of: ":"), let loader = DataSourceSchemes.loader(for: String(spec[..<colon])) {
            let rest = String(spec[spec.index(after: colon)...])
            try loader.validate(rest)
            self = .registered(scheme: String(spec[..<colon]), spec: rest)
            return
        }
        var isDir: ObjCBool = false
        guard !spec.isEmpty, FileManager.default.fileExists(atPath: spec, isDirectory: &isDir) else {
            throw DataError(.fileNotFound, file: spec.isEmpty ? "data source ''" : spec, input: .source,
                            "no such file or directory; a data source is a CSV file, a directory of CSV files, a cache directory, or sample:NAME with NAME a bundled sample")
        }
        if isDir.boolValue {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: spec)) ?? []
            self = entries.contains { $0.hasSuffix("." + BarCache.fileExtension) } ? .cache(spec) : .directory(spec)
        } else {
            self = BarCache.isCacheFile(spec) ? .cache(spec) : .file(spec)
        }
    }

    public var description: String {
        switch self {
        case .sample(let n): return "sample:" + n
        case .file(let p), .directory(let p), .cache(let p): return p
        case .registered(let scheme, let spec): return scheme + ":" + spec
        }
    }

    /// Loads the data, optionally only `symbols`.
    ///
    /// For samples the sample's own conventions (zone, bar label, symbol) apply; `options` contributes
    /// its duplicate policy and thread budget only. For files and directories `options` applies as given;
    /// a cache directory is read within `options.threads`.
    public func load(_ options: LoadOptions = LoadOptions(), symbols: [String]? = nil) throws(DataError) -> MarketDataset {
        switch self {
        case .sample(let name):
            let sample = try SampleCatalog.named(name)
            var groups = try sample.files()
            if let symbols {
                let available = groups.map(\.symbol)
                for s in symbols where !available.contains(s) {
                    throw DataError(.unknownSymbol, file: description, value: s,
                                    "not in this sample; it has: " + available.joined(separator: " "))
                }
                groups = groups.filter { symbols.contains($0.symbol) }
            }
            let jobs = groups
            var opts = sample.options
            opts.duplicates = options.duplicates
            // Symbols side by side, each parsing within its share of the budget.
            opts.threads = options.threads.share(among: options.threads.workers(for: jobs.count))
            let baseOptions = opts
            return MarketDataset(try options.threads.map(jobs.count) { (i) throws(DataError) -> BarSeries in
                var o = baseOptions
                o.symbol = jobs[i].symbol
                return try CSVBarReader.readSymbol(paths: jobs[i].paths, options: o)
            })
        case .file(let path):
            let series = try CSVBarReader.read(path: path, options: options)
            if let symbols, !symbols.contains(series.symbol) {
                throw DataError(.unknownSymbol, file: path, value: symbols.joined(separator: ","), input: .symbols, suggestion: series.symbol,
                                "this file holds \(series.symbol) only (ask for \(series.symbol), or name the file's symbol with its file name)")
            }
            return MarketDataset([series])
        case .directory(let path):
            return try CSVBarReader.readDirectory(path: path, options: options, symbols: symbols)
        case .cache(let path):
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            if isDir.boolValue { return try BarCache.readDirectory(path, symbols: symbols, threads: options.threads) }
            let series = try BarCache.read(path: path)
            if let symbols, !symbols.contains(series.symbol) {
                throw DataError(.unknownSymbol, file: path, value: symbols.joined(separator: ","), "this cache file holds \(series.symbol) only")
            }
            return MarketDataset([series])
        case .registered(let scheme, let spec):
            guard let loader = DataSourceSchemes.loader(for: scheme) else {
                throw DataError(.badOption, file: description, input: .source, "no loader is registered for '\(scheme):' in this program")
            }
            return try loader.load(spec, options: options, symbols: symbols)
        }
    }
}
