import Foundation
import Synchronization
import TradewindCore

/// Alpaca market data v2 historical stock bars: `GET /v2/stocks/{symbol}/bars` and the multi-symbol
/// `GET /v2/stocks/bars`, with `timeframe`, `start`/`end` (RFC 3339), `limit`, `adjustment=raw`, an optional `feed`,
/// and paging by `next_page_token`; and the latest bar (`/v2/stocks/{symbol}/bars/latest`).
/// Keys go in the `APCA-API-KEY-ID`/`APCA-API-SECRET-KEY` headers. Pages are read by `AlpacaBarsPageReader`, one pass
/// over the bytes into columns (property-tested against the `Codable` decoding).
public struct AlpacaBarsClient: MarketDataProvider {
    public var id: ProviderID { .alpaca }
    public var capabilities: ProviderCapabilities { Self.capabilities }

    public static let capabilities = ProviderCapabilities(
        intervals: [.minute, .minutes(5), .minutes(15), .minutes(30), .hours(1), .daily, .weekly, .monthly],
        rawPrices: true, corporateActions: false, history: "since 2016 (SIP; IEX on free plans)",
        defaultRate: .perMinute(200))

    public let credentials: AlpacaCredentials
    public let endpoints: AlpacaEndpoints
    /// `iex`, `sip` or another documented feed; nil lets Alpaca pick the account's default.
    public let feed: String?
    /// Bars per page (Alpaca allows 1…10000).
    public let pageLimit: Int
    /// Multi-symbol downloads are split into up to this many symbol batches (of at least `minimumBatch` symbols),
    /// each paged by its own request stream, all at once (1…16; every request still takes a token from the policy's
    /// rate limiter).
    public let concurrentBatches: Int
    public let policy: RequestPolicy
    public let http: ProviderHTTPClient

    public init(credentials: AlpacaCredentials, endpoints: AlpacaEndpoints = AlpacaEndpoints(), feed: String? = nil,
                pageLimit: Int = 10_000, concurrentBatches: Int = 4, policy: RequestPolicy, http: ProviderHTTPClient = .shared) {
        self.credentials = credentials
        self.endpoints = endpoints
        self.feed = feed
        self.pageLimit = min(10_000, max(1, pageLimit))
        self.concurrentBatches = min(16, max(1, concurrentBatches))
        self.policy = policy
        self.http = http
    }

    public func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries {
        let found = Found()
        try await pages(symbols: [request.symbol], interval: request.interval, from: request.from, to: request.to,
                        path: "/v2/stocks/\(Self.escape(request.symbol))/bars") { _, series in found.add(request.symbol, series) }
        guard let series = found.all[request.symbol], !series.isEmpty else {
            throw ProviderError(.noData, .alpaca, symbol: request.symbol, "no bars for \(request.symbol) in this range")
        }
        return series
    }

    /// Fewer symbols than this per batch would spend more requests (of the 200 a minute) than concurrency saves.
    public static let minimumBatch = 8

    /// The bars of several symbols (`/v2/stocks/bars?symbols=…`), gathered: `bars(symbols:…receive:)` keeping what it
    /// hands over. Symbols without bars are absent from the result.
    public func bars(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos) async throws(ProviderError) -> [String: BarSeries] {
        let found = Found()
        try await bars(symbols: symbols, interval: interval, from: from, to: to) { symbol, series in found.add(symbol, series) }
        return found.all
    }

