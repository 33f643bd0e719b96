/// One message of the real-time stock data stream (`/v2/iex`, `/v2/sip`): every frame is a JSON array of these,
/// told apart by `T` (`success`, `error`, `subscription`, `b` bar, `t` trade, `q` quote, `u` updated bar,
/// `d` daily bar). The fields are Alpaca's one-letter keys; `c` is a bar's close price but a trade's or quote's
/// list of conditions, so the two are kept apart here (`c` and `conditions`) and told apart by their JSON type.
public struct AlpacaDataMessage: Codable, Sendable, Hashable {
    public var T: String
    public var msg: String?
    public var code: Int?
    /// The symbol of a bar, trade or quote.
    public var S: String?
    /// Bar fields (`c` the close).
    public var o: Double?
    public var h: Double?
    public var l: Double?
    public var c: Double?
    public var v: Double?
    public var n: Int?
    public var vw: Double?
    /// The time: a bar's start, a trade's or quote's instant (RFC 3339, nanoseconds).
    public var t: String?
    /// A trade's id, price and size.
    public var i: Int?
    public var p: Double?
    public var s: Double?
    /// A trade's exchange code (`x`) and tape (`z`, also on quotes).
    public var x: String?
    public var z: String?
    /// A trade's or quote's conditions (the JSON key `c`, as an array of strings).
    public var conditions: [String]?
    /// A quote's bid and ask: exchange codes (`bx`, `ax`), prices (`bp`, `ap`) and sizes (`bs`, `as`).
    public var bx: String?
    public var bp: Double?
    public var bs: Double?
    public var ax: String?
    public var ap: Double?
    public var askSize: Double?
    /// Subscription lists.
    public var trades: [String]?
    public var quotes: [String]?
    public var bars: [String]?

    public init(T: String) { self.T = T }

