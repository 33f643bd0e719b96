import Foundation
import TradewindCore

/// Reads real market-data CSV files into validated `BarSeries`.
///
/// **Dialects.** Header or none (no header: `date[,time],open,high,low,close[,volume]` by position,
/// see `CSVColumns`); `,`, `;` or tab, detected from the first line (the most frequent); CRLF or LF;
/// a missing final newline; blank lines and lines starting with `#` are skipped; a UTF-8 BOM is
/// ignored; fields may be wrapped in double quotes (a quoted field may not contain the delimiter);
/// gzip files (magic bytes `1f 8b`, any name) are inflated, and a truncated gzip is an error.
///
/// **Timestamps** (see `TimestampParsing` for the forms): naive stamps are wall-clock time in
/// `options.zone` (default America/New_York) and converted to UTC; stamps with `Z` or an offset
/// and epoch numbers are absolute. A file mixing naive and absolute stamps is refused
/// (`mixedTimezones`); offsets that change with DST are fine.
///
/// **Daily bars.** A date-only stamp (and, when the interval is daily or longer, a naive stamp at
/// local midnight) becomes the **session open** of that trading date: 09:30 in `options.zone`,
/// converted to UTC (e.g. 2019-02-15 → 2019-02-15T14:30:00Z). Absolute stamps are kept as written.
///
/// **Intraday bars** are stored by their start: stamps labelled at the bar's end (`options.label`
/// = `.end`, or detected as described on `LabelDetection`) are moved back by one interval.
/// The interval is `options.interval` or inferred: the smallest spacing of consecutive stamps that makes up
/// at least 5 % of all spacings (≥ 20 h or date-only → daily; 5–8 days weekly; 25–35 days monthly).
///
/// **Validation**, each failure a `DataError` naming file, line, column and value: unparsable numbers
/// and stamps, `nan`/`inf`, missing required columns, too few fields, empty or header-only files,
/// prices ≤ 0, high < low, open or close outside [low, high], negative volume or dividend, split ≤ 0,
/// lines over 1 MiB, binary content, duplicate timestamps (unless `options.duplicates` is `.keepLast`,
/// which keeps the row that comes last in the file, or in the last file for `readSymbol`).
/// Rows are always sorted ascending. Volume may be 0; a file without a volume column gets volume 0
/// for every bar (the convention of sources that do not report volume, e.g. the VIX index).
/// Optional columns: empty dividend = 0, empty or 0 split = 1, empty vwap/trade count/adjusted close = NaN.
public enum CSVBarReader {
    /// Reads one file. The symbol is `options.symbol` or inferred from the file name (`SymbolName`).
    public static func read(path: String, options: LoadOptions = .init()) throws(DataError) -> BarSeries {
        try readWithReport(path: path, options: options).series
    }

    /// Reads one file and says how it was interpreted.
    public static func readWithReport(path: String, options: LoadOptions = .init()) throws(DataError)
        -> (series: BarSeries, report: CSVLoadReport) {
        try readSymbolWithReport(paths: [path], options: options)
    }

    /// Reads a file's content from memory (gzip is inflated). `name` is used in errors and, unless
    /// `options.symbol` is set, to infer the symbol.
    public static func read(bytes: some Collection<UInt8>, name: String, options: LoadOptions = .init()) throws(DataError) -> BarSeries {
        let array = Array(bytes)
        return try readRaw(array, name: name, options: options)
    }

    /// Reads a file's content from memory (gzip is inflated).
    public static func read(bytes: UnsafeRawBufferPointer, name: String, options: LoadOptions = .init()) throws(DataError) -> BarSeries {
        if FileBytes.isGzip(bytes) { return try readRaw(Array(bytes), name: name, options: options) }
        let symbol = try symbolFor(name, options: options)
        let raw = try CSVTableParser.parse(bytes.assumingMemoryBound(to: UInt8.self), name: name, options: options)
        return try BarAssembly.assemble(raw, symbol: symbol, options: options).0
    }

