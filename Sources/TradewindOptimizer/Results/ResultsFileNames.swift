extension ResultsTableWriter {
    /// The results file of `symbol` in a job over several symbols: `base` with the symbol inserted before the file
    /// name's extension (`r.csv` → `r.SPY.csv`), or appended when the name has none (`r` → `r.SPY`). Characters of the
    /// symbol other than letters, digits, `-` and `_` become `_` (`BRK.B` → `r.BRK_B.csv`).
    public static func perSymbolPath(_ base: String, symbol: String) -> String {
        let safe = String(symbol.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        if let dot = base.lastIndex(of: "."), !base[dot...].contains("/") {
            return String(base[..<dot]) + "." + safe + String(base[dot...])
        }
        return base + "." + safe
    }

    /// The results file of each of a job's symbols: `base` itself for a single symbol, `perSymbolPath` for several.
    /// Throws `OptimizerError.sharedResultsFile` when two symbols would write the same file (`BRK.B` and `BRK_B`).
    public static func symbolPaths(base: String, symbols: [String]) throws(OptimizerError) -> [String: String] {
        guard symbols.count > 1 else { return Dictionary(symbols.map { ($0, base) }, uniquingKeysWith: { a, _ in a }) }
        var paths: [String: String] = [:]
        var owner: [String: String] = [:]
        for symbol in symbols where paths[symbol] == nil {
            let path = perSymbolPath(base, symbol: symbol)
            if let other = owner[path] { throw .sharedResultsFile(path: path, symbols: [other, symbol]) }
            owner[path] = symbol
            paths[symbol] = path
        }
        return paths
    }
}
