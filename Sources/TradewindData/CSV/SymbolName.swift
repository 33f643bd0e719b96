/// Inferring a ticker from a market-data file name.
///
/// The rule: strip the directory and the extensions (`.gz`, then `.csv`/`.tsv`/`.txt`); split the rest
/// on `_`, `-` and spaces. If the first part is a data-vendor prefix (`DA`, `WIKI`, `EOD`, `DAILY`,
/// `INTRADAY`, `NT` — Pooksoft/Alpha Vantage `DA-AAPL-T-2021-04-21`, Quandl `WIKI-AAPL-2011-quandl`,
/// NinjaTrader `nt-spy-minute-2011`) and the second part is a valid symbol, that is the symbol;
/// otherwise the first part is. The symbol must start with a letter and contain
/// only letters, digits and `.` (so `BRK.B` keeps its dot), at most 12 characters; it is upper-cased.
/// Examples: `SPY_1min.csv`→SPY, `SPY-2007-yahoofinance.csv`→SPY, `AAPL.csv.gz`→AAPL,
/// `DA-AAPL-T-2021-04-21.csv.gz`→AAPL, `BRK.B.csv`→BRK.B, `WIKI-yhoo-2011-quandl.csv`→YHOO.
/// Names that give no valid symbol (`2011.csv`, `1min.csv`) give nil: pass `LoadOptions.symbol`.
public enum SymbolName {
    static let vendorPrefixes: Set<String> = ["DA", "WIKI", "EOD", "DAILY", "INTRADAY", "NT"]

    public static func infer(fromFileName name: String) -> String? {
        var base = Substring(name.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        for ext in [".gz", ".gzip"] where base.lowercased().hasSuffix(ext) { base = base.dropLast(ext.count) }
        for ext in [".csv", ".tsv", ".txt"] where base.lowercased().hasSuffix(ext) { base = base.dropLast(ext.count) }
        let parts = base.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " }).map { $0.uppercased() }
        guard var candidate = parts.first else { return nil }
        if vendorPrefixes.contains(candidate) && parts.count > 1 && valid(parts[1]) { candidate = parts[1] }
        return valid(candidate) ? candidate : nil
    }

    static func valid(_ candidate: String) -> Bool {
        guard let f = candidate.unicodeScalars.first, f.properties.isAlphabetic, f.isASCII, candidate.count <= 12,
              candidate.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == ".") }),
              !candidate.hasSuffix(".")
        else { return false }
        return true
    }
}
