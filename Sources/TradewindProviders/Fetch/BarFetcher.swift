import Foundation
import TradewindCore
import TradewindData

/// `tradewind data fetch`: many symbols' bars from a provider (or the `auto` chain) into a `FetchCache`, several
/// symbols at a time. Each symbol is planned against the cache, its missing ranges fetched, written, and dropped
/// from memory before the next one starts, so memory holds at most `concurrency` symbols whatever the universe.
public struct BarFetcher: Sendable {
    public let chain: ProviderChain
    public let cache: FetchCache
    /// Symbols fetched at once (their requests still wait for each provider's token bucket).
    public let concurrency: Int

    public init(chain: ProviderChain, cache: FetchCache, concurrency: Int = 20) {
        self.chain = chain
        self.cache = cache
        self.concurrency = max(1, concurrency)
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
        /// Set when the symbol could not be fetched (its cache, if any, is left as it was).
        public var error: ProviderError?
    }

    /// Progress after each symbol.
    public struct Progress: Sendable {
        public let done: Int
        public let total: Int
        public let bars: Int
        public let symbol: String
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
                progress(Progress(done: done, total: symbols.count, bars: bars, symbol: report.symbol))
                start()
            }
        }
        return reports.map { $0! }
    }

    /// One symbol: plan, fetch the missing ranges, store.
    public func fetchOne(_ request: BarRequest, now: @Sendable () -> UnixNanos = BarFetcher.wallClock) async -> SymbolReport {
        let started = now()
        let plan = cache.plan(request, now: started)
        var report = SymbolReport(symbol: request.symbol, provider: "cache", bars: plan.cached?.count ?? 0,
                                  first: plan.cached?.time.first, last: plan.cached?.time.last, fetchedBars: 0,
                                  warnings: plan.warnings, error: nil)
        guard !plan.missing.isEmpty else { return report }
        var fetched: [(range: BarRequest, series: BarSeries)] = []
        var servedBy: [String] = []
        for range in plan.missing {
            do throws(ProviderError) {
                let outcome = try await chain.bars(range)
                fetched.append((range, outcome.series))
                if !servedBy.contains(outcome.provider.rawValue) { servedBy.append(outcome.provider.rawValue) }
                for s in outcome.skipped { report.warnings.append("passed over \(s.provider): \(s.message)") }
            } catch {
                // No bars in a range beside cached ones (a holiday, a weekend) is not a failure.
                if error.kind == .noData && (plan.cached?.isEmpty == false || plan.missing.count > 1) {
                    fetched.append((range, BarSeries(symbol: request.symbol, interval: request.interval)))
                    continue
                }
                report.error = error
                report.provider = error.provider
                return report
            }
        }
        let total = fetched.reduce(0) { $0 + $1.series.count }
        if total == 0 && (plan.cached?.isEmpty ?? true) {
            report.error = ProviderError(.noData, provider: chain.providers.count == 1 ? chain.providers[0].id.rawValue : "auto",
                                         symbol: request.symbol, "no bars for \(request.symbol) in this range")
            return report
        }
        do {
            let merged = try cache.store(plan, fetched: fetched, request: request, provider: servedBy.joined(separator: "+"), now: started)
            report.bars = merged.count
            report.first = merged.time.first
            report.last = merged.time.last
            report.fetchedBars = total
            report.provider = servedBy.isEmpty ? "cache" : servedBy.joined(separator: "+")
        } catch {
            report.error = ProviderError(.transport, provider: "cache", symbol: request.symbol, "cannot write the cache: \(error)")
        }
        return report
    }

    /// The system clock in UTC nanoseconds.
    @Sendable public static func wallClock() -> UnixNanos {
        UnixNanos(Date().timeIntervalSince1970 * 1e9)
    }
}
