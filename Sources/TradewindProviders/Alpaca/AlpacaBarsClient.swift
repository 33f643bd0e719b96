import Foundation
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
        let result = try await bars(symbols: [request.symbol], interval: request.interval, from: request.from, to: request.to,
                                    path: "/v2/stocks/\(Self.escape(request.symbol))/bars")
        guard let series = result[request.symbol], !series.isEmpty else {
            throw ProviderError(.noData, .alpaca, symbol: request.symbol, "no bars for \(request.symbol) in this range")
        }
        return series
    }

    /// Fewer symbols than this per batch would spend more requests (of the 200 a minute) than concurrency saves.
    public static let minimumBatch = 8

    /// The bars of several symbols (`/v2/stocks/bars?symbols=…`): the symbols split into up to
    /// `concurrentBatches` batches, each paged by its own stream of requests, concurrently. Symbols without bars
    /// are absent from the result.
    public func bars(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos) async throws(ProviderError) -> [String: BarSeries] {
        let unique = Array(Set(symbols)).sorted()
        let batches = min(concurrentBatches, unique.count / Self.minimumBatch)
        guard batches > 1 else {
            return try await bars(symbols: unique, interval: interval, from: from, to: to, path: "/v2/stocks/bars")
        }
        let size = (unique.count + batches - 1) / batches
        let parts = stride(from: 0, to: unique.count, by: size).map { Array(unique[$0..<min(unique.count, $0 + size)]) }
        let outcome = await withTaskGroup(of: Result<[String: BarSeries], ProviderError>.self) { group in
            for part in parts {
                group.addTask {
                    do throws(ProviderError) {
                        return .success(try await bars(symbols: part, interval: interval, from: from, to: to, path: "/v2/stocks/bars"))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var merged: [String: BarSeries] = [:]
            for await result in group {
                switch result {
                case .success(let some): merged.merge(some) { $1 }
                case .failure(let error):
                    group.cancelAll()
                    return Result<[String: BarSeries], ProviderError>.failure(error)
                }
            }
            return .success(merged)
        }
        return try outcome.get()
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

    private func bars(symbols: [String], interval: BarInterval, from: UnixNanos, to: UnixNanos,
                      path: String) async throws(ProviderError) -> [String: BarSeries] {
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
        var pageToken: String?
        let symbol = multi ? nil : symbols.first
        repeat {
            var url = endpoints.data + path + "?" + query
            if let pageToken { url += "&page_token=" + Self.escape(pageToken) }
            let body = try await get(url, symbol: symbol)
            pageToken = try AlpacaBarsPageReader.read(body, single: multi ? nil : symbols[0], into: &columns, symbol: symbol)
        } while pageToken != nil
        var result: [String: BarSeries] = [:]
        for (s, c) in columns where c.count > 0 {
            result[s] = try c.series(for: BarRequest(symbol: s, interval: interval, from: from, to: to), provider: .alpaca)
        }
        return result
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
