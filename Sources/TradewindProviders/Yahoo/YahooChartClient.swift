import Foundation
import TradewindCore

/// Yahoo Finance chart v8: `GET /v8/finance/chart/{symbol}?period1=&period2=&interval=&events=div,splits`, answered
/// as `chart.result[0]` with `timestamp`, `indicators.quote[0]` (arrays with `null` for missing bars, which are
/// skipped) and `events.dividends`; `chart.error` explains failures. No key.
///
/// Yahoo's chart prices come split-adjusted as of the day they are fetched (for every split up to then, not only
/// those in the range), so raw prices cannot be recovered from one answer: Tradewind keeps them split-adjusted,
/// with dividends in the same terms and no split column (which would adjust them twice), and says so
/// (`rawPrices: false`). Intraday ranges are asked for a week at a time (Yahoo's limit per call for 1m bars).
public struct YahooChartClient: MarketDataProvider {
    public var id: ProviderID { .yahoo }
    public var capabilities: ProviderCapabilities { Self.capabilities }

    public static let capabilities = ProviderCapabilities(
        intervals: [.minute, .minutes(5), .minutes(15), .minutes(30), .hours(1), .daily, .weekly, .monthly],
        rawPrices: false, corporateActions: true, history: "decades of daily bars; 1m for the last 30 days, 5m–1h for 60–730 days",
        defaultRate: .perMinute(60))

    public static let defaultBaseURL = "https://query1.finance.yahoo.com"

    public let baseURL: String
    public let policy: RequestPolicy
    public let http: ProviderHTTPClient

    public init(baseURL: String = defaultBaseURL, policy: RequestPolicy, http: ProviderHTTPClient = .shared) {
        var u = baseURL
        while u.hasSuffix("/") { u.removeLast() }
        self.baseURL = u
        self.policy = policy
        self.http = http
    }

    public func bars(_ request: BarRequest) async throws(ProviderError) -> BarSeries {
        try capabilities.check(request.interval, provider: .yahoo)
        let interval = Self.interval(request.interval)
        let chunk: Int64 = request.interval.isIntraday ? 7 * UnixTime.secondsPerDay : 400 * 365 * UnixTime.secondsPerDay
        var columns = BarColumns()
        var dividends: [(time: UnixNanos, amount: Double)] = []
        var start = UnixTime.floorDiv(request.from, UnixTime.nanosPerSecond)
        let end = UnixTime.floorDiv(request.to, UnixTime.nanosPerSecond)
        while start < end {
            let stop = min(end, start + chunk)
            let url = baseURL + "/v8/finance/chart/\(AlpacaBarsClient.escape(request.symbol))?period1=\(start)&period2=\(stop)"
                + "&interval=\(interval)&events=div%2Csplits&includePrePost=false"
            let result = try await chart(url, symbol: request.symbol)
            let t = result.timestamp ?? []
            if let quote = result.indicators?.quote?.first, !t.isEmpty {
                let o = quote.open ?? [], h = quote.high ?? [], l = quote.low ?? [], c = quote.close ?? [], v = quote.volume ?? []
                guard o.count == t.count, h.count == t.count, l.count == t.count, c.count == t.count else {
                    throw ProviderError(.malformed, .yahoo, symbol: request.symbol, "the quote arrays differ in length from timestamp (\(t.count))")
                }
                columns.reserve(columns.count + t.count)
                for i in t.indices {
                    guard let oi = o[i], let hi = h[i], let li = l[i], let ci = c[i] else { continue }  // a bar Yahoo lacks
                    columns.append(time: t[i] * UnixTime.nanosPerSecond, open: oi, high: hi, low: li, close: ci,
                                   volume: (i < v.count ? v[i] : nil) ?? 0)
                }
            }
            for d in (result.events?.dividends ?? [:]).values { dividends.append((d.date * UnixTime.nanosPerSecond, d.amount)) }
            start = stop
        }
        guard columns.count > 0 else {
            throw ProviderError(.noData, .yahoo, symbol: request.symbol, "no bars for \(request.symbol) in this range")
        }
        var series = try columns.series(for: request, provider: .yahoo)
        if !dividends.isEmpty && !request.interval.isIntraday {
            // A dividend belongs to the bar of its ex-date (the New York date of its stamp).
            var column = [Double](repeating: 0, count: series.count)
            let ny = ZoneRules.newYork
            for d in dividends {
                let open = ny.instant(ny.localDate(of: d.time), hour: 9, minute: 30)
                let i = series.firstIndex(atOrAfter: open)
                if i < series.count && series.time[i] == open { column[i] += d.amount }
            }
            series.dividend = column
        }
        return series
    }

    public func latestPrice(_ symbol: String) async throws(ProviderError) -> LatestPrice {
        let result = try await chart(baseURL + "/v8/finance/chart/\(AlpacaBarsClient.escape(symbol))?range=1d&interval=1m", symbol: symbol)
        guard let price = result.meta?.regularMarketPrice, let time = result.meta?.regularMarketTime else {
            throw ProviderError(.noData, .yahoo, symbol: symbol, "no regular market price for \(symbol)")
        }
        return LatestPrice(symbol: symbol, price: price, time: time * UnixTime.nanosPerSecond, provider: .yahoo)
    }

    private func chart(_ url: String, symbol: String) async throws(ProviderError) -> Result {
        let response = try await http.get(url, provider: .yahoo, symbol: symbol, policy: policy)
        let answer = try? JSONDecoder().decode(Answer.self, from: response.body)
        if let error = answer?.chart.error {
            let kind: ProviderError.Kind = response.status == 404 || error.code == "Not Found" ? .notFound : .rejected
            throw ProviderError(kind, .yahoo, symbol: symbol, status: response.status, "\(error.code ?? "error"): \(error.description ?? "")")
        }
        guard response.status / 100 == 2 else {
            throw ProviderError(.rejected, .yahoo, symbol: symbol, status: response.status, ProviderHTTPClient.snippet(response.body))
        }
        let decoded = try JSONReading.decode(Answer.self, from: response.body, provider: .yahoo, symbol: symbol, what: "chart")
        guard let result = decoded.chart.result?.first else {
            throw ProviderError(.noData, .yahoo, symbol: symbol, "the chart answer has no result")
        }
        return result
    }

    static func interval(_ interval: BarInterval) -> String {
        switch interval.unit {
        case .seconds: return "\(interval.count / 60)m"
        case .day: return "1d"
        case .week: return "1wk"
        case .month: return "1mo"
        }
    }

    struct Answer: Decodable {
        let chart: Chart
    }
    struct Chart: Decodable {
        let result: [Result]?
        let error: ChartError?
    }
    struct ChartError: Decodable {
        let code: String?
        let description: String?
    }
    struct Result: Decodable {
        let meta: Meta?
        let timestamp: [Int64]?
        let indicators: Indicators?
        let events: Events?
    }
    struct Meta: Decodable {
        let regularMarketPrice: Double?
        let regularMarketTime: Int64?
    }
    struct Indicators: Decodable {
        let quote: [Quote]?
    }
    struct Quote: Decodable {
        let open, high, low, close, volume: [Double?]?
    }
    struct Events: Decodable {
        let dividends: [String: Dividend]?
    }
    struct Dividend: Decodable {
        let amount: Double
        let date: Int64
    }
}