    /// The bars of several symbols (`/v2/stocks/bars?symbols=…`), streamed: the symbols split into up to
    /// `concurrentBatches` batches, each paged by its own stream of requests, concurrently, and each symbol's series
    /// handed to `receive` as soon as the pages have moved past it (Alpaca's multi-symbol pages run through the
    /// symbols in order), so the client holds, per batch, only the symbol the last page ended on and not the whole
    /// answer. Symbols without bars are never handed over. `receive` may be called from several tasks at once.
    public func bars(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos,
                     receive: @escaping @Sendable (String, BarSeries) async -> Void) async throws(ProviderError) {
        let unique = Array(Set(symbols)).sorted()
        let batches = min(concurrentBatches, unique.count / Self.minimumBatch)
        guard batches > 1 else {
            return try await pages(symbols: unique, interval: interval, from: from, to: to, path: "/v2/stocks/bars", receive: receive)
        }
        let size = (unique.count + batches - 1) / batches
        let parts = stride(from: 0, to: unique.count, by: size).map { Array(unique[$0..<min(unique.count, $0 + size)]) }
        let failure = await withTaskGroup(of: ProviderError?.self) { group -> ProviderError? in
            for part in parts {
                group.addTask { () async -> ProviderError? in
                    do throws(ProviderError) {
                        try await pages(symbols: part, interval: interval, from: from, to: to, path: "/v2/stocks/bars", receive: receive)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            for await result in group {
                if let error = result {
                    group.cancelAll()
                    return error
                }
            }
            return nil
        }
        if let failure { throw failure }
    }

    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        var url = endpoints.data + "/v2/stocks/\(Self.escape(symbol))/bars/latest"
        if let feed { url += "?feed=" + Self.escape(feed) }
        let body = try await get(url, symbol: symbol)
        let answer = try JSONReading.decode(LatestBarAnswer.self, from: body, provider: .alpaca, symbol: symbol, what: "latest bar")
        guard let bar = answer.bar, let t = RFC3339.parse(bar.t) else {
            throw ProviderError(.noData, .alpaca, symbol: symbol, "no latest bar for \(symbol)")
        }
        return LatestPrice(symbol: symbol, price: bar.c, time: t, provider: .alpaca)
    }

    /// Pages one request stream (`path`: the single-symbol or the multi-symbol endpoint) and hands each symbol's
    /// series to `receive` once complete: when a multi-symbol page ends on a later symbol, or after the last page. A page going
    /// back to a symbol already handed over is refused as malformed (its bars would be lost).
    private func pages(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos, path: String,
                       receive: @Sendable (String, BarSeries) async -> Void) async throws(ProviderError) {
        try capabilities.check(interval, provider: .alpaca)
        guard let timeframe = AlpacaTimeframe.of(interval) else {
            throw ProviderError(.unsupported, .alpaca, "Alpaca has no \(interval) timeframe")
        }
        let multi = path == "/v2/stocks/bars"
        var query = "timeframe=\(timeframe)&start=\(RFC3339.format(from))&end=\(RFC3339.format(to - 1))"
            + "&limit=\(pageLimit)&adjustment=raw&sort=asc"
        if multi { query += "&symbols=" + symbols.map(Self.escape).joined(separator: ",") }
        if let feed { query += "&feed=" + Self.escape(feed) }
        var columns: [String: BarColumns] = [:]
        var handedOver: Set<String> = []
        var pageToken: String?
        let symbol = multi ? nil : symbols.first
        repeat {
            var url = endpoints.data + path + "?" + query
            if let pageToken { url += "&page_token=" + Self.escape(pageToken) }
            let body = try await get(url, symbol: symbol)
            let page = try AlpacaBarsPageReader.page(body, single: multi ? nil : symbols[0], into: &columns, symbol: symbol)
            pageToken = page.nextPageToken
            // More pages to come: only the symbols before the one this page ended on are complete.
            let complete = { (s: String) in pageToken == nil || (multi && page.lastSymbol != nil && s != page.lastSymbol) }
            for s in columns.keys.sorted() where complete(s) {
                let c = columns.removeValue(forKey: s)!
                guard handedOver.insert(s).inserted else {
                    throw ProviderError(.malformed, .alpaca, symbol: s,
                                        "the multi-symbol pages went back to \(s) after moving past it; ask with --batch 1")
                }
                if c.count > 0 { await receive(s, try c.series(for: BarRequest(symbol: s, interval: interval, from: from, to: to), provider: .alpaca)) }
            }
        } while pageToken != nil
    }

    /// Series gathered from `receive` calls that may come from several tasks.
    final class Found: Sendable {
        private let series = Mutex<[String: BarSeries]>([:])
        func add(_ symbol: String, _ s: BarSeries) { series.withLock { $0[symbol] = s } }
        var all: [String: BarSeries] { series.withLock { $0 } }
    }

    private func get(_ url: String, symbol: String?) async throws(ProviderError) -> Data {
        let response = try await http.get(url, headers: credentials.headers, provider: .alpaca, symbol: symbol, policy: policy)
        guard response.status / 100 == 2 else { throw Self.error(response, symbol: symbol) }
        return response.body
    }

    /// Alpaca's `{"code": …, "message": …}` error bodies, explained.
    static func error(_ response: ProviderResponse, symbol: String?) -> ProviderError {
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: response.body))?.message ?? ProviderHTTPClient.snippet(response.body)
        switch response.status {
        case 401:
            return ProviderError(.unauthorized, .alpaca, symbol: symbol, status: 401,
                                 "the key was refused (\(message)); check APCA_API_KEY_ID and APCA_API_SECRET_KEY")
        case 403:
            return ProviderError(.forbidden, .alpaca, symbol: symbol, status: 403,
                                 "\(message); the key lacks access to this data (free plans have the iex feed only: set feed to iex)")
        case 404:
            return ProviderError(.notFound, .alpaca, symbol: symbol, status: 404, message)
        case 422:
            return ProviderError(.rejected, .alpaca, symbol: symbol, status: 422, "invalid request: \(message)")
        default:
            return ProviderError(.rejected, .alpaca, symbol: symbol, status: response.status, message)
        }
    }

    /// Percent-escapes a path segment or query value.
    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }

    // The documented JSON shapes (the latest bar's answer; the pages' shapes are the reference the page reader is
    // tested against).
    struct Bar: Decodable {
        let t: String
        let o, h, l, c, v: Double
        let n: Double?
        let vw: Double?
    }
    struct SinglePage: Decodable {
        let bars: [Bar]?
        let next_page_token: String?
    }
    struct MultiPage: Decodable {
        let bars: [String: [Bar]]?
        let next_page_token: String?
    }
    struct LatestBarAnswer: Decodable {
        let bar: Bar?
    }
    struct ErrorBody: Decodable {
        let message: String
    }
}
