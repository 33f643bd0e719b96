import Foundation
import TradewindCore

/// The binary columnar cache: one `SYMBOL.twc` file per series (layout in `BarCacheFormat`),
/// written atomically and read with its checksums verified, each column read once straight into its array.
///
/// A directory holding `.twc` files is a cache; `DataSource` recognises it, so every command that
/// takes `--data` reads a cache transparently. `tradewind data import FILES… --out DIR` writes one.
public enum BarCache {
    public static let fileExtension = "twc"

    // MARK: Writing

    /// Writes one series to `path` atomically (temporary file + rename).
    public static func write(_ series: BarSeries, to path: String) throws(DataError) {
        let symbolBytes = Array(series.symbol.utf8)
        guard !symbolBytes.isEmpty, symbolBytes.count <= 255 else {
            throw DataError(.badOption, file: path, value: series.symbol, "a symbol must be 1 to 255 bytes of UTF-8")
        }
        let columns = doubleColumns(of: series)
        var mask: UInt32 = 1
        for (bit, column) in columns.enumerated() where column != nil { mask |= 1 << UInt32(bit + 1) }
        let n = series.count
        let headerLength = BarCacheFormat.headerLength(symbolBytes: symbolBytes.count)
        let columnBytes = BarCacheFormat.padded(n * 8)
        let zeros = [UInt8](repeating: 0, count: 64)

        // Payload checksum: hash the payload exactly as it will be laid out.
        var payload = [UInt8]()
        payload.reserveCapacity(columnBytes * (1 + columns.count { $0 != nil }))
        func appendColumn(_ raw: UnsafeRawBufferPointer) {
            payload.append(contentsOf: raw)
            payload.append(contentsOf: zeros[0..<(columnBytes - raw.count)])
        }
        series.time.withUnsafeBytes { appendColumn($0) }
        for column in columns { column?.withUnsafeBytes { appendColumn($0) } }
        let payloadChecksum = payload.withUnsafeBytes { Checksum64.hash($0) }

        var header = [UInt8](repeating: 0, count: headerLength)
        func put<T: FixedWidthInteger>(_ v: T, at offset: Int) {
            withUnsafeBytes(of: v.littleEndian) { b in
                for i in 0..<b.count { header[offset + i] = b[i] }
            }
        }
        for (i, b) in BarCacheFormat.magic.enumerated() { header[i] = b }
        put(BarCacheFormat.version, at: 8)
        put(UInt32(headerLength), at: 12)
        put(Int64(n), at: 16)
        put(mask, at: 24)
        header[28] = BarCacheFormat.unitCode(series.interval.unit)
        put(Int64(series.interval.count), at: 32)
        put(UInt16(symbolBytes.count), at: 40)
        put(payloadChecksum, at: 48)
        for (i, b) in symbolBytes.enumerated() { header[64 + i] = b }
        put(headerChecksum(header, symbolLength: symbolBytes.count), at: 56)

        try AtomicFile.write(to: path) { (sink) throws(DataError) in
            let r1: Result<Void, DataError> = header.withUnsafeBytes { b in Result { () throws(DataError) in try sink(b) } }
            try r1.get()
            let r2: Result<Void, DataError> = payload.withUnsafeBytes { b in Result { () throws(DataError) in try sink(b) } }
            try r2.get()
        }
    }

