/// Everything that can be wrong with market data, said so that the user can fix it:
/// which file, which line (1-based), which column and value, and what was expected.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case fileNotFound, unreadable, emptyFile, notText, lineTooLong, truncatedGzip
        case missingColumn, tooFewFields, badNumber, badTimestamp, mixedTimezones
        case invalidPrice, duplicateTimestamp, unsorted
        case badCache, unknownSample, unknownSymbol, badOption, io
        /// A non-price value out of its range: negative volume or dividend, split coefficient ≤ 0.
        case invalidValue
    }

    /// An input of the loading API, in its own terms: the one that holds the bad value or that would resolve
    /// the problem. Front ends name their own control for it (the command line adds its flag).
    public enum Input: String, Sendable, Equatable, CaseIterable {
        /// The data source specification (`DataSource(parsing:)`).
        case source
        /// `LoadOptions.symbol`: the symbol of a single file whose name does not tell it.
        case symbol
        /// The symbols a load is restricted to (the `symbols:` argument).
        case symbols
        /// `LoadOptions.interval`, or the interval a generator is asked for.
        case interval
        /// `LoadOptions.label`.
        case label
        /// `LoadOptions.duplicates`.
        case duplicates
        /// The number of symbols a generator is asked for (`SyntheticMarket.generate(symbols:)`).
        case symbolCount
    }

    public let kind: Kind
    /// The file (or sample, or cache) the problem is in.
    public let file: String
    /// 1-based line number, when the problem is on one line.
    public let line: Int?
    /// The column's name as written in the file, when one column is at fault.
    public let column: String?
    /// The offending text or value, shortened to at most 80 characters.
    public let value: String?
    /// What is wrong and what is expected, e.g. "high 10.5 is below low 11.0".
    public let message: String
    /// The input that holds the bad value or would resolve the problem, when one does (`message` says it in words).
    public let input: Input?
    /// The value to give `input` that resolves the problem, when there is one (e.g. `keep-last` for `duplicates`).
    public let suggestion: String?

    public init(_ kind: Kind, file: String, line: Int? = nil, column: String? = nil, value: String? = nil,
                input: Input? = nil, suggestion: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
        self.input = input
        self.suggestion = suggestion
        self.message = message
    }

    /// `file:line: column 'x': value 'v': message`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let column { s += "column '\(column)': " }
        if let value { s += "'\(value)': " }
        return s + message
    }
}
