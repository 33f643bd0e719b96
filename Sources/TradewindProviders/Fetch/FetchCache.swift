import Foundation
import TradewindCore
import TradewindData

/// The cache `tradewind data fetch` writes: a Tradewind cache directory (`SYMBOL.twc`, readable by every `--data`)
/// plus, per symbol, `SYMBOL.fetch.json` saying which range was fetched, when, from which provider, and what the
/// `.twc` file held then (bar count, first and last instant).
///
/// Only what is missing is fetched: the part of a request before the cached range and the part after it. Recent
/// data ages: once `ttl` has passed since a fetch whose range reached that fetch's last day, the last session is
/// fetched again (it may have been partial). Files are written atomically, the `.twc` before its record, so an
/// interrupted fetch leaves every symbol's files consistent. The two files are one commit: the new record is first
/// written beside the old one as `SYMBOL.fetch.next.json`, then the `.twc` replaced, then the pending record renamed
/// over the record, so a kill between the two replacements leaves a `.twc` that the pending record describes, and the
/// cache is used as far as it got rather than fetched anew. `BarFetcher` stores the completed segments of a
/// symbol's missing range (a month of intraday bars each) every few seconds and when a segment fails, so a rerun
/// resumes a symbol from the segment it had reached, and the symbols not yet started from their beginning. A `.twc` file that fails its checksums, or disagrees with its record, is reported and fetched anew, never
/// used. A cache written by `data import` (no records) is treated as empty and replaced.
public struct FetchCache: Sendable {
    public let directory: String
    /// How long recent data stays fresh (default 2 hours).
    public var ttl: Duration

    public init(directory: String, ttl: Duration = .seconds(2 * 3600)) {
        self.directory = directory
        self.ttl = ttl
    }

    /// What to fetch for a request.
    public struct Plan: Sendable {
        /// The bars already cached (nil when none can be used).
        public var cached: BarSeries?
        /// The ranges to fetch, in order.
        public var missing: [BarRequest]
        /// The range the cache covers once the missing ranges are fetched.
        public var coverage: (from: UnixNanos, to: UnixNanos)
        /// The range the usable cached bars were fetched for (nil when nothing cached can be used).
        public var covered: (from: UnixNanos, to: UnixNanos)?
        /// Why the cache was not used, when it was not.
        public var warnings: [String]
    }

    /// The record kept beside each `.twc` file.
    struct Record: Codable, Equatable {
        var symbol: String
        var interval: String
        var provider: String
        var from: Int64
        var to: Int64
        var fetchedAt: Int64
        var bars: Int
        var first: Int64?
        var last: Int64?
    }

    public func seriesPath(_ symbol: String) -> String { directory + "/" + BarCache.fileName(for: symbol) }
    func recordPath(_ symbol: String) -> String {
        directory + "/" + String(BarCache.fileName(for: symbol).dropLast(BarCache.fileExtension.count + 1)) + ".fetch.json"
    }
    /// The record of a store in progress: written before the `.twc` is replaced, removed once the record is.
    func pendingRecordPath(_ symbol: String) -> String {
        directory + "/" + String(BarCache.fileName(for: symbol).dropLast(BarCache.fileExtension.count + 1)) + ".fetch.next.json"
    }

