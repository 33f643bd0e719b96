import ArgumentParser
import TradewindCore
import TradewindData

extension BarLabel: ExpressibleByArgument {}
extension DuplicatePolicy: ExpressibleByArgument {}
extension AdjustmentMode: ExpressibleByArgument {}

/// How files are read: the options every data-reading command accepts.
struct LoadingOptions: ParsableArguments {
    @Option(name: .customLong("tz"), help: "Time zone of naive timestamps (IANA name). Default: America/New_York.")
    var zone: String?

    @Option(help: "Bar-label convention of intraday timestamps: start or end. Default: detect (see README).")
    var label: BarLabel?

    @Option(help: "Rows with the same timestamp: error or keep-last.")
    var duplicates: DuplicatePolicy = .error

    @Option(help: "Corporate-action view: raw (as traded), split, or split-dividend (total-return prices).")
    var adjust: AdjustmentMode = .raw

    /// Applies `--adjust` to every series of `dataset`.
    func adjusted(_ dataset: MarketDataset) -> MarketDataset {
        adjust == .raw ? dataset : MarketDataset(dataset.series.map { $0.adjusted(adjust) })
    }

    func loadOptions(symbol: String? = nil) throws -> LoadOptions {
        LoadOptions(
            zone: try zone.map { z throws(ZoneError) in try ZoneRules.named(z) } ?? .newYork,
            label: label, duplicates: duplicates, symbol: symbol)
    }
}

/// `--data` plus the loading options.
struct DataOptions: ParsableArguments {
    @Option(help: "Market data: a CSV file, a directory of CSV files, a cache directory, sample:NAME, or provider:NAME:SYMBOLS:FROM:TO[:INTERVAL].")
    var data: String

    @OptionGroup var loading: LoadingOptions

    /// Loads the data (only `symbols` when given) within `threads` (a command's `--threads`, else every core).
    func load(symbols: [String]? = nil, threads: ThreadBudget = .all) throws -> MarketDataset {
        let source = try DataSource(parsing: data)
        var options = try loading.loadOptions()
        options.threads = threads
        return loading.adjusted(try source.load(options, symbols: symbols))
    }
}
