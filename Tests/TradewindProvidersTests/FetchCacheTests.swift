import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindProviders

/// A fake Alpaca data host that answers `/v2/stocks/{symbol}/bars` with one daily bar per weekday in [start, end]
/// (prices from the day number), failing for the symbols in `failing`.
enum GeneratedAlpaca {
    static func answer(_ request: ReceivedRequest, failing: Set<String> = []) -> FakeAnswer {
        let parts = request.path.split(separator: "/")
        let symbol = parts.count >= 4 ? String(parts[2]) : "?"
        if failing.contains(symbol) { return .json(#"{"message":"internal server error"}"#, status: 500) }
        guard let start = request.parameter("start").flatMap(RFC3339.parse), let end = request.parameter("end").flatMap(RFC3339.parse) else {
            return .json(#"{"message":"bad request"}"#, status: 422)
        }
        return .json(#"{"bars":[\#(barObjects(start: start, end: end).joined(separator: ","))],"symbol":"\#(symbol)","next_page_token":null}"#)
    }

    /// The bars' JSON objects: one per weekday in [start, end], at 05:00 UTC.
    static func barObjects(start: UnixNanos, end: UnixNanos) -> [String] {
        var bars: [String] = []
        var day = UnixTime.utcDate(of: start)
        while UnixTime.midnightUTC(day) + 5 * UnixTime.nanosPerHour <= end {
            let t = UnixTime.midnightUTC(day) + 5 * UnixTime.nanosPerHour
            if !day.isWeekend && t >= start {
                let p = 100 + Double(day.daysSinceEpoch % 50)
                bars.append(#"{"t":"\#(RFC3339.format(t))","o":\#(p),"h":\#(p + 1),"l":\#(p - 1),"c":\#(p + 0.5),"v":1000,"n":10,"vw":\#(p)}"#)
            }
            day = day.adding(days: 1)
        }
        return bars
    }
}

@Suite("Incremental fetch cache: missing ranges, TTL, resume, corruption")
struct FetchCacheTests {
    static func fetcher(_ base: String, directory: String, ttl: Duration = .seconds(7200), segmentDays: Int? = nil) -> BarFetcher {
        let client = AlpacaBarsClient(credentials: AlpacaCredentials(keyID: "PKCACHE1", secretKey: "cache-secret"),
                                      endpoints: AlpacaEndpoints(data: base),
                                      policy: RequestPolicy(limiter: TokenBucket(.perMinute(6000)),
                                                            retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(5)), timeout: .seconds(60)))
        return BarFetcher(chain: ProviderChain([client]), cache: FetchCache(directory: directory, ttl: ttl), concurrency: 4,
                          segmentDays: segmentDays)
    }

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "tw-fetch-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func day(_ d: Int) -> CivilDate { CivilDate(year: 2024, month: 1, day: d)! }
    static func range(_ a: Int, _ b: Int) -> (UnixNanos, UnixNanos) {
        let r = BarRequest(symbol: "X", interval: .daily, firstDay: day(a), lastDay: day(b))
        return (r.from, r.to)
    }
    /// A clock long after January 2024: the cached range is history, never refreshed by the TTL.
    static let later: @Sendable () -> UnixNanos = { UnixTime.midnightUTC(CivilDate(year: 2025, month: 6, day: 1)!) }

    @Test func onlyTheMissingRangeIsFetchedAndACompleteCacheIsNotAskedAgain() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir)
            let (a, b) = Self.range(2, 12)
            let first = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            #expect(first[0].error == nil && first[0].bars == 9 && first[0].provider == "alpaca")
            let (c, d) = Self.range(2, 19)
            let second = await f.fetch(symbols: ["SPY"], interval: .daily, from: c, to: d, now: Self.later)
            #expect(second[0].bars == 14 && second[0].fetchedBars == 5)
            var requests = await log.requests
            #expect(requests.count == 2)
            #expect(requests[1].parameter("start") == RFC3339.format(b))  // from where the cache ended
            let third = await f.fetch(symbols: ["SPY"], interval: .daily, from: c, to: d, now: Self.later)
            #expect(third[0].provider == "cache" && third[0].bars == 14)
            requests = await log.requests
            #expect(requests.count == 2)
            // The cache is an ordinary Tradewind cache for --data.
            let loaded = try DataSource(parsing: dir).load()
            #expect(loaded.series[0].count == 14)
        }
    }

    @Test func recentDataOlderThanTheTTLHasItsLastSessionFetchedAgain() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir, ttl: .seconds(7200))
            let (a, b) = Self.range(2, 12)
            // Fetched on 2024-01-12 at 15:00 New York (the session still open), then asked again 1 h and 3 h later.
            let fetchTime = ZoneRules.newYork.instant(Self.day(12), hour: 15, minute: 0)
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: { fetchTime })
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: { fetchTime + UnixTime.nanosPerHour })
            #expect(await log.requests.count == 1)
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: { fetchTime + 3 * UnixTime.nanosPerHour })
            let requests = await log.requests
            #expect(requests.count == 2)
            #expect(requests[1].parameter("start") == RFC3339.format(ZoneRules.newYork.instant(Self.day(12), hour: 0, minute: 0)))
            #expect(report[0].bars == 9 && report[0].fetchedBars == 1)
        }
    }

    @Test func anInterruptedFetchResumesWithTheSymbolsNotYetDone() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = Self.range(2, 12)
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r, failing: ["QQQ"]) }) { base, _ in
            let reports = await Self.fetcher(base, directory: dir).fetch(symbols: ["SPY", "QQQ", "IWM"], interval: .daily, from: a, to: b,
                                                                         now: Self.later)
            #expect(reports.map { $0.error == nil } == [true, false, true])
            #expect(reports[1].error?.kind == .server)
        }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let reports = await Self.fetcher(base, directory: dir).fetch(symbols: ["SPY", "QQQ", "IWM"], interval: .daily, from: a, to: b,
                                                                         now: Self.later)
            #expect(reports.map(\.provider) == ["cache", "alpaca", "cache"])
            #expect(reports.allSatisfy { $0.bars == 9 })
            #expect(await log.requests.map(\.path) == ["/v2/stocks/QQQ/bars"])
        }
    }

    @Test func aSymbolInterruptedMidwayResumesFromTheSegmentItHadReachedNotFromItsStart() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = Self.range(2, 31)
        // Segments of 7 days from 2024-01-02: the third starts on the 16th, where the server starts failing.
        let cut = ZoneRules.newYork.instant(Self.day(16), hour: 0, minute: 0)
        try await FakeProviderServer.with({ r, _ in
            if let start = r.parameter("start").flatMap(RFC3339.parse), start >= cut {
                return .json(#"{"message":"internal server error"}"#, status: 500)
            }
            return GeneratedAlpaca.answer(r)
        }) { base, log in
            let f = Self.fetcher(base, directory: dir, segmentDays: 7)
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)[0]
            #expect(report.error?.kind == .server)
            #expect(report.warnings.contains { $0.contains("a rerun resumes from " + ISO8601.utc(cut)) })
            // The two completed segments are in the cache: the weekdays of January 2 to 15.
            let kept = try BarCache.read(path: f.cache.seriesPath("SPY"))
            #expect(kept.count == 10)
            #expect(report.bars == 10)
            #expect(await log.requests.count == 4)  // two segments, then the failing one and its retry
        }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir, segmentDays: 7)
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)[0]
            #expect(report.error == nil && report.bars == 22 && report.fetchedBars == 12)
            let starts = await log.requests.map { $0.parameter("start") }
            // From the 16th (the third segment), never again from the 2nd.
            #expect(starts == [RFC3339.format(cut), RFC3339.format(cut + 7 * UnixTime.nanosPerDay),
                               RFC3339.format(cut + 14 * UnixTime.nanosPerDay)])
            let whole = try BarCache.read(path: f.cache.seriesPath("SPY"))
            #expect(whole.count == 22)
        }
    }

    @Test func aRangeBeforeTheCachedOneIsFetchedNewestSegmentFirstSoEachStoreJoinsTheCache() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir, segmentDays: 7)
            let (c, d) = Self.range(16, 31)
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: c, to: d, now: Self.later)
            let before = await log.requests.count
            let (a, b) = Self.range(2, 31)
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)[0]
            #expect(report.error == nil && report.bars == 22 && report.fetchedBars == 10)
            let starts = await log.requests.dropFirst(before).map { $0.parameter("start") }
            #expect(starts == [RFC3339.format(c - 7 * UnixTime.nanosPerDay), RFC3339.format(a)])
        }
    }

    @Test func aCorruptedCacheFileIsReportedAndFetchedAnewNeverUsed() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = Self.range(2, 12)
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir)
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            // Flip one byte of the payload on disk.
            let path = f.cache.seriesPath("SPY")
            var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            bytes[bytes.count - 20] ^= 0xFF
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            #expect(report[0].warnings.contains { $0.contains("corrupted") })
            #expect(report[0].bars == 9 && report[0].fetchedBars == 9)
            #expect(await log.requests.count == 2)
            let reread = try BarCache.read(path: path)
            #expect(reread.count == 9)
        }
    }

    @Test func aCacheFileThatDisagreesWithItsRecordIsFetchedAnew() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = Self.range(2, 12)
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir)
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            // Another program replaced the .twc with a shorter (valid) series.
            let path = f.cache.seriesPath("SPY")
            try BarCache.write(try BarCache.read(path: path).slice(0..<3), to: path)
            let report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            #expect(report[0].warnings.contains { $0.contains("disagrees") })
            #expect(report[0].bars == 9)
            #expect(await log.requests.count == 2)
        }
    }

    /// A store is one commit over two files (pending record, `.twc`, record). Killed after the `.twc` was replaced but
    /// before the record was, the cache is used as far as the pending record says; killed before the `.twc` was
    /// replaced, the committed record still describes the old `.twc`. Neither case fetches again what was stored.
    @Test func aStoreInterruptedBetweenItsTwoFilesIsUsedAsFarAsItGot() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b) = Self.range(2, 31)
        let (_, mid) = Self.range(2, 15)
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, log in
            let f = Self.fetcher(base, directory: dir, segmentDays: 7)
            let fm = FileManager.default
            let record = f.cache.recordPath("SPY"), pending = f.cache.pendingRecordPath("SPY")
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: mid, now: Self.later)
            let firstRecord = try #require(fm.contents(atPath: record))
            #expect(!fm.fileExists(atPath: pending), "a finished store leaves no pending record")
            _ = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)
            // The kill after the `.twc` replacement: the new record is still pending, the old one committed.
            try fm.moveItem(atPath: record, toPath: pending)
            fm.createFile(atPath: record, contents: firstRecord)
            var before = await log.requests.count
            var report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)[0]
            #expect(report.warnings.isEmpty && report.bars == 22 && report.fetchedBars == 0)
            #expect(await log.requests.count == before, "nothing stored is fetched again")
            // The kill before the `.twc` replacement: a pending record that describes no file on disk is passed over.
            let whole = try #require(fm.contents(atPath: record))
            var stale = try JSONDecoder().decode(FetchCache.Record.self, from: whole)
            stale.bars += 5
            try JSONEncoder().encode(stale).write(to: URL(fileURLWithPath: pending))
            before = await log.requests.count
            report = await f.fetch(symbols: ["SPY"], interval: .daily, from: a, to: b, now: Self.later)[0]
            #expect(report.warnings.isEmpty && report.bars == 22 && report.fetchedBars == 0)
            #expect(await log.requests.count == before)
        }
    }

    /// A refetch whose range covers every cached bar leaves no cached piece to keep: the merge of nothing is an empty
    /// series (it trapped on an empty range), and the fetched bars alone become the cache.
    @Test func mergingNoPiecesOrOnlyEmptyPiecesGivesAnEmptySeries() {
        let empty = BarSeries(symbol: "AAA", interval: .daily)
        #expect(SeriesMerge.merge([], symbol: "AAA", interval: .daily).isEmpty)
        #expect(SeriesMerge.merge([empty, empty], symbol: "AAA", interval: .daily).isEmpty)
    }
}