    /// The record at `path`, nil when there is none or it cannot be read.
    private func readRecord(_ path: String) -> Record? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Writes `record` atomically to `path`.
    private func writeRecord(_ record: Record, to path: String) throws(DataError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(record)).map { Array($0) } ?? []
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw DataError(.io, file: path, error.message)
        }
    }

    /// What `request` needs at `now` (UTC nanoseconds).
    public func plan(_ request: BarRequest, now: UnixNanos) -> Plan {
        let full = Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: [])
        let fm = FileManager.default
        let path = seriesPath(request.symbol)
        guard fm.fileExists(atPath: path) else { return full }
        var warnings: [String] = []
        let committed = readRecord(recordPath(request.symbol)), pending = readRecord(pendingRecordPath(request.symbol))
        guard committed != nil || pending != nil else {
            warnings.append("\(path) has no readable fetch record; fetched anew")
            return Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: warnings)
        }
        let series: BarSeries
        do {
            series = try BarCache.read(path: path)
        } catch {
            warnings.append("cache file corrupted (\(error.message)); fetched anew")
            return Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: warnings)
        }
        func describes(_ record: Record) -> Bool {
            record.symbol == request.symbol && series.symbol == request.symbol && record.bars == series.count
                && record.first == series.time.first && record.last == series.time.last
        }
        // The committed record, or the pending one when a store was interrupted after replacing the `.twc`.
        guard let record = [committed, pending].compactMap({ $0 }).first(where: describes) else {
            let says = (committed ?? pending).map { "\($0.bars)" } ?? "nothing"
            warnings.append("cache file disagrees with its fetch record (\(series.count) bars, record says \(says)); fetched anew")
            return Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: warnings)
        }
        if record != committed {
            // Finish the interrupted commit (recovery, as a journal's replay); if it cannot be finished now, the pending
            // record is read again next time.
            try? AtomicFile.move(pendingRecordPath(request.symbol), over: recordPath(request.symbol))
        }
        guard record.interval == request.interval.description, series.interval == request.interval else {
            warnings.append("cache holds \(record.interval) bars, \(request.interval) asked for; replaced")
            return Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: warnings)
        }
        var end = record.to
        let ny = ZoneRules.newYork
        let fetchDayStart = ny.instant(ny.localDate(of: record.fetchedAt), hour: 0, minute: 0)
        let ttlNanos = ttl.components.seconds * UnixTime.nanosPerSecond + ttl.components.attoseconds / 1_000_000_000
        if record.to > fetchDayStart && now - record.fetchedAt > ttlNanos {
            // The fetch reached its own day, whose session may have been partial: fetch that day again.
            end = min(record.to, fetchDayStart)
        }
        var missing: [BarRequest] = []
        if request.from < record.from { missing.append(request.range(request.from, record.from)) }
        if request.to > end { missing.append(request.range(max(end, record.from), request.to)) }
        return Plan(cached: series, missing: missing, coverage: (min(request.from, record.from), max(request.to, record.to)),
                    covered: (record.from, record.to), warnings: warnings)
    }

    /// Writes `cached` joined with `fetched` (which win where both have a bar; bars of `cached` inside a fetched range
    /// are dropped, as the provider's newer answer replaces them), then the record saying the result covers
    /// `coverage`. Returns the series written.
    @discardableResult
    public func store(_ cached: BarSeries?, fetched: [(range: BarRequest, series: BarSeries)], request: BarRequest,
                      coverage: (from: UnixNanos, to: UnixNanos), provider: String, now: UnixNanos) throws(DataError) -> BarSeries {
        var pieces: [BarSeries] = []
        if var cached {
            for f in fetched {
                let keepBefore = cached.slice(0..<cached.firstIndex(atOrAfter: f.range.from))
                let keepAfter = cached.slice(cached.firstIndex(atOrAfter: f.range.to)..<cached.count)
                cached = SeriesMerge.merge([keepBefore, keepAfter], symbol: request.symbol, interval: request.interval)
            }
            pieces.append(cached)
        }
        pieces.append(contentsOf: fetched.map(\.series))
        let merged = SeriesMerge.merge(pieces, symbol: request.symbol, interval: request.interval)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(.io, file: directory, "cannot create the cache directory: \(error.localizedDescription)")
        }
        let record = Record(symbol: request.symbol, interval: request.interval.description, provider: provider,
                            from: coverage.from, to: coverage.to, fetchedAt: now, bars: merged.count,
                            first: merged.time.first, last: merged.time.last)
        // One commit over two files: the pending record, then the `.twc`, then the pending record becomes the record.
        let pending = pendingRecordPath(request.symbol)
        try writeRecord(record, to: pending)
        try BarCache.write(merged, to: seriesPath(request.symbol))
        do {
            try AtomicFile.move(pending, over: recordPath(request.symbol))
        } catch {
            throw DataError(.io, file: recordPath(request.symbol), error.message)
        }
        return merged
    }
}
