import Foundation
import Hummingbird
import NIOCore
import TradewindAlpaca
import TradewindCore

/// Market Data v2 historical trades and quotes: `/v2/stocks/{symbol}/trades` and `/v2/stocks/{symbol}/quotes`, and
/// the multi-symbol `/v2/stocks/trades` and `/v2/stocks/quotes` (`symbols=A,B`), from the recording's ticks that
/// happened before the replay clock, each symbol's in time order, paged by `next_page_token`.
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
        addMultiSymbol(to: router, market)
    }

    static func addMultiSymbol(to router: Router<ExchangeContext>, _ market: ExchangeMarket) {
        router.get("/v2/stocks/trades") { request, _ in
            try multiPage(market.ticks?.trades ?? [:], request, market)
        }
        router.get("/v2/stocks/quotes") { request, _ in
            try multiPage(market.ticks?.quotes ?? [:], request, market)
        }
    }

    /// The page of several symbols' ticks a request asks for (`symbols`, and `start`, `end`, `limit` as for one):
    /// symbols in name order, at most `limit` ticks in all, from `page_token` (`SYMBOL-TICK`, hex positions in the
    /// sorted symbols and in that symbol's ticks). Symbols without recorded ticks are left out, as Alpaca leaves out
    /// symbols without data.
    static func multiPage<Tick: AlpacaTick>(_ tapes: [String: TickRecording.Tape<Tick>], _ request: Request,
                                           _ market: ExchangeMarket) throws(ExchangeFailure) -> Response {
        let q = request.uri.queryParameters
        guard let list = q.get("symbols"), !list.isEmpty else { throw ExchangeFailure(400, 40010001, "symbols is required") }
        let symbols = Array(Set(list.split(separator: ",").map { $0.uppercased() })).sorted()
        let start = try Query.time(q.get("start"), "start") ?? .min
        let end = try Query.time(q.get("end"), "end") ?? .max
        var left = try Query.int(q.get("limit"), "limit", default: 1000, range: 1...10_000)
        let now = market.now
        var cursor = (symbol: 0, tick: 0)
        if let token = q.get("page_token") {
            let parts = token.split(separator: "-").compactMap { Int($0, radix: 16) }
            guard parts.count == 2, parts[0] <= symbols.count, parts[1] >= 0 else { throw .invalid("page_token '\(token)' is invalid") }
            cursor = (parts[0], parts[1])
        }
        var out: [String: [Tick]] = [:]
        var next: String?
        for k in cursor.symbol..<symbols.count {
            guard let tape = tapes[symbols[k]] else { continue }
            let lo = tape.times.partitionPoint { $0 < start }
            let hi = min(tape.times.partitionPoint { $0 <= end }, tape.times.partitionPoint { $0 < now })
            let first = lo + (k == cursor.symbol ? cursor.tick : 0)
            guard first < hi else { continue }
            let take = min(left, hi - first)
            out[symbols[k]] = Array(tape.ticks[first..<(first + take)])
            left -= take
            if left == 0 {
                if first + take < hi {
                    next = String(k, radix: 16) + "-" + String(first + take - lo, radix: 16)
                } else if k + 1 < symbols.count {
                    next = String(k + 1, radix: 16) + "-0"
                }
                break
            }
        }
        // Plain JSON: the symbols are keys as they are (see `AlpacaMultiTicksPage`).
        let body = (try? JSONEncoder().encode(AlpacaMultiTicksPage(ticks: out, nextPageToken: next))) ?? Data("{}".utf8)
        return AlpacaReply.json(bytes: ByteBuffer(bytes: body))
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
