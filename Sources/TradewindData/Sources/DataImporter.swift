import TradewindCore

/// `tradewind data import`: reads any mix of CSV files, directories, caches and samples and writes one
/// cache directory. Plain CSV files of the same symbol (e.g. one per year) are merged into one series.
public enum DataImporter {
    /// What an import wrote.
    public struct Summary: Sendable, Equatable {
        public let symbols: [String]
        public let bars: Int
        public let paths: [String]
    }

    /// Loads every input and writes `SYMBOL.twc` files into `directory` (atomically, in parallel).
    /// The same symbol arriving from two different inputs (other than plain files of that symbol) is an
    /// error, so an import never silently overwrites one source's bars with another's.
    public static func importData(_ inputs: [String], options: LoadOptions, to directory: String) throws(DataError) -> Summary {
        guard !inputs.isEmpty else { throw DataError(.badOption, file: directory, "name at least one input to import") }
        var merged = MarketDataset([])
        var origin: [String: String] = [:]
        var filesBySymbol: [String: [String]] = [:]
        var fileOrder: [String] = []
        for input in inputs {
            let source = try DataSource(parsing: input)
            if case .file(let path) = source {
                let symbol = options.symbol ?? SymbolName.infer(fromFileName: path)
                guard let symbol else {
                    throw DataError(.badOption, file: path, input: .symbol,
                                    "cannot tell the symbol from the file name; rename it SYMBOL.csv (e.g. SPY.csv or SPY_1min.csv)")
                }
                if filesBySymbol[symbol] == nil { fileOrder.append(symbol) }
                filesBySymbol[symbol, default: []].append(path)
                continue
            }
            for s in try source.load(options).series {
                if let earlier = origin[s.symbol] {
                    throw DataError(.badOption, file: input, value: s.symbol,
                                    "this symbol also comes from \(earlier); import them into different directories")
                }
                origin[s.symbol] = input
                merged.insert(s)
            }
        }
        for symbol in fileOrder {
            let paths = filesBySymbol[symbol]!
            if let earlier = origin[symbol] {
                throw DataError(.badOption, file: paths[0], value: symbol,
                                "this symbol also comes from \(earlier); import them into different directories")
            }
            var o = options
            o.symbol = symbol
            merged.insert(try CSVBarReader.readSymbol(paths: paths, options: o))
        }
        let paths = try BarCache.write(merged, toDirectory: directory)
        return Summary(symbols: merged.symbols, bars: merged.series.reduce(0) { $0 + $1.count }, paths: paths)
    }
}
