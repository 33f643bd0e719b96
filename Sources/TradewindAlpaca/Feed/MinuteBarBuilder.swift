import TradewindCore

/// Minute bars built from trades, as Alpaca builds its own: a trade belongs to the minute its time falls in
/// (`start <= t < start + 1 min`, the bar labelled with its start); `TradeConditions` says which trades set the
/// open and close, which the high and low, and which count in the volume, trade count (`n`) and VWAP (`vw`); a
/// minute with no trade that can be its open or close has no bar.
///
/// A minute closes, and its bars come out (by symbol), when a trade of a later minute arrives, for any symbol, or
/// when `close(through:)` says the clock passed it (a minute that has trades). A trade for a minute already closed is late: it is dropped and
/// counted in `lateTrades` (Alpaca would send an updated bar half a minute later; a trading run has already acted on
/// the bar, so it is not changed).
public struct MinuteBarBuilder: Sendable {
    /// A finished bar and its symbol and start.
    public struct Built: Sendable, Hashable {
        public let symbol: String
        public let start: UnixNanos
        public let bar: AlpacaBar
    }

    private struct Accumulating: Sendable {
        var open = 0.0, high = -Double.infinity, low = Double.infinity, close = 0.0
        var priced = false
        var volume = 0.0, notional = 0.0, count = 0
    }

    /// Open bars: by minute start, then symbol.
    private var open: [UnixNanos: [String: Accumulating]] = [:]
    /// Every minute that starts before this is closed.
    public private(set) var closedBefore: UnixNanos = .min
    /// Trades that came after their minute closed (dropped).
    public private(set) var lateTrades = 0

    public init() {}

    /// The start of the minute `instant` falls in.
    public static func minute(of instant: UnixNanos) -> UnixNanos {
        UnixTime.floorDiv(instant, UnixTime.nanosPerMinute) * UnixTime.nanosPerMinute
    }

    /// Adds one trade at `instant`; returns the bars its arrival closed (those of earlier minutes), in time then symbol
    /// order. Returns false in `accepted` when the trade was late.
    public mutating func add(_ symbol: String, _ trade: AlpacaTrade, at instant: UnixNanos) -> (closed: [Built], accepted: Bool) {
        let start = Self.minute(of: instant)
        guard start >= closedBefore else {
            lateTrades += 1
            return ([], false)
        }
        let closed = close(before: start)
        var a = open[start, default: [:]][symbol, default: Accumulating()]
        if TradeConditions.updatesHighLow(trade.c) {
            a.high = max(a.high, trade.p)
            a.low = min(a.low, trade.p)
        }
        if TradeConditions.updatesOpenClose(trade.c) {
            if !a.priced { a.open = trade.p }
            a.priced = true
            a.close = trade.p
        }
        if TradeConditions.updatesVolume(trade.c) {
            a.volume += trade.s
            a.notional += trade.p * trade.s
            a.count += 1
        }
        open[start, default: [:]][symbol] = a
        return (closed, true)
    }

    /// Closes every open minute that ended by `instant` (the clock passed it); returns their bars. Minutes with no
    /// trade yet stay open to trades (a replay of the past is not closed by today's clock before its trades came).
    public mutating func close(through instant: UnixNanos) -> [Built] {
        let end = Self.minute(of: instant)
        guard let newest = open.keys.filter({ $0 < end }).max() else { return [] }
        return close(before: newest + UnixTime.nanosPerMinute)
    }

    /// Closes every open minute (the end of a recording).
    public mutating func closeAll() -> [Built] {
        guard let last = open.keys.max() else { return [] }
        return close(before: last + UnixTime.nanosPerMinute)
    }

    private mutating func close(before start: UnixNanos) -> [Built] {
        guard start > closedBefore else { return [] }
        closedBefore = start
        var out: [Built] = []
        for minute in open.keys.filter({ $0 < start }).sorted() {
            for (symbol, a) in open.removeValue(forKey: minute)!.sorted(by: { $0.key < $1.key }) where a.priced {
                out.append(Built(symbol: symbol, start: minute, bar: AlpacaBar(
                    t: AlpacaJSON.time(minute), o: a.open, h: a.high, l: a.low, c: a.close, v: a.volume, n: a.count,
                    vw: a.volume > 0 ? a.notional / a.volume : a.close)))
            }
        }
        return out
    }

    /// One symbol's minute bars from its recorded trades (in any order; times that do not parse are skipped).
    public static func bars(_ symbol: String, from trades: [AlpacaTrade]) -> [Built] {
        var builder = MinuteBarBuilder()
        var out: [Built] = []
        let timed = trades.compactMap { trade in AlpacaJSON.instant(trade.t).map { ($0, trade) } }
        for (instant, trade) in timed.sorted(by: { $0.0 < $1.0 }) {
            out += builder.add(symbol, trade, at: instant).closed
        }
        return out + builder.closeAll()
    }
}
