import Hummingbird
import TradewindAlpaca
import TradewindCore

/// Market Data v2 historical bars: `/v2/stocks/{symbol}/bars` and `/v2/stocks/bars?symbols=…`, from the recorded
/// bars that start before the replay clock, paged by `next_page_token`.
enum MarketDataRoutes {
    static func add(to router: Router<ExchangeContext>, _ market: ExchangeMarket) {
        router.get("/v2/stocks/bars") { request, _ in
            guard let list = request.uri.queryParameters.get("symbols"), !list.isEmpty else {
                throw ExchangeFailure(400, 40010001, "symbols is required")
            }
            let symbols = list.split(separator: ",").map { $0.uppercased() }
            let page = try BarQuery(request, market).page(symbols)
            return AlpacaReply.json(bytes: BarsPageJSON.multi(page.slices, token: page.token))
        }
        router.get("/v2/stocks/:symbol/bars") { request, context in
            let symbol = try context.parameters.require("symbol").uppercased()
            let page = try BarQuery(request, market).page([symbol])
            return AlpacaReply.json(bytes: BarsPageJSON.single(page.slices.first, symbol: symbol, token: page.token))
        }
    }
}

/// One bars request's parameters, checked.
struct BarQuery {
    let market: ExchangeMarket
    let start: UnixNanos
    /// Inclusive, as Alpaca's.
    let end: UnixNanos
    /// The replay clock: only bars that started before it are served.
    let now: UnixNanos
    let limit: Int
    let ascending: Bool
    /// Where the page starts: symbol index in the request's (sorted) list, and bar index.
    let cursor: (symbol: Int, bar: Int)

    init(_ request: Request, _ market: ExchangeMarket) throws(ExchangeFailure) {
        self.market = market
        let q = request.uri.queryParameters
        guard let tf = q.get("timeframe") else { throw .invalid("timeframe is required (1Min, 5Min, 15Min, 1Hour, 1Day)") }
        guard let seconds = Self.seconds(timeframe: tf) else {
            throw .invalid("timeframe '\(tf)' is invalid; expected [1-59]Min, [1-23]Hour or 1Day")
        }
        let interval = market.replay.interval
        let served = interval == .daily ? 86_400 : (interval.isIntraday ? interval.count : -1)
        guard seconds == served else {
            throw .invalid("timeframe \(tf) is not recorded here; this exchange replays \(interval) bars")
        }
        now = market.now
        start = try Query.time(q.get("start"), "start") ?? 0
        end = try Query.time(q.get("end"), "end") ?? now
        limit = try Query.int(q.get("limit"), "limit", default: 1000, range: 1...10_000)
        if let a = q.get("adjustment"), !["raw", "split", "dividend", "all"].contains(a) {
            throw .invalid("adjustment '\(a)' is invalid; expected raw, split, dividend or all")
        }
        if let f = q.get("feed"), !["iex", "sip", "otc", "delayed_sip"].contains(f) {
            throw .invalid("feed '\(f)' is invalid; expected iex, sip, otc or delayed_sip")
        }
        let sort = q.get("sort") ?? "asc"
        guard sort == "asc" || sort == "desc" else { throw .invalid("sort '\(sort)' is invalid; expected asc or desc") }
        ascending = sort == "asc"
        if let token = q.get("page_token") {
            let parts = token.split(separator: "-").compactMap { Int($0, radix: 16) }
            guard parts.count == 2, parts[0] >= 0, parts[1] >= 0 else { throw .invalid("page_token '\(token)' is invalid") }
            cursor = (parts[0], parts[1])
        } else {
            cursor = (0, 0)
        }
    }

    /// The bar length a `timeframe` names (`1Min`, `15Min`, `1Hour`, `1Day`; also `1T`, `1H`, `1D`), nil for others.
    static func seconds(timeframe text: String) -> Int? {
        let digits = text.prefix { $0.isNumber }
        guard let n = Int(digits), n > 0 else { return nil }
        switch text.dropFirst(digits.count) {
        case "Min", "T": return n < 60 ? n * 60 : nil
        case "Hour", "H": return n < 24 ? n * 3600 : nil
        case "Day", "D": return n == 1 ? 86_400 : nil
        default: return nil
        }
    }

    /// The page: each symbol's bars in `[start, end]` that started before the clock's now, sorted by symbol,
    /// at most `limit` in all, and the token of the next page.
    func page(_ requested: [String]) throws(ExchangeFailure) -> (slices: [BarSlice], token: String?) {
        let symbols = Array(Set(requested)).sorted()
        guard cursor.symbol <= symbols.count else {
            throw .invalid("page_token's symbol position \(cursor.symbol) is past the \(symbols.count) symbols asked for")
        }
        var out: [BarSlice] = []
        var left = limit
        for k in cursor.symbol..<symbols.count {
            guard let series = market.series(symbols[k]) else {
                if requested.count == 1 { throw .invalid("symbol \(symbols[k]) is not recorded here") }
                continue
            }
            let lo = series.time.partitionPoint { $0 < start }
            let hi = min(series.time.partitionPoint { $0 <= end }, series.time.partitionPoint { $0 < now })
            let available = max(0, hi - lo)
            let first = k == cursor.symbol ? cursor.bar : 0
            guard first < available else { continue }
            let take = min(left, available - first)
            let rows = ascending ? stride(from: lo + first, to: lo + first + take, by: 1)
                                 : stride(from: hi - 1 - first, to: hi - 1 - first - take, by: -1)
            out.append(BarSlice(symbol: symbols[k], series: series, rows: rows, count: take))
            left -= take
            if left == 0 {
                if first + take < available { return (out, String(k, radix: 16) + "-" + String(first + take, radix: 16)) }
                if k + 1 < symbols.count { return (out, String(k + 1, radix: 16) + "-0") }
                return (out, nil)
            }
        }
        return (out, nil)
    }
}

extension Array where Element == UnixNanos {
    /// The first index whose element fails `belongs` (the array is partitioned by it).
    func partitionPoint(_ belongs: (UnixNanos) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension AlpacaBar {
    /// A recorded bar as Alpaca serves it. Alpaca's bars always carry a trade count and a VWAP (SDKs require them);
    /// a recording without them is served with `n` 0 and the typical price (high + low + close) / 3 as `vw`.
    init(recorded start: UnixNanos, o: Double, h: Double, l: Double, c: Double, v: Double, n: Double? = nil, vw: Double? = nil) {
        self.init(recordedAt: AlpacaJSON.time(start), o: o, h: h, l: l, c: c, v: v, n: n, vw: vw)
    }

    /// The same, with the start already in Alpaca's text (a replay step formats its time once for all its bars).
    init(recordedAt start: String, o: Double, h: Double, l: Double, c: Double, v: Double, n: Double? = nil, vw: Double? = nil) {
        self.init(t: start, o: o, h: h, l: l, c: c, v: v, n: n.map { Int($0) } ?? 0, vw: vw ?? (h + l + c) / 3)
    }
}
