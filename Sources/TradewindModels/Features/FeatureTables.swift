import TradewindCore

extension UniversalFeatures {
    /// The feature tables of `dataset`'s series named in `symbols` (every series when nil), in the dataset's
    /// order. A symbol not in the dataset is an error naming the ones it has.
    public static func compute(_ dataset: MarketDataset, symbols: [String]? = nil) throws(ModelError) -> [FeatureTable] {
        let available = dataset.series.map(\.symbol)
        if let symbols, let missing = symbols.first(where: { !available.contains($0) }) {
            throw .invalidSetting(name: "symbols", value: missing, expected: "one of \(available.joined(separator: ", "))")
        }
        var tables: [FeatureTable] = []
        for s in dataset.series where symbols?.contains(s.symbol) ?? true { tables.append(try compute(s)) }
        return tables
    }
}
