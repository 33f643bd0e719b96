import Foundation
import TradewindCore

/// Finnhub stock candles: `GET /stock/candle?symbol=&resolution=&from=&to=` (UNIX seconds), answered as parallel
/// arrays `t o h l c v` with `s: "ok"` or `s: "no_data"`; `GET /quote` for the latest price. The key goes in the
/// `X-Finnhub-Token` header. Intraday ranges are asked for a month at a time (Finnhub's documented limit per call).
public struct FinnhubCandlesClient: MarketDataProvider {
    public var id: ProviderID { .finnhub }
    public var capabilities: ProviderCapabilities { Self.capabilities }

    public static let capabilities = ProviderCapabilities(
        intervals: [.minute, .minutes(5), .minutes(15), .minutes(30), .hours(1), .daily, .weekly, .monthly],
        rawPrices: false, corporateActions: false, history: "candles need a paid plan (free keys get 403)",
        defaultRate: .perMinute(60))

    public static let defaultBaseURL = "https://finnhub.io/api/v1"

    /// The key, base URL, request policy and HTTP client.
    public let connection: ProviderConnection

    public init(apiKey: String, baseURL: String = defaultBaseURL, policy: RequestPolicy, http: ProviderHTTPClient = .shared) {
        connection = ProviderConnection(apiKey: apiKey, baseURL: baseURL, policy: policy, http: http)
    }

    public func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries {
        try capabilities.check(request.interval, provider: .finnhub)
        let resolution = Self.resolution(request.interval)
        let chunk: Int64 = request.interval.isIntraday ? 30 * UnixTime.secondsPerDay : 400 * 365 * UnixTime.secondsPerDay
        var columns = BarColumns()
        var start = UnixTime.floorDiv(request.from, UnixTime.nanosPerSecond)
        let end = UnixTime.floorDiv(request.to - 1, UnixTime.nanosPerSecond)
        while start <= end {
            let stop = min(end, start + chunk - 1)
            let url = connection.baseURL + "/stock/candle?symbol=\(AlpacaBarsClient.escape(request.symbol))&resolution=\(resolution)&from=\(start)&to=\(stop)"
            let body = try await get(url, symbol: request.symbol)
            let answer = try JSONReading.decode(Candles.self, from: body, provider: .finnhub, symbol: request.symbol, what: "candles")
            if answer.s == "ok" {
                let t = answer.t ?? [], o = answer.o ?? [], h = answer.h ?? [], l = answer.l ?? [], c = answer.c ?? [], v = answer.v ?? []
                guard o.count == t.count, h.count == t.count, l.count == t.count, c.count == t.count, v.count == t.count else {
                    throw ProviderError(.malformed, .finnhub, symbol: request.symbol,
                                        "the candle arrays differ in length (t \(t.count), o \(o.count), h \(h.count), l \(l.count), c \(c.count), v \(v.count))")
                }
                columns.reserve(columns.count + t.count)
                for i in t.indices {
                    columns.append(time: t[i] * UnixTime.nanosPerSecond, open: o[i], high: h[i], low: l[i], close: c[i], volume: v[i])
                }
            } else if answer.s != "no_data" {
                throw ProviderError(.malformed, .finnhub, symbol: request.symbol, "unexpected candle status '\(answer.s ?? "")'")
            }
            start = stop + 1
        }
        guard columns.count > 0 else {
            throw ProviderError(.noData, .finnhub, symbol: request.symbol, "no candles for \(request.symbol) in this range (s: no_data)")
        }
        return try columns.series(for: request, provider: .finnhub, utcMidnightDates: true)
    }

    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        let body = try await get(connection.baseURL + "/quote?symbol=\(AlpacaBarsClient.escape(symbol))", symbol: symbol)
        let q = try JSONReading.decode(Quote.self, from: body, provider: .finnhub, symbol: symbol, what: "quote")
        guard let price = q.c, price > 0, let t = q.t, t > 0 else {
            throw ProviderError(.noData, .finnhub, symbol: symbol, "no quote for \(symbol)")
        }
        return LatestPrice(symbol: symbol, price: price, time: t * UnixTime.nanosPerSecond, provider: .finnhub)
    }

    private func get(_ url: String, symbol: String) async throws(ProviderError) -> Data {
        let response = try await connection.get(url, keyHeader: "X-Finnhub-Token", provider: .finnhub, symbol: symbol)
        guard response.status / 100 == 2 else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: response.body))?.error ?? ProviderHTTPClient.snippet(response.body)
            switch response.status {
            case 401:
                throw ProviderError(.unauthorized, .finnhub, symbol: symbol, status: 401, "\(message); check FINNHUB_API_KEY")
            case 403:
                throw ProviderError(.forbidden, .finnhub, symbol: symbol, status: 403,
                                    "\(message) — Finnhub's free plan has no access to stock candles; use a paid key, or another provider (--provider auto falls back)")
            default:
                throw ProviderError(.rejected, .finnhub, symbol: symbol, status: response.status, message)
            }
        }
        return response.body
    }

    static func resolution(_ interval: BarInterval) -> String {
        switch interval.unit {
        case .seconds: return "\(interval.count / 60)"
        case .day: return "D"
        case .week: return "W"
        case .month: return "M"
        }
    }

    struct Candles: Decodable {
        let s: String?
        let t: [Int64]?
        let o, h, l, c, v: [Double]?
    }
    struct Quote: Decodable {
        let c: Double?
        let t: Int64?
    }
    struct ErrorBody: Decodable {
        let error: String
    }
}
