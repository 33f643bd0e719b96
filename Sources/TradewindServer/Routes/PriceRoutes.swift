import Foundation
import Hummingbird
import TradewindProviders

extension Routes {
    struct LivePriceBody: Encodable {
        var symbol: String
        var price: Double
        var time: String
        var provider: String
    }

    struct LivePricesBody: Encodable {
        var prices: [LivePriceBody]
        var errors: [LivePriceErrorBody]
    }

    struct LivePriceErrorBody: Encodable {
        var symbol: String
        var error: String
        var message: String
    }

    struct LiveChartCacheBody: Encodable {
        var maxAgeSeconds: Double
        var entries: [LiveCacheEntryBody]
        enum CodingKeys: String, CodingKey {
            case entries
            case maxAgeSeconds = "max_age_seconds"
        }
    }

    struct LiveCacheEntryBody: Encodable {
        var symbol: String
        var price: Double
        var time: String
        var provider: String
        var ageSeconds: Double
        enum CodingKeys: String, CodingKey {
            case symbol, price, time, provider
            case ageSeconds = "age_seconds"
        }
    }

    /// The most tickers one `GET /api/prices` may ask for.
    static let maxTickers = 100

    /// Live prices (the AI trading server's endpoints): `GET /api/prices/{ticker}`, `GET /api/chart-cache` (what is
    /// cached, with ages), and `GET /api/prices?tickers=A,B` through `livePrices` (that path is the console's).
    /// Opt-in: `TRADEWIND_PRICE_PROVIDERS` names the providers.
    static func addPrices(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/prices/{ticker}") { _, context -> Response in
            let ticker = context.parameters.get("ticker") ?? ""
            guard LivePrices.isValidSymbol(ticker) else {
                throw APIError.badRequest("ticker: 1 to 20 letters, digits or . - ^ = /", field: "ticker")
            }
            let price: LatestPrice
            do throws(ProviderError) {
                price = try await state.prices.price(ticker)
            } catch {
                throw apiError(error)
            }
            return try JSON.response(priceBody(price, state))
        }
        router.get("/api/chart-cache") { _, _ -> Response in
            let entries = await state.prices.cached()
            let maxAge = state.prices.maxAge.components
            return try JSON.response(LiveChartCacheBody(
                maxAgeSeconds: Double(maxAge.seconds) + Double(maxAge.attoseconds) * 1e-18,
                entries: entries.map {
                    LiveCacheEntryBody(symbol: $0.price.symbol, price: $0.price.price, time: state.times.string($0.price.time),
                                   provider: $0.price.provider.rawValue, ageSeconds: $0.ageSeconds)
                }))
        }
    }

    /// `GET /api/prices?tickers=A,B` (the console's `GET /api/prices` hands requests with `tickers` here).
    static func livePrices(_ list: String, _ state: ServerState) async throws -> Response {
        let tickers = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !tickers.isEmpty, tickers.count <= maxTickers else {
            throw APIError.badRequest("tickers: give 1 to \(maxTickers) symbols, comma-separated", field: "tickers")
        }
        if let bad = tickers.first(where: { !LivePrices.isValidSymbol($0) }) {
            throw APIError.badRequest("tickers: '\(bad)' is not a ticker (1 to 20 letters, digits or . - ^ = /)", field: "tickers")
        }
        guard state.prices.chain != nil else { throw apiError(ProviderError(.notConfigured, provider: "prices", "")) }
        let result = await state.prices.prices(tickers)
        return try JSON.response(LivePricesBody(
            prices: result.prices.map { priceBody($0, state) },
            errors: result.errors.map { LivePriceErrorBody(symbol: $0.symbol ?? "", error: $0.kind.rawValue, message: $0.description) }))
    }

    static func priceBody(_ p: LatestPrice, _ state: ServerState) -> LivePriceBody {
        LivePriceBody(symbol: p.symbol, price: p.price, time: state.times.string(p.time), provider: p.provider.rawValue)
    }

    /// A provider's failure as an API error: 409 when no provider is configured (the server's configuration, not a
    /// fault: set TRADEWIND_PRICE_PROVIDERS), 404 for an unknown symbol, 502 for the providers' own failures.
    static func apiError(_ e: ProviderError) -> APIError {
        switch e.kind {
        case .notConfigured:
            return APIError(.conflict, "not_configured",
                            "no price provider is configured; set TRADEWIND_PRICE_PROVIDERS (e.g. alpaca,yahoo) and their keys")
        case .notFound, .noData:
            return APIError(.notFound, "not_found", e.description)
        default:
            return APIError(.badGateway, "provider_failed", e.description)
        }
    }
}
