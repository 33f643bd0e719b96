import Foundation
import TradewindCore
import TradewindData

/// `tradewind data fetch`: many symbols' bars from a provider (or the `auto` chain) into a `FetchCache`, several
/// symbols at a time. Each symbol is planned against the cache and its missing ranges fetched a segment at a time,
/// the completed segments written to the cache every few seconds and on a failure (so an interrupted fetch resumes
/// mid-symbol); a symbol is
/// dropped from memory before the next one starts, so memory holds at most `concurrency` symbols whatever the
/// universe.
public struct BarFetcher: Sendable {
    public let chain: ProviderChain
    public let cache: FetchCache
    /// Symbols fetched at once (their requests still wait for each provider's token bucket).
    public let concurrency: Int
    /// Days per segment of a symbol's missing range (the unit a rerun resumes from); nil: 31 days of intraday
    /// bars, 3660 days of daily or longer ones.
    public let segmentDays: Int?
    /// The longest a symbol's completed segments wait before they are stored (they are also stored at the end and
    /// when a segment fails): short enough that a killed fetch loses little, long enough that a fast one does not
    /// rewrite its cache file after every segment.
    public let checkpointEvery: Duration

    public init(chain: ProviderChain, cache: FetchCache, concurrency: Int = 20, segmentDays: Int? = nil,
                checkpointEvery: Duration = .seconds(5)) {
        self.chain = chain
        self.cache = cache
        self.concurrency = max(1, concurrency)
        self.segmentDays = segmentDays
        self.checkpointEvery = checkpointEvery
    }

    /// What happened to one symbol.
    public struct SymbolReport: Sendable {
        public let symbol: String
        /// The provider(s) that served the fetched ranges (`cache` when nothing had to be fetched).
        public var provider: String
        /// Bars in the cache afterwards.
        public var bars: Int
        public var first: UnixNanos?
        public var last: UnixNanos?
        /// Bars fetched this time.
        public var fetchedBars: Int
        public var warnings: [String]
        /// Set when the symbol could not be fetched in full (the segments completed before the failure are kept in
        /// the cache, and a warning says where a rerun resumes).
        public var error: ProviderError?
    }

    /// Progress after each symbol.
    public struct Progress: Sendable {
        public let done: Int
        public let total: Int
        public let bars: Int
        public let symbol: String
        /// What happened to the symbol that just finished.
        public let report: SymbolReport
    }

    /// Fetches `symbols` at `interval` over `[from, to)`; `now` is the clock the cache's TTL is judged by.
    public func fetch(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos,
                      now: @escaping @Sendable () -> UnixNanos = BarFetcher.wallClock,
                      progress: @escaping @Sendable (Progress) -> Void = { _ in }) async -> [SymbolReport] {
        var reports = [SymbolReport?](repeating: nil, count: symbols.count)
        await withTaskGroup(of: (Int, SymbolReport).self) { group in
            var next = 0
            var done = 0
            var bars = 0
            func start() {
                guard next < symbols.count else { return }
                let i = next
                next += 1
                group.addTask { (i, await fetchOne(BarRequest(symbol: symbols[i], interval: interval, from: from, to: to), now: now)) }
            }
            for _ in 0..<min(concurrency, symbols.count) { start() }
            while let (i, report) = await group.next() {
                reports[i] = report
                done += 1
                bars += report.fetchedBars
                progress(Progress(done: done, total: symbols.count, bars: bars, symbol: report.symbol, report: report))
                start()
            }
        }
        return reports.map { $0! }
    }

