import Foundation
import TradewindCore

extension AlpacaRESTClient {
    /// Every trade of `symbols` in `[from, to]` (Market Data v2 `/v2/stocks/trades`), by symbol in time order, page
    /// after page (`limit` per page, 1–10000) until the last.
    public func trades(symbols: [String], from: UnixNanos, to: UnixNanos, feed: String? = nil,
                       limit: Int = 10_000) async throws(AlpacaError) -> [String: [AlpacaTrade]] {
        try await ticks(AlpacaTrade.self, symbols: symbols, from: from, to: to, feed: feed, limit: limit)
    }

    /// Every NBBO quote of `symbols` in `[from, to]` (`/v2/stocks/quotes`), by symbol in time order, every page.
    public func quotes(symbols: [String], from: UnixNanos, to: UnixNanos, feed: String? = nil,
                       limit: Int = 10_000) async throws(AlpacaError) -> [String: [AlpacaQuote]] {
        try await ticks(AlpacaQuote.self, symbols: symbols, from: from, to: to, feed: feed, limit: limit)
    }

    func ticks<Tick: AlpacaTick>(_ type: Tick.Type, symbols: [String], from: UnixNanos, to: UnixNanos, feed: String?,
                                 limit: Int) async throws(AlpacaError) -> [String: [Tick]] {
        let path = "/v2/stocks/" + Tick.pageKey
        guard !symbols.isEmpty else { return [:] }
        guard (1...10_000).contains(limit) else {
            throw .malformed(path: path, detail: "limit \(limit) is out of range; Alpaca takes 1 to 10000 per page")
        }
        var query = [("symbols", symbols.map { $0.uppercased() }.joined(separator: ",")), ("start", AlpacaJSON.time(from)),
                     ("end", AlpacaJSON.time(to)), ("limit", String(limit))]
        if let feed { query.append(("feed", feed)) }
        var out: [String: [Tick]] = [:]
        var token: String?
        var seen: Set<String> = []
        repeat {
            let r = try await call(.GET, endpoints.data, path, query: query + (token.map { [("page_token", $0)] } ?? []),
                                   idempotent: true)
            let page: AlpacaMultiTicksPage<Tick>
            do { page = try JSONDecoder().decode(AlpacaMultiTicksPage<Tick>.self, from: r.body) } catch {
                throw .malformed(path: path, detail: "\(error)")
            }
            for (symbol, ticks) in page.ticks { out[symbol, default: []] += ticks }
            token = page.nextPageToken
            // A token seen before would loop for ever: a broken server, reported.
            if let t = token, !seen.insert(t).inserted {
                throw .malformed(path: path, detail: "next_page_token '\(t)' repeats an earlier page's")
            }
        } while token != nil
        return out
    }
}