    private static func readRaw(_ bytes: [UInt8], name: String, options: LoadOptions) throws(DataError) -> BarSeries {
        let symbol = try symbolFor(name, options: options)
        let data = FileBytes.isGzip(bytes) ? try FileBytes.gunzip(bytes, name: name) : bytes
        let raw = try parse(data, name: name, options: options)
        return try BarAssembly.assemble(raw, symbol: symbol, options: options).0
    }

    /// Reads several files of one symbol (e.g. one per year), merged and sorted; a timestamp present
    /// in more than one file is a duplicate (handled by `options.duplicates`; `.keepLast` keeps the
    /// row from the file listed last). All files must have the same bar interval.
    public static func readSymbol(paths: [String], options: LoadOptions = .init()) throws(DataError) -> BarSeries {
        try readSymbolWithReport(paths: paths, options: options).series
    }

    /// `readSymbol` with the interpretation report.
    public static func readSymbolWithReport(paths: [String], options: LoadOptions = .init()) throws(DataError)
        -> (series: BarSeries, report: CSVLoadReport) {
        guard let firstPath = paths.first else {
            throw DataError(.badOption, file: "", "no files given")
        }
        let symbol = try symbolFor(firstPath, options: options)
        var merged: RawBars?
        var firstInterval: (BarInterval, String)?
        for path in paths {
            let raw = try FileBytes.withContents(path) { (b) throws(DataError) in
                try CSVTableParser.parse(b, name: path, options: options)
            }
            if paths.count > 1 && options.interval == nil {
                var t = raw.time
                t.sort()
                if let iv = BarAssembly.inferInterval(t, allDates: raw.allDates) {
                    if let (fi, fp) = firstInterval, fi != iv {
                        throw DataError(.badOption, file: path,
                                        "bars of \(symbol) are \(iv) here but \(fi) in \(fp); load different intervals separately")
                    }
                    if firstInterval == nil { firstInterval = (iv, path) }
                }
            }
            if merged == nil { merged = raw } else {
                if merged!.sawNaive != raw.sawNaive || merged!.sawAbsolute != raw.sawAbsolute {
                    throw DataError(.mixedTimezones, file: path,
                                    "this file's timestamps are \(raw.stampForm) but \(merged!.files[0])'s are \(merged!.stampForm); use one convention for all files of a symbol")
                }
                merged!.append(raw)
            }
        }
        let (series, report) = try BarAssembly.assemble(merged!, symbol: symbol, options: options)
        return (series, report)
    }

