import Hummingbird
import TradewindAlpaca
import TradewindCore

/// Market Data v2 historical trades and quotes: `/v2/stocks/{symbol}/trades` and `/v2/stocks/{symbol}/quotes`, from
/// the recording's ticks that happened before the replay clock, in time order, paged by `next_page_token`.
enum TickRoutes {
    static func add(to router: Router<ExchangeContext>, _ market: ExchangeMarket) {
        router.get("/v2/stocks/:symbol/trades") { request, context in
            let symbol = try context.parameters.require("symbol").uppercased()
            guard let tape = market.ticks?.trades[symbol] else { throw ExchangeFailure.invalid("symbol \(symbol) has no recorded trades here") }
            let (ticks, token) = try page(tape, request, market)
            return AlpacaReply.json(AlpacaTradesPage(trades: ticks, symbol: symbol, nextPageToken: token))
        }
        router.get("/v2/stocks/:symbol/quotes") { request, context in
            let symbol = try context.parameters.require("symbol").uppercased()
            guard let tape = market.ticks?.quotes[symbol] else { throw ExchangeFailure.invalid("symbol \(symbol) has no recorded quotes here") }
            let (ticks, token) = try page(tape, request, market)
            return AlpacaReply.json(AlpacaQuotesPage(quotes: ticks, symbol: symbol, nextPageToken: token))
        }
    }

    /// The page of `tape` a request asks for: `start` and `end` (inclusive, RFC 3339), before the replay clock, at most
    /// `limit` (1–10000, 1000 by default) from `page_token` (the hex index of the page's first tick).
    static func page<Tick: Sendable>(_ tape: TickRecording.Tape<Tick>, _ request: Request, _ market: ExchangeMarket) throws(ExchangeFailure) -> ([Tick], String?) {
        let q = request.uri.queryParameters
        let start = try Query.time(q.get("start"), "start") ?? .min
        let end = try Query.time(q.get("end"), "end") ?? .max
        let limit = try Query.int(q.get("limit"), "limit", default: 1000, range: 1...10_000)
        let now = market.now
        let lo = tape.times.partitionPoint { $0 < start }
        let hi = min(tape.times.partitionPoint { $0 <= end }, tape.times.partitionPoint { $0 < now })
        var first = lo
        if let token = q.get("page_token") {
            guard let k = Int(token, radix: 16), k >= lo, k <= hi else { throw .invalid("page_token '\(token)' is invalid") }
            first = k
        }
        let last = min(hi, first + limit)
        guard first < last else { return ([], nil) }
        return (Array(tape.ticks[first..<last]), last < hi ? String(last, radix: 16) : nil)
    }
}