    /// Writes every series of `dataset` into `directory` (created if needed) as `SYMBOL.twc`,
    /// a symbol per worker within `threads` (default: every core). Returns the paths written.
    @discardableResult
    public static func write(_ dataset: MarketDataset, toDirectory directory: String,
                             threads: ThreadBudget = .all) throws(DataError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(.io, file: directory, "cannot create the output directory: \(error.localizedDescription)")
        }
        let paths = dataset.series.map { directory + "/" + fileName(for: $0.symbol) }
        _ = try threads.map(paths.count) { (i) throws(DataError) in try write(dataset.series[i], to: paths[i]) }
        return paths
    }

    /// The file name for a symbol (`/` and other path characters are replaced by `_`).
    public static func fileName(for symbol: String) -> String {
        let safe = symbol.map { c -> Character in
            c == "/" || c == "\\" || c == ":" || c == "\0" ? "_" : c
        }
        return String(safe) + "." + fileExtension
    }

    // MARK: Reading

    /// True when `path` starts with the cache magic bytes.
    public static func isCacheFile(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 8)) ?? Data()
        return Array(head) == BarCacheFormat.magic
    }

    /// Reads one cache file. With `verify` (the default) both checksums are checked, so a corrupted or
    /// truncated file is reported instead of read. Each column is read once, straight into its array.
    ///
    /// `threads`: with two or more and an idle core, a helper thread reads a large file's later columns while this
    /// one reads the first (or, for a small file, populates each fresh column's pages while it is read,
    /// `PagePopulation`); the values and errors are the same on any number of threads.
    public static func read(path: String, verify: Bool = true, threads: ThreadBudget = .single) throws(DataError) -> BarSeries {
        try decode(ReadOnlyFile(path: path), path: path, verify: verify, threads: threads)
    }

    /// Reads every `.twc` file of `directory` (or only those of `symbols`), a file per worker within `threads`
    /// (default: every core); threads left over per file populate its columns' pages (`read`).
    public static func readDirectory(_ directory: String, symbols: [String]? = nil, verify: Bool = true,
                                     threads: ThreadBudget = .all) throws(DataError) -> MarketDataset {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix("." + fileExtension) && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError(.unreadable, file: directory, "cannot list the directory: \(error.localizedDescription)")
        }
        var selected = names
        if let symbols {
            let wanted = Dictionary(symbols.map { (fileName(for: $0), $0) }, uniquingKeysWith: { a, _ in a })
            for (name, symbol) in wanted where !names.contains(name) {
                throw DataError(.unknownSymbol, file: directory, value: symbol,
                                "no cache file for this symbol; the cache has \(names.count) symbols (see `tradewind data info`)")
            }
            selected = names.filter { wanted[$0] != nil }
        }
        let paths = selected.map { directory + "/" + $0 }
        let perFile = threads.share(among: paths.count)
        return MarketDataset(try threads.map(paths.count) { (i) throws(DataError) -> BarSeries in
            try read(path: paths[i], verify: verify, threads: perFile)
        })
    }

    /// Decodes a cache image (a file, or bytes in memory): header fields and checksum first, then each column read
    /// once into a new array, in pieces that the payload checksum (`Checksum64.Stream`) and the bar times' check read
    /// while they are fresh in the processor's cache. Where `threads` allows a helper and a core is idle, a large
    /// file's later columns are read on the helper meanwhile (and checksummed after it), or else the columns' pages
    /// are populated by one.
    static func decode(_ raw: some CacheBytes, path: String, verify: Bool, threads: ThreadBudget = .single) throws(DataError) -> BarSeries {
        func bad(_ message: String) -> DataError { DataError(.badCache, file: path, message + "; re-create it with `tradewind data import`") }
        let size = raw.count
        /// `length` bytes of the image from `offset`, as an array.
        func bytes(_ length: Int, from offset: Int) throws(DataError) -> [UInt8] {
            var b = [UInt8](repeating: 0, count: length)
            let r: Result<Void, DataError> = b.withUnsafeMutableBytes { p in
                Result { () throws(DataError) in if length > 0 { try raw.copy(to: p.baseAddress!, length: length, from: offset) } }
            }
            try r.get()
            return b
        }
        let head = try bytes(min(size, 64), from: 0)
        guard size >= 8, Array(head[0..<8]) == BarCacheFormat.magic else {
            throw bad("not a Tradewind cache file (bad magic bytes)")
        }
        guard size >= 64 else { throw bad("file is too short to be a Tradewind cache (\(size) bytes)") }
        func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            head.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }
        let version = load(8, UInt32.self)
        guard version == BarCacheFormat.version else {
            throw bad("cache format version \(version) is not supported by this Tradewind (it reads version \(BarCacheFormat.version))")
        }
        let headerLength = Int(load(12, UInt32.self))
        let count64 = load(16, Int64.self)
        let mask = load(24, UInt32.self)
        let unit = head[28]
        let intervalCount = load(32, Int64.self)
        let symbolLength = Int(load(40, UInt16.self))
        guard headerLength >= 64, headerLength % 64 == 0, headerLength <= size,
              symbolLength > 0, 64 + symbolLength <= headerLength else { throw bad("corrupted header") }
        let symbolBytes = try bytes(symbolLength, from: 64)
        if verify {
            let stored = load(56, UInt64.self)
            let actual = (Array(head[0..<56]) + symbolBytes).withUnsafeBytes { Checksum64.hash($0) }
            guard stored == actual else { throw bad("header checksum mismatch (the file is corrupted)") }
        }
        guard mask & BarCacheFormat.requiredMask == BarCacheFormat.requiredMask, mask & ~BarCacheFormat.knownMask == 0 else {
            throw bad("unknown column set \(String(mask, radix: 2))")
        }
        guard count64 >= 0, count64 < Int64(Int32.max) * 64 else { throw bad("implausible bar count \(count64)") }
        let n = Int(count64)
        let columnBytes = BarCacheFormat.padded(n * 8)
        let present = (0..<BarCacheFormat.columnCount).filter { mask & (1 << UInt32($0)) != 0 }
        let expected = headerLength + present.count * columnBytes
        guard size == expected else {
            throw bad("file has \(size) bytes but its header promises \(expected) (truncated or extended)")
        }
        guard let interval = BarCacheFormat.interval(unit: unit, count: intervalCount) else {
            throw bad("unknown interval (unit \(unit), count \(intervalCount))")
        }
        guard let symbol = String(validating: symbolBytes, as: UTF8.self) else {
            throw bad("symbol is not valid UTF-8")
        }
        // The columns in file order, each a fresh allocation written once (huge pages asked for first,
        // `MemoryPolicy.adviseHugePages`), read in pieces that the checksum takes while they are fresh. Where
        // `threads` allows a helper and a core is idle (`PagePopulation.helperAllowed`), a large file's later
        // columns are read on the helper at the same time (copying from the page cache into fresh pages is about
        // half of a large read, and it runs as fast again on a second core); the checksum, which takes the payload
        // in file order, reads them after the helper is done. The values and errors do not depend on the split.
        let columns = present.enumerated().map { k, bit in (bit: bit, offset: headerLength + k * columnBytes) }
        let large = n * 8 * columns.count >= 8 << 20
        let split = columns.count >= 2 && large && PagePopulation.helperAllowed(threads) ? (columns.count + 1) / 2 : columns.count
        let state = ColumnReads(columns: columns.count)
        /// Adds the padding bytes after column `k`'s values (up to the next 64-byte boundary) to the checksum.
        @Sendable func addPadding(of k: Int, from raw: some CacheBytes, to payload: inout Checksum64.Stream) throws(DataError) {
            let length = columnBytes - n * 8
            guard length > 0 else { return }
            let padding = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
            defer { padding.deallocate() }
            try raw.copy(to: padding.baseAddress!, length: length, from: columns[k].offset + n * 8)
            payload.add(UnsafeRawBufferPointer(padding))
        }
        let source = UncheckedSendable(raw)
        // Part 0: the first `split` columns, checksummed and time-checked piece by piece; part 1 (the helper): the rest.
        (split < columns.count ? ThreadBudget(2) : .single).forEach(split < columns.count ? 2 : 1) { part in
            let range = part == 0 ? 0..<split : split..<columns.count
            // With the later columns on a helper, no page-population helper besides.
            let populate = split < columns.count ? ThreadBudget.single : threads
            for k in range {
                let bit = columns[k].bit
                func visit(_ piece: UnsafeRawBufferPointer, _ firstBar: Int) {
                    guard part == 0 else { return }
                    if verify { state.payload.add(piece) }
                    if bit == 0 { state.timeCheck.check(piece, firstBar: firstBar) }
                }
                do throws(DataError) {
                    if bit == 0 {
                        state.time = try readColumn(source.value, at: columns[k].offset, count: n, as: Int64.self, threads: populate, visit)
                    } else {
                        state.doubles[bit] = try readColumn(source.value, at: columns[k].offset, count: n, as: Double.self,
                                                            threads: populate, visit)
                    }
                    // The column's padding follows its values in the payload.
                    if part == 0 && verify { try addPadding(of: k, from: source.value, to: &state.payload) }
                } catch {
                    state.failures[k] = error
                    return
                }
            }
        }
        if let failure = state.failures.compactMap({ $0 }).first { throw failure }
        if verify {
            for k in split..<columns.count {
                if columns[k].bit == 0 {
                    state.time.withUnsafeBytes { state.payload.add($0) }
                } else {
                    state.doubles[columns[k].bit]?.withUnsafeBytes { state.payload.add($0) }
                }
                try addPadding(of: k, from: raw, to: &state.payload)
            }
            guard load(48, UInt64.self) == state.payload.finish() else { throw bad("data checksum mismatch (the file is corrupted)") }
        }
        // The series contract every consumer relies on (binary searches, bar arithmetic): start times strictly
        // ascending, inside the years the loaders accept. Checksums alone do not ensure it: a file that passes
        // them may come from another program, or from a `verify: false` read of a damaged file.
        if let fault = state.timeCheck.fault {
            throw bad(fault.ascending ? "bar \(fault.bar) starts at \(fault.time) ns, outside the years 1678 to 2261"
                                      : "bar times are not strictly ascending at bar \(fault.bar)")
        }
        let time = state.time, doubles = state.doubles
        return BarSeries(
            symbol: symbol, interval: interval, time: time,
            open: doubles[1]!, high: doubles[2]!, low: doubles[3]!, close: doubles[4]!, volume: doubles[5]!,
            vwap: doubles[6], tradeCount: doubles[7], dividend: doubles[8], splitCoefficient: doubles[9],
            sourceAdjustedClose: doubles[10])
    }

    /// The optional double columns after time, in bit order 1…10.
    static func doubleColumns(of s: BarSeries) -> [[Double]?] {
        [s.open, s.high, s.low, s.close, s.volume, s.vwap, s.tradeCount, s.dividend, s.splitCoefficient, s.sourceAdjustedClose]
    }

    static func headerChecksum(_ header: [UInt8], symbolLength: Int) -> UInt64 {
        var bytes = Array(header[0..<56])
        bytes.append(contentsOf: header[64..<(64 + symbolLength)])
        return bytes.withUnsafeBytes { Checksum64.hash($0) }
    }
}