    /// One symbol: plan, then fetch the missing ranges segment by segment (`segments(of:backwards:)`), storing the
    /// completed segments in the cache at most every `checkpointEvery`, at the end, and when a segment fails, so that
    /// a failure or an interruption keeps what was fetched and a rerun continues from there.
    public func fetchOne(_ request: BarRequest, now: @Sendable () -> UnixNanos = BarFetcher.wallClock) async -> SymbolReport {
        let started = now()
        // The cache's reads and its atomic writes (each `fsync`ed) run on threads of their own: a write waits tens of
        // milliseconds for the disk, and holding one of the few cooperative threads meanwhile would stall every other
        // symbol's download and page reading.
        let cache = self.cache
        let plan = await DedicatedThread.run(name: "tw-fetch-cache") { cache.plan(request, now: started) }
        var report = SymbolReport(symbol: request.symbol, provider: "cache", bars: plan.cached?.count ?? 0,
                                  first: plan.cached?.time.first, last: plan.cached?.time.last, fetchedBars: 0,
                                  warnings: plan.warnings, error: nil)
        guard !plan.missing.isEmpty else { return report }
        var cached = plan.cached
        var covered = plan.covered
        var servedBy: [String] = []
        var pending: [(range: BarRequest, series: BarSeries)] = []
        var stored = 0
        var lastStore = ContinuousClock.now
        /// Writes the completed segments not yet stored; the record covers exactly the contiguous range fetched.
        func flush() async throws(DataError) {
            guard let coverage = covered, cached?.isEmpty == false || pending.contains(where: { !$0.series.isEmpty }) else { return }
            let (old, fetched, provider) = (cached, pending, servedBy.isEmpty ? "cache" : servedBy.joined(separator: "+"))
            cached = try await DedicatedThread.run(name: "tw-fetch-cache") { () throws(DataError) -> BarSeries in
                try cache.store(old, fetched: fetched, request: request, coverage: coverage, provider: provider, now: started)
            }
            stored += pending.reduce(0) { $0 + $1.series.count }
            pending.removeAll()
            lastStore = ContinuousClock.now
        }
        for (r, range) in plan.missing.enumerated() {
            let backwards = covered.map { range.to <= $0.from } ?? false
            let pieces = segments(of: range, backwards: backwards)
            for (k, segment) in pieces.enumerated() {
                var series = BarSeries(symbol: request.symbol, interval: request.interval)
                do throws(ProviderError) {
                    let outcome = try await chain.bars(segment)
                    series = outcome.series
                    if !servedBy.contains(outcome.provider.rawValue) { servedBy.append(outcome.provider.rawValue) }
                    for s in outcome.skipped { report.warnings.append("passed over \(s.provider): \(s.message)") }
                } catch {
                    // No bars in a segment (a holiday, a weekend, before a listing) is not a failure.
                    guard error.kind == .noData else {
                        report.error = error
                        report.provider = error.provider
                        do { try await flush() } catch { report.warnings.append("cannot write the cache: \(error)") }
                        if stored > 0, let kept = cached, let c = covered {
                            report.warnings.append("kept the \(stored) bars fetched before the failure; a rerun resumes from "
                                                   + ISO8601.utc(backwards ? c.from : c.to))
                            report.bars = kept.count
                            report.first = kept.time.first
                            report.last = kept.time.last
                        }
                        return report
                    }
                }
                report.fetchedBars += series.count
                pending.append((segment, series))
                covered = covered.map { (min($0.from, segment.from), max($0.to, segment.to)) } ?? (segment.from, segment.to)
                let isLast = r == plan.missing.count - 1 && k == pieces.count - 1
                guard isLast || (!series.isEmpty && ContinuousClock.now - lastStore >= checkpointEvery) else { continue }
                do {
                    try await flush()
                } catch {
                    report.error = ProviderError(.transport, provider: "cache", symbol: request.symbol, "cannot write the cache: \(error)")
                    return report
                }
            }
        }
        guard let merged = cached, !merged.isEmpty else {
            report.error = ProviderError(.noData, provider: chain.providers.count == 1 ? chain.providers[0].id.rawValue : "auto",
                                         symbol: request.symbol, "no bars for \(request.symbol) in this range")
            return report
        }
        report.bars = merged.count
        report.first = merged.time.first
        report.last = merged.time.last
        report.provider = servedBy.isEmpty ? "cache" : servedBy.joined(separator: "+")
        return report
    }

    /// `range` cut into consecutive segments of `segmentDays` days (ascending; descending when `backwards`, for a
    /// range that ends where the cache begins, so that each stored segment joins the cached range).
    public func segments(of range: BarRequest, backwards: Bool) -> [BarRequest] {
        let days = segmentDays ?? (range.interval.isIntraday ? 31 : 3660)
        let length = Int64(max(1, days)) * UnixTime.nanosPerDay
        var out: [BarRequest] = []
        var start = range.from
        while start < range.to {
            let end = range.to - start > length ? start + length : range.to
            out.append(range.range(start, end))
            start = end
        }
        return backwards ? out.reversed() : out
    }

    /// The system clock in UTC nanoseconds.
    @Sendable public static func wallClock() -> UnixNanos {
        UnixNanos(Date().timeIntervalSince1970 * 1e9)
    }
}
