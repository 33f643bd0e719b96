import TradewindCore
import TradewindProviders

/// The data stream's messages in MessagePack, as Alpaca sends them to clients that connect with
/// `Content-Type: application/msgpack` (alpaca-py's `StockDataStream` does): the same keys as the JSON form, times
/// as the timestamp extension, whole volumes and counts as integers.
extension AlpacaDataMessage {
    /// The message as a MessagePack map (only the fields it has).
    public var messagePack: MessagePack {
        var pairs: [MessagePack.Pair] = [MessagePack.Pair(.string("T"), .string(T))]
        func put(_ key: String, _ value: MessagePack?) {
            if let value { pairs.append(MessagePack.Pair(.string(key), value)) }
        }
        func number(_ v: Double?) -> MessagePack? {
            guard let v else { return nil }
            return v == v.rounded() && abs(v) < 1e15 ? .int(Int64(v)) : .double(v)
        }
        put("code", code.map { .int(Int64($0)) })
        put("msg", msg.map(MessagePack.string))
        put("S", S.map(MessagePack.string))
        put("i", i.map { .int(Int64($0)) })
        put("o", o.map(MessagePack.double)); put("h", h.map(MessagePack.double)); put("l", l.map(MessagePack.double))
        put("c", c.map(MessagePack.double)); put("v", number(v)); put("p", p.map(MessagePack.double)); put("s", number(s))
        put("t", t.map { text in
            guard let instant = RFC3339.parse(text) else { return .string(text) }
            let seconds = UnixTime.floorDiv(instant, UnixTime.nanosPerSecond)
            return .timestamp(seconds: seconds, nanoseconds: UInt32(instant - seconds * UnixTime.nanosPerSecond))
        })
        put("n", n.map { .int(Int64($0)) })
        put("vw", vw.map(MessagePack.double))
        put("x", x.map(MessagePack.string))
        put("c", conditions.map { .array($0.map(MessagePack.string)) })
        put("z", z.map(MessagePack.string))
        put("bx", bx.map(MessagePack.string)); put("bp", bp.map(MessagePack.double)); put("bs", number(bs))
        put("ax", ax.map(MessagePack.string)); put("ap", ap.map(MessagePack.double)); put("as", number(askSize))
        put("trades", trades.map { .array($0.map(MessagePack.string)) })
        put("quotes", quotes.map { .array($0.map(MessagePack.string)) })
        put("bars", bars.map { .array($0.map(MessagePack.string)) })
        return .map(pairs)
    }

    /// A message read from its MessagePack map (nil when it is not a map with a string `T`).
    public init?(messagePack m: MessagePack) {
        guard let type = m["T"]?.string else { return nil }
        self.init(T: type)
        msg = m["msg"]?.string
        code = m["code"]?.double.map { Int($0) }
        S = m["S"]?.string
        o = m["o"]?.double; h = m["h"]?.double; l = m["l"]?.double; v = m["v"]?.double
        // `c`: a bar's close, or a trade's or quote's conditions.
        if let list = m["c"]?.array { conditions = list.compactMap(\.string) } else { c = m["c"]?.double }
        x = m["x"]?.string; z = m["z"]?.string
        bx = m["bx"]?.string; bp = m["bp"]?.double; bs = m["bs"]?.double
        ax = m["ax"]?.string; ap = m["ap"]?.double; askSize = m["as"]?.double
        n = m["n"]?.double.map { Int($0) }
        vw = m["vw"]?.double
        i = m["i"]?.double.map { Int($0) }
        p = m["p"]?.double; s = m["s"]?.double
        switch m["t"] {
        case .timestamp(let seconds, let nanos)?:
            t = AlpacaJSON.preciseTime(seconds * UnixTime.nanosPerSecond + UnixNanos(nanos))
        case .string(let text)?: t = text
        default: break
        }
        trades = m["trades"]?.array?.compactMap(\.string)
        quotes = m["quotes"]?.array?.compactMap(\.string)
        bars = m["bars"]?.array?.compactMap(\.string)
    }
}

extension AlpacaDataAction {
    /// An action read from its MessagePack map (`{"action":"auth","key":…,"secret":…}`, `subscribe` with lists);
    /// nil when it is not a map with a string `action`.
    public init?(messagePack m: MessagePack) {
        guard let action = m["action"]?.string else { return nil }
        func list(_ key: String) -> [String]? { m[key]?.array?.compactMap(\.string) }
        self.init(action: action, key: m["key"]?.string, secret: m["secret"]?.string, trades: list("trades"),
                  quotes: list("quotes"), bars: list("bars"))
    }
}