    /// Reads every bar file in a directory (not recursive), a symbol per worker within `options.threads`, grouping files by
    /// their inferred symbol (`SymbolName`; several files of one symbol are merged as in `readSymbol`).
    /// Files ending `.csv`, `.tsv`, `.txt` (optionally `.gz`) are considered; those whose header has no
    /// time/open/high/low/close columns (symbol lists such as `constituents.csv`) are skipped, and so are
    /// files whose symbol cannot be inferred when `symbols` is given. `symbols` restricts the load
    /// (each must be found, else `unknownSymbol`). `options.symbol` is ignored.
    public static func readDirectory(path: String, options: LoadOptions = .init(), symbols: [String]? = nil) throws(DataError) -> MarketDataset {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw DataError(.fileNotFound, file: path, "cannot list directory: \(error.localizedDescription)")
        }
        var groups: [String: [String]] = [:]
        for name in names {
            let lower = name.lowercased()
            let base = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
            guard base.hasSuffix(".csv") || base.hasSuffix(".tsv") || (base.hasSuffix(".txt") && !isDocumentation(base)) else { continue }
            guard let symbol = SymbolName.infer(fromFileName: name) else {
                if symbols != nil { continue }
                throw DataError(.unknownSymbol, file: path + "/" + name, input: .symbol,
                                "cannot tell the symbol from this file name; rename it SYMBOL.csv (or SYMBOL_1min.csv) or read it alone with its symbol given")
            }
            groups[symbol, default: []].append(path + "/" + name)
        }
        if let symbols {
            for s in symbols where groups[s] == nil {
                throw DataError(.unknownSymbol, file: path, value: s,
                                "no file for this symbol here; files found for: \(groups.keys.sorted().joined(separator: " "))")
            }
            groups = groups.filter { symbols.contains($0.key) }
        }
        let work = groups.sorted { $0.key < $1.key }
        // Symbols side by side, each parsing within its share of the budget.
        let share = options.threads.share(among: options.threads.workers(for: work.count))
        let results = options.threads.map(work.count) { i -> Result<BarSeries?, DataError> in
            let (symbol, files) = work[i]
            var opts = options
            opts.symbol = symbol
            opts.threads = share
            do throws(DataError) {
                return .success(try readBarFiles(files, options: opts))
            } catch {
                return .failure(error)
            }
        }
        var series: [BarSeries] = []
        for (i, r) in results.enumerated() {
            switch r {
            case .success(let s?): series.append(s)
            case .success(nil):
                if symbols != nil {
                    throw DataError(.unknownSymbol, file: path, value: work[i].key, "files for this symbol are not bar files (no open/high/low/close header)")
                }
            case .failure(let e): throw e
            }
        }
        return MarketDataset(series)
    }

    /// Like `readSymbol`, but skips files that are not bar files (header without the required columns);
    /// nil when none is.
    private static func readBarFiles(_ files: [String], options: LoadOptions) throws(DataError) -> BarSeries? {
        if files.count == 1 {
            do throws(DataError) {
                return try readSymbol(paths: files, options: options)
            } catch where error.kind == .missingColumn && error.line == 1 {
                return nil
            }
        }
        var usable: [String] = []
        for f in files {
            do throws(DataError) {
                _ = try parseHeaderOnly(f, options: options)
                usable.append(f)
            } catch where error.kind == .missingColumn && error.line == 1 {
                continue
            }
        }
        if usable.isEmpty { return nil }
        return try readSymbol(paths: usable, options: options)
    }

    private static func isDocumentation(_ lowerName: String) -> Bool {
        ["source", "license", "licence", "readme", "notes", "copying"].contains { lowerName.hasPrefix($0) }
    }

    /// Checks a file's first line is a usable header (or data), reading only its beginning when plain text.
    private static func parseHeaderOnly(_ path: String, options: LoadOptions) throws(DataError) {
        let bytes = try FileBytes.load(path)
        var end = bytes.firstIndex(of: 10) ?? bytes.count
        if end > CSVTableParser.maxLineBytes { end = CSVTableParser.maxLineBytes }
        let head = Array(bytes[0..<end])
        var names: [String] = []
        let text = String(decoding: head, as: UTF8.self)
        let delim: Character = text.contains(",") ? "," : (text.contains(";") ? ";" : "\t")
        names = text.split(separator: delim, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let looksLikeHeader = names.contains { $0.first?.isLetter ?? false }
        if looksLikeHeader { _ = try CSVColumns.fromHeader(names, file: path) }
    }

    private static func parse(_ bytes: [UInt8], name: String, options: LoadOptions) throws(DataError) -> RawBars {
        try bytes.withUnsafeBufferPointer { (b) throws(DataError) in try CSVTableParser.parse(b, name: name, options: options) }
    }

    private static func symbolFor(_ name: String, options: LoadOptions) throws(DataError) -> String {
        if let s = options.symbol { return s }
        guard let s = SymbolName.infer(fromFileName: name) else {
            throw DataError(.badOption, file: name, input: .symbol,
                            "cannot tell the symbol from the file name; rename the file SYMBOL.csv or give its symbol, e.g. SPY")
        }
        return s
    }
}
