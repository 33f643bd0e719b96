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
    /// `threads`: with two or more, a helper thread populates each fresh column's pages while the column is read
    /// (`PagePopulation`; the values are the same on any number of threads).
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
    /// once into a new array, in pieces that the payload checksum (`Checksum64.Stream`) reads while they are fresh
    /// in the processor's cache (their pages populated by a helper meanwhile where `threads` allows one), then the
    /// bar times' order.
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
        // `MemoryPolicy.adviseHugePages`), read in pieces that the checksum takes while they are fresh.
        var payload = Checksum64.Stream()
        let piece = 1 << 20
        func column<T: BitwiseCopyable>(at offset: Int, as _: T.Type) throws(DataError) -> [T] {
            var failure: DataError?
            let values = [T](unsafeUninitializedCapacity: n) { buf, initialized in
                initialized = 0
                guard n > 0, let base = buf.baseAddress else { return }
                let bytes = UnsafeMutableRawPointer(base)
                MemoryPolicy.adviseHugePages(bytes, bytes: n * 8)
                var done = 0
                PagePopulation.whilePopulating([(start: bytes, bytes: n * 8)], threads: threads) {
                    while done < n * 8 {
                        let length = min(piece, n * 8 - done)
                        do throws(DataError) { try raw.copy(to: bytes + done, length: length, from: offset + done) } catch {
                            failure = error
                            return
                        }
                        if verify { payload.add(UnsafeRawBufferPointer(start: bytes + done, count: length)) }
                        done += length
                    }
                }
                guard failure == nil else { return }
                initialized = n
            }
            if let failure { throw failure }
            if verify && columnBytes > n * 8 {
                try bytes(columnBytes - n * 8, from: offset + n * 8).withUnsafeBytes { payload.add($0) }
            }
            return values
        }
        var columns = [[Double]?](repeating: nil, count: BarCacheFormat.columnCount)
        var time: [Int64] = []
        for (k, bit) in present.enumerated() {
            let offset = headerLength + k * columnBytes
            if bit == 0 { time = try column(at: offset, as: Int64.self) } else { columns[bit] = try column(at: offset, as: Double.self) }
        }
        if verify {
            guard load(48, UInt64.self) == payload.finish() else { throw bad("data checksum mismatch (the file is corrupted)") }
        }
        // The series contract every consumer relies on (binary searches, bar arithmetic): start times strictly
        // ascending, inside the years the loaders accept. Checksums alone do not ensure it: a file that passes
        // them may come from another program, or from a `verify: false` read of a damaged file.
        var previous = Int64.min
        for (k, t) in time.enumerated() {
            guard t > previous, TimestampParsing.instantRange.contains(t) else {
                throw bad(t > previous ? "bar \(k) starts at \(t) ns, outside the years 1678 to 2261"
                                       : "bar times are not strictly ascending at bar \(k)")
            }
            previous = t
        }
        return BarSeries(
            symbol: symbol, interval: interval, time: time,
            open: columns[1]!, high: columns[2]!, low: columns[3]!, close: columns[4]!, volume: columns[5]!,
            vwap: columns[6], tradeCount: columns[7], dividend: columns[8], splitCoefficient: columns[9],
            sourceAdjustedClose: columns[10])
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
