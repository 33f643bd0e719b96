import TradewindCore

/// Which instant a file's timestamp names: the start of the bar (Tradewind's own convention) or its end
/// (Alpha Vantage, NinjaTrader and many minute exports: the 09:30–09:31 bar stamped 09:31).
public enum BarLabel: String, Sendable, CaseIterable, Codable {
    case start, end
}

/// What to do when two rows of one series carry the same timestamp.
public enum DuplicatePolicy: String, Sendable, CaseIterable, Codable {
    /// Refuse the file, naming both lines (default).
    case error
    /// Keep the row that appears last in the file.
    case keepLast = "keep-last"
}

/// How market-data files are interpreted. Every command that reads data exposes these as
/// `--tz ZONE`, `--label start|end`, `--duplicates error|keep-last`.
public struct LoadOptions: Sendable, Equatable {
    /// Zone of naive timestamps (those without `Z` or an offset). Default: the exchange's, America/New_York.
    public var zone: ZoneRules
    /// The bar-label convention of intraday timestamps; nil = detect from the data (see the loader's docs).
    /// Daily bars are always labelled by their trading date.
    public var label: BarLabel?
    public var duplicates: DuplicatePolicy
    /// Symbol to use for a single file whose name does not tell it (nil = infer from the file name).
    public var symbol: String?
    /// Bar interval to assume (nil = infer from the spacing of the timestamps).
    public var interval: BarInterval?
    /// The threads loading may use: large files are parsed in parallel chunks, directories and samples a
    /// symbol per worker (each symbol's parsing then gets its share of the budget). Default `.all`, every
    /// core; the values read are the same on any budget.
    public var threads: ThreadBudget

    public init(
        zone: ZoneRules = .newYork, label: BarLabel? = nil, duplicates: DuplicatePolicy = .error,
        symbol: String? = nil, interval: BarInterval? = nil, threads: ThreadBudget = .all
    ) {
        self.zone = zone
        self.label = label
        self.duplicates = duplicates
        self.symbol = symbol
        self.interval = interval
        self.threads = threads
    }
}
