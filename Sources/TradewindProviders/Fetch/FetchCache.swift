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
/// interrupted fetch leaves every symbol's files consistent: `BarFetcher` stores the completed segments of a
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

    /// What `request` needs at `now` (UTC nanoseconds).
    public func plan(_ request: BarRequest, now: UnixNanos) -> Plan {
        let full = Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: [])
        let fm = FileManager.default
        let path = seriesPath(request.symbol)
        guard fm.fileExists(atPath: path) else { return full }
        var warnings: [String] = []
        guard let data = fm.contents(atPath: recordPath(request.symbol)),
              let record = try? JSONDecoder().decode(Record.self, from: data) else {
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
        guard record.symbol == request.symbol, series.symbol == request.symbol, record.bars == series.count,
              record.first == series.time.first, record.last == series.time.last else {
            warnings.append("cache file disagrees with its fetch record (\(series.count) bars, record says \(record.bars)); fetched anew")
            return Plan(cached: nil, missing: [request], coverage: (request.from, request.to), covered: nil, warnings: warnings)
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
        try BarCache.write(merged, to: seriesPath(request.symbol))
        let record = Record(symbol: request.symbol, interval: request.interval.description, provider: provider,
                            from: coverage.from, to: coverage.to, fetchedAt: now, bars: merged.count,
                            first: merged.time.first, last: merged.time.last)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(record)).map { Array($0) } ?? []
        do {
            try AtomicFile.write(bytes, to: recordPath(request.symbol))
        } catch {
            throw DataError(.io, file: recordPath(request.symbol), error.message)
        }
        return merged
    }
}