    /// `[{"T":"success","msg":…}]`'s element.
    public static func success(_ msg: String) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "success")
        m.msg = msg
        return m
    }

    /// An error: 400 invalid syntax, 401 not authenticated, 402 auth failed, 403 already authenticated,
    /// 404 auth timeout, 405 symbol limit exceeded, 406 connection limit exceeded, 407 slow client,
    /// 408 v2 not enabled, 409 insufficient subscription, 500 internal error.
    public static func error(_ code: Int, _ msg: String) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "error")
        m.code = code
        m.msg = msg
        return m
    }

    /// A minute bar (`T: "b"`).
    public static func bar(_ symbol: String, _ bar: AlpacaBar) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "b")
        m.S = symbol
        m.o = bar.o; m.h = bar.h; m.l = bar.l; m.c = bar.c; m.v = bar.v; m.n = bar.n; m.vw = bar.vw
        m.t = bar.t
        return m
    }

    /// A trade (`T: "t"`).
    public static func trade(_ symbol: String, _ trade: AlpacaTrade) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "t")
        m.S = symbol
        m.i = trade.i; m.x = trade.x; m.p = trade.p; m.s = trade.s; m.t = trade.t; m.conditions = trade.c; m.z = trade.z
        return m
    }

    /// A quote (`T: "q"`).
    public static func quote(_ symbol: String, _ quote: AlpacaQuote) -> AlpacaDataMessage {
        var m = AlpacaDataMessage(T: "q")
        m.S = symbol
        m.bx = quote.bx; m.bp = quote.bp; m.bs = quote.bs
        m.ax = quote.ax; m.ap = quote.ap; m.askSize = quote.as
        m.t = quote.t; m.conditions = quote.c; m.z = quote.z
        return m
    }

    /// The bar of a `b` message.
    public var asBar: AlpacaBar? {
        guard let t, let o, let h, let l, let c else { return nil }
        return AlpacaBar(t: t, o: o, h: h, l: l, c: c, v: v ?? 0, n: n, vw: vw)
    }

    /// The trade of a `t` message (nil without a time, price or size).
    public var asTrade: AlpacaTrade? {
        guard let t, let p, let s else { return nil }
        return AlpacaTrade(t: t, x: x, p: p, s: s, c: conditions, i: i, z: z)
    }

    /// The quote of a `q` message (nil without a time).
    public var asQuote: AlpacaQuote? {
        guard let t else { return nil }
        return AlpacaQuote(t: t, bx: bx, bp: bp ?? 0, bs: bs ?? 0, ax: ax, ap: ap ?? 0, as: askSize ?? 0, c: conditions, z: z)
    }

    private enum Key: String, CodingKey {
        case T, msg, code, S, o, h, l, c, v, n, vw, t, i, p, s, x, z, bx, bp, bs, ax, ap, trades, quotes, bars
        case askSize = "as"
    }

    public init(from decoder: any Decoder) throws {
        let k = try decoder.container(keyedBy: Key.self)
        T = try k.decode(String.self, forKey: .T)
        msg = try k.decodeIfPresent(String.self, forKey: .msg)
        code = try k.decodeIfPresent(Int.self, forKey: .code)
        S = try k.decodeIfPresent(String.self, forKey: .S)
        o = try k.decodeIfPresent(Double.self, forKey: .o)
        h = try k.decodeIfPresent(Double.self, forKey: .h)
        l = try k.decodeIfPresent(Double.self, forKey: .l)
        // `c`: a bar's close (a number) or a trade's or quote's conditions (an array of strings).
        if let close = try? k.decodeIfPresent(Double.self, forKey: .c) {
            c = close
        } else {
            conditions = try k.decodeIfPresent([String].self, forKey: .c)
        }
        v = try k.decodeIfPresent(Double.self, forKey: .v)
        n = try k.decodeIfPresent(Int.self, forKey: .n)
        vw = try k.decodeIfPresent(Double.self, forKey: .vw)
        t = try k.decodeIfPresent(String.self, forKey: .t)
        i = try k.decodeIfPresent(Int.self, forKey: .i)
        p = try k.decodeIfPresent(Double.self, forKey: .p)
        s = try k.decodeIfPresent(Double.self, forKey: .s)
        x = try k.decodeIfPresent(String.self, forKey: .x)
        z = try k.decodeIfPresent(String.self, forKey: .z)
        bx = try k.decodeIfPresent(String.self, forKey: .bx)
        bp = try k.decodeIfPresent(Double.self, forKey: .bp)
        bs = try k.decodeIfPresent(Double.self, forKey: .bs)
        ax = try k.decodeIfPresent(String.self, forKey: .ax)
        ap = try k.decodeIfPresent(Double.self, forKey: .ap)
        askSize = try k.decodeIfPresent(Double.self, forKey: .askSize)
        trades = try k.decodeIfPresent([String].self, forKey: .trades)
        quotes = try k.decodeIfPresent([String].self, forKey: .quotes)
        bars = try k.decodeIfPresent([String].self, forKey: .bars)
    }

    public func encode(to encoder: any Encoder) throws {
        var k = encoder.container(keyedBy: Key.self)
        try k.encode(T, forKey: .T)
        try k.encodeIfPresent(msg, forKey: .msg)
        try k.encodeIfPresent(code, forKey: .code)
        try k.encodeIfPresent(S, forKey: .S)
        try k.encodeIfPresent(o, forKey: .o)
        try k.encodeIfPresent(h, forKey: .h)
        try k.encodeIfPresent(l, forKey: .l)
        if let c { try k.encode(c, forKey: .c) } else { try k.encodeIfPresent(conditions, forKey: .c) }
        try k.encodeIfPresent(v, forKey: .v)
        try k.encodeIfPresent(n, forKey: .n)
        try k.encodeIfPresent(vw, forKey: .vw)
        try k.encodeIfPresent(t, forKey: .t)
        try k.encodeIfPresent(i, forKey: .i)
        try k.encodeIfPresent(p, forKey: .p)
        try k.encodeIfPresent(s, forKey: .s)
        try k.encodeIfPresent(x, forKey: .x)
        try k.encodeIfPresent(z, forKey: .z)
        try k.encodeIfPresent(bx, forKey: .bx)
        try k.encodeIfPresent(bp, forKey: .bp)
        try k.encodeIfPresent(bs, forKey: .bs)
        try k.encodeIfPresent(ax, forKey: .ax)
        try k.encodeIfPresent(ap, forKey: .ap)
        try k.encodeIfPresent(askSize, forKey: .askSize)
        try k.encodeIfPresent(trades, forKey: .trades)
        try k.encodeIfPresent(quotes, forKey: .quotes)
        try k.encodeIfPresent(bars, forKey: .bars)
    }
}
