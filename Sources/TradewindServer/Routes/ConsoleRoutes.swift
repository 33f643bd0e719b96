import Foundation
import Hummingbird
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStore

extension Routes {
    struct KeywordPut: Decodable {
        var symbols: [String]
        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: ["symbols"])
            symbols = try decoder.container(keyedBy: AnyCodingKey.self).decode([String].self, forKey: AnyCodingKey(stringValue: "symbols"))
        }
    }

    /// A provider credential the server can use, and whether it is set; never its value.
    struct KeyStatus: Encodable {
        var provider: String
        var variable: String
        var configured: Bool
        var masked: String?
    }

    /// The environment variables of the data and broker providers Tradewind knows.
    static let providerKeys: [(String, String)] = [
        ("alpaca", "ALPACA_API_KEY_ID"), ("alpaca", "ALPACA_API_SECRET_KEY"), ("polygon", "POLYGON_API_KEY"),
        ("tiingo", "TIINGO_API_KEY"), ("alphavantage", "ALPHAVANTAGE_API_KEY"), ("finnhub", "FINNHUB_API_KEY"),
        ("fmp", "FMP_API_KEY"), ("databento", "DATABENTO_API_KEY"),
    ]

    struct Bar: Encodable {
        var time: String
        var open: Double
        var high: Double
        var low: Double
        var close: Double
        var volume: Double
    }

    struct PricesBody: Encodable {
        var symbol: String
        var interval: String
        var items: [Bar]
        var total: Int
        var limit: Int
        var offset: Int
    }

    static func addConsole(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/keywords") { request, _ -> Response in
            let page = try await state.store.keywords(page: try Query(request).page(defaultLimit: 100))
            return try JSON.response(PageBody(page) { KeywordBody(name: $0.name, symbols: $0.symbols, updatedAt: state.times.string($0.updatedAt)) })
        }
        router.put("/api/keywords/{name}") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let body = try await JSON.decode(KeywordPut.self, from: request)
            let k = try await state.store.putKeyword(name, symbols: body.symbols)
            return try JSON.response(KeywordBody(name: k.name, symbols: k.symbols, updatedAt: state.times.string(k.updatedAt)))
        }
        router.delete("/api/keywords/{name}") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard try await state.store.deleteKeyword(name) else { throw APIError.notFound("no keyword \(name)") }
            return JSON.response(#"{"deleted":1}"#)
        }
        router.get("/api/keys") { _, _ -> Response in
            let env = ProcessInfo.processInfo.environment
            let keys = providerKeys.map { provider, variable in
                let set = !(env[variable] ?? "").isEmpty
                return KeyStatus(provider: provider, variable: variable, configured: set, masked: set ? "********" : nil)
            }
            return try JSON.response(["items": keys])
        }
        router.get("/api/prices") { request, _ -> Response in
            let q = Query(request)
            if let tickers = q.string("tickers") { return try await livePrices(tickers, state) }
            let data = q.string("data") ?? state.configuration.defaultData
            let page = try q.page(defaultLimit: 500)
            let zone = try MarketLoader.zone(q.string("tz"))
            var from: UnixNanos?
            var to: UnixNanos?
            if let text = q.string("from") {
                guard let t = Timestamps.parse(text, zone: zone) else {
                    throw APIError.badRequest("from \(text): expected a date (2024-01-31) or an ISO 8601 time", field: "from")
                }
                from = t
            }
            if let text = q.string("to") {
                guard let t = Timestamps.parse(text, zone: zone) else {
                    throw APIError.badRequest("to \(text): expected a date (2024-01-31) or an ISO 8601 time", field: "to")
                }
                to = text.count == 10 ? t + 86_400_000_000_000 - 1 : t
            }
            try state.loader.check(data)
            let symbol = q.string("symbol")
            let loader = state.loader, times = state.times
            let body = try await DedicatedThread.run(name: "tw-prices") { () throws -> PricesBody in
                let dataset = try loader.load(data, symbols: symbol.map { [$0] }, zone: zone, adjust: .raw, threads: .single)
                guard let series = symbol.flatMap({ s in dataset.series.first { $0.symbol == s } }) ?? dataset.series.first else {
                    throw APIError.badRequest("no bars in \(data)", field: "data")
                }
                let cut = series.between(from ?? .min, to ?? .max)
                let start = min(page.offset, cut.count)
                let end = min(cut.count, start + page.limit)
                let bars = (start..<end).map {
                    Bar(time: times.string(cut.time[$0]), open: cut.open[$0], high: cut.high[$0], low: cut.low[$0],
                        close: cut.close[$0], volume: cut.volume[$0])
                }
                return PricesBody(symbol: cut.symbol, interval: "\(cut.interval)", items: bars, total: cut.count,
                                  limit: page.limit, offset: page.offset)
            }
            return try JSON.response(body)
        }
        router.post("/api/backtest") { request, _ -> Response in
            let body = try await JSON.decode(BacktestRequest.self, from: request)
            let run = try await state.backtests.run(body, threads: state.scheduler.budget, on: state.backtestThreads)
            // The result and its session in one transaction, whose commit concurrent requests share (group commit).
            _ = try await state.store.storeBacktest(run.result, session: run.session)
            state.metrics.evaluations.increment()
            return JSON.response(run.encoded.response(marketCondition: run.outcome.marketCondition))
        }
    }
}
