import Foundation
import TradewindCore

/// Polygon.io (now Massive) aggregates v2: `GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`
/// with `adjusted=false` (raw prices), `sort=asc`, `limit=50000` and paging by `next_url`; the previous day's bar
/// (`/v2/aggs/ticker/{ticker}/prev`) as the latest price. The key goes in an `Authorization: Bearer` header; both
/// `api.polygon.io` and `api.massive.com` serve the same API. A `next_url` is followed on the configured host (its
/// path and query only), so the key is never sent anywhere else.
public struct PolygonAggregatesClient: MarketDataProvider {
    public var id: ProviderID { .polygon }
    public var capabilities: ProviderCapabilities { Self.capabilities }

    public static let capabilities = ProviderCapabilities(
        intervals: [.minute, .minutes(5), .minutes(15), .minutes(30), .hours(1), .daily, .weekly, .monthly],
        rawPrices: true, corporateActions: false, history: "2 years on the free plan, 5+ years on paid plans",
        defaultRate: .perMinute(5))

    public static let defaultBaseURL = "https://api.polygon.io"
    public static let massiveBaseURL = "https://api.massive.com"

    /// The key, base URL, request policy and HTTP client.
    public let connection: ProviderConnection

    public init(apiKey: String, baseURL: String = defaultBaseURL, policy: RequestPolicy, http: ProviderHTTPClient = .shared) {
        connection = ProviderConnection(apiKey: apiKey, baseURL: baseURL, policy: policy, http: http)
    }

    public func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries {
        try capabilities.check(request.interval, provider: .polygon)
        let (multiplier, timespan) = Self.span(request.interval)
        let from = request.from / UnixTime.nanosPerMillisecond
        let to = (request.to - 1) / UnixTime.nanosPerMillisecond
        var url: String? = connection.baseURL + "/v2/aggs/ticker/\(AlpacaBarsClient.escape(request.symbol))/range/\(multiplier)/\(timespan)/\(from)/\(to)"
            + "?adjusted=false&sort=asc&limit=50000"
        var columns = BarColumns()
        var pages = 0
        while let next = url {
            pages += 1
            guard pages <= 10_000 else {
                throw ProviderError(.malformed, .polygon, symbol: request.symbol, "more than 10000 pages; the next_url chain does not end")
            }
            let response = try await connection.get(next, keyHeader: "Authorization", keyPrefix: "Bearer ", provider: .polygon,
                                                    symbol: request.symbol)
            guard response.status / 100 == 2 else { throw Self.error(response, symbol: request.symbol) }
            let page = try JSONReading.decode(Page.self, from: response.body, provider: .polygon, symbol: request.symbol, what: "aggregates")
            if page.status == "ERROR" || page.status == "NOT_AUTHORIZED" {
                throw ProviderError(.rejected, .polygon, symbol: request.symbol, page.error ?? page.message ?? "status \(page.status ?? "")")
            }
            let results = page.results ?? []
            columns.reserve(columns.count + results.count)
            for r in results {
                columns.append(time: r.t * UnixTime.nanosPerMillisecond, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v,
                               vwap: r.vw, tradeCount: r.n)
            }
            url = page.next_url.flatMap { onConfiguredHost($0) }
        }
        guard columns.count > 0 else {
            throw ProviderError(.noData, .polygon, symbol: request.symbol, "no aggregates for \(request.symbol) in this range")
        }
        return try columns.series(for: request, provider: .polygon)
    }

    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        let url = connection.baseURL + "/v2/aggs/ticker/\(AlpacaBarsClient.escape(symbol))/prev?adjusted=false"
        let response = try await connection.get(url, keyHeader: "Authorization", keyPrefix: "Bearer ", provider: .polygon, symbol: symbol)
        guard response.status / 100 == 2 else { throw Self.error(response, symbol: symbol) }
        let page = try JSONReading.decode(Page.self, from: response.body, provider: .polygon, symbol: symbol, what: "previous close")
        guard let bar = page.results?.last else {
            throw ProviderError(.noData, .polygon, symbol: symbol, "no previous bar for \(symbol)")
        }
        return LatestPrice(symbol: symbol, price: bar.c, time: bar.t * UnixTime.nanosPerMillisecond, provider: .polygon)
    }

    /// `next` moved onto `baseURL` (path and query kept).
    func onConfiguredHost(_ next: String) -> String? {
        guard let components = URLComponents(string: next), !components.path.isEmpty else { return nil }
        return connection.baseURL + components.path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    static func span(_ interval: BarInterval) -> (Int, String) {
        switch interval.unit {
        case .seconds:
            if interval.count % 3600 == 0 { return (interval.count / 3600, "hour") }
            if interval.count % 60 == 0 { return (interval.count / 60, "minute") }
            return (interval.count, "second")
        case .day: return (interval.count, "day")
        case .week: return (interval.count, "week")
        case .month: return (interval.count, "month")
        }
    }

    static func error(_ response: ProviderResponse, symbol: String) -> ProviderError {
        let body = try? JSONDecoder().decode(Page.self, from: response.body)
        let message = body?.error ?? body?.message ?? ProviderHTTPClient.snippet(response.body)
        switch response.status {
        case 401:
            return ProviderError(.unauthorized, .polygon, symbol: symbol, status: 401, "\(message); check POLYGON_API_KEY (or MASSIVE_API_KEY)")
        case 403:
            return ProviderError(.forbidden, .polygon, symbol: symbol, status: 403, "\(message); the plan of this key does not include this data")
        case 404:
            return ProviderError(.notFound, .polygon, symbol: symbol, status: 404, message)
        default:
            return ProviderError(.rejected, .polygon, symbol: symbol, status: response.status, message)
        }
    }

    struct Result: Decodable {
        let t: Int64
        let o, h, l, c, v: Double
        let vw: Double?
        let n: Double?
    }
    struct Page: Decodable {
        let status: String?
        let results: [Result]?
        let next_url: String?
        let error: String?
        let message: String?
    }
}
