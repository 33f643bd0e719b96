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

    /// A message read from its MessagePack map. Throws `AlpacaDataMessageError` naming the field when the value is
    /// not a map with a string `T`, or when a field that holds a whole number (`code`, `n`, `i`) is not one that fits
    /// (NaN, infinite, fractional or huge), or a timestamp lies outside the nanosecond range (years 1677–2262).
    public init(messagePack m: MessagePack) throws(AlpacaDataMessageError) {
        guard case .map = m else { throw AlpacaDataMessageError(field: nil, "a message must be a map, not \(Self.kind(m))") }
        guard let type = m["T"]?.string else { throw AlpacaDataMessageError(field: "T", "a message needs its type as a string") }
        self.init(T: type)
        msg = m["msg"]?.string
        code = try Self.whole(m, "code")
        S = m["S"]?.string
        o = m["o"]?.double; h = m["h"]?.double; l = m["l"]?.double; v = m["v"]?.double
        // `c`: a bar's close, or a trade's or quote's conditions.
        if let list = m["c"]?.array { conditions = list.compactMap(\.string) } else { c = m["c"]?.double }
        x = m["x"]?.string; z = m["z"]?.string
        bx = m["bx"]?.string; bp = m["bp"]?.double; bs = m["bs"]?.double
        ax = m["ax"]?.string; ap = m["ap"]?.double; askSize = m["as"]?.double
        n = try Self.whole(m, "n")
        vw = m["vw"]?.double
        i = try Self.whole(m, "i")
        p = m["p"]?.double; s = m["s"]?.double
        switch m["t"] {
        case .timestamp(let seconds, let nanos)?:
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: UnixTime.nanosPerSecond)
            guard !overflow, nanos < UInt32(UnixTime.nanosPerSecond), whole <= UnixNanos.max - UnixNanos(nanos) else {
                throw AlpacaDataMessageError(field: "t", "timestamp \(seconds) s + \(nanos) ns is outside the nanosecond range (years 1677–2262, nanoseconds below 10^9)")
            }
            t = AlpacaJSON.preciseTime(whole + UnixNanos(nanos))
        case .string(let text)?: t = text
        default: break
        }
        trades = m["trades"]?.array?.compactMap(\.string)
        quotes = m["quotes"]?.array?.compactMap(\.string)
        bars = m["bars"]?.array?.compactMap(\.string)
    }

    /// The whole number in field `key` (nil when absent); a value that is not a whole number in `Int`'s range throws.
    private static func whole(_ m: MessagePack, _ key: String) throws(AlpacaDataMessageError) -> Int? {
        switch m[key] {
        case nil: return nil
        case .int(let value)?: return Int(value)
        case .double(let value)?:
            // Doubles at or beyond 2^63 do not fit, nor do NaN, infinities and fractions.
            guard value == value.rounded(), value >= -9.223372036854775808e18, value < 9.223372036854775808e18 else {
                throw AlpacaDataMessageError(field: key, "\(value) is not a whole number in -2^63 ..< 2^63")
            }
            return Int(value)
        case let other?: throw AlpacaDataMessageError(field: key, "expected a whole number, not \(Self.kind(other))")
        }
    }

    /// A MessagePack value's kind, for messages (never its contents).
    private static func kind(_ value: MessagePack) -> String {
        switch value {
        case .null: "nil"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a float"
        case .string: "a string"
        case .binary: "binary data"
        case .array: "an array"
        case .map: "a map"
        case .timestamp: "a timestamp"
        case .ext(let type, _): "extension type \(type)"
        }
    }
}

/// Why a MessagePack value is not a data-stream message: the field (nil: the value as a whole) and what was wrong.
public struct AlpacaDataMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String?
    public let reason: String

    public init(field: String?, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "data stream message\(field.map { " field \($0)" } ?? ""): \(reason)" }
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
