import NIOCore
import TradewindCore

/// Writes Market Data v2 bars pages as JSON bytes straight from the recording's columns: no `AlpacaBar` values, no
/// `Codable` per bar. Times are written from a per-day cached `YYYY-MM-DDT` prefix (whole seconds, `Z`, as
/// `AlpacaJSON.time`); prices with at most four decimals (every recorded price in cents) take an exact integer fast
/// path, others their shortest round-trip form. The output decodes to the same values as `AlpacaBarsPage` and
/// `AlpacaMultiBarsPage` encoded by `AlpacaJSON.encoder()` (tested).
struct BarsPageJSON {
    private(set) var bytes: [UInt8] = []
    private var day = Int64.min
    private var dayPrefix: [UInt8] = []

    /// A writer with room for about `bars` bars.
    init(bars: Int) {
        bytes.reserveCapacity(64 + bars * 128)
    }

    /// `{"bars":{"SYM":[…],…},"next_page_token":…}` (`GET /v2/stocks/bars`).
    static func multi(_ slices: [BarSlice], token: String?) -> ByteBuffer {
        var w = BarsPageJSON(bars: slices.reduce(0) { $0 + $1.count })
        w.raw(#"{"bars":{"#)
        for (k, s) in slices.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(s.symbol)
            w.byte(UInt8(ascii: ":"))
            w.bars(s)
        }
        w.raw(#"},"next_page_token":"#)
        w.token(token)
        w.byte(UInt8(ascii: "}"))
        return ByteBuffer(bytes: w.bytes)
    }

    /// `{"bars":[…],"symbol":"SYM","next_page_token":…}` (`GET /v2/stocks/{symbol}/bars`).
    static func single(_ slice: BarSlice?, symbol: String, token: String?) -> ByteBuffer {
        var w = BarsPageJSON(bars: slice?.count ?? 0)
        w.raw(#"{"bars":"#)
        if let slice { w.bars(slice) } else { w.raw("[]") }
        w.raw(#","symbol":"#)
        w.string(symbol)
        w.raw(#","next_page_token":"#)
        w.token(token)
        w.byte(UInt8(ascii: "}"))
        return ByteBuffer(bytes: w.bytes)
    }

    private mutating func bars(_ s: BarSlice) {
        let series = s.series
        byte(UInt8(ascii: "["))
        var first = true
        for i in s.rows {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            raw(#"{"t":""#)
            time(series.time[i])
            raw(#"","o":"#)
            number(series.open[i])
            raw(#","h":"#)
            number(series.high[i])
            raw(#","l":"#)
            number(series.low[i])
            raw(#","c":"#)
            number(series.close[i])
            raw(#","v":"#)
            number(series.volume[i])
            // Alpaca's bars always carry `n` and `vw` (SDKs require them): a recording without them is served
            // with 0 trades and the typical price, as `AlpacaBar(recorded:)`.
            raw(#","n":"#)
            let n = series.tradeCount?[i] ?? 0
            integer(n.isFinite ? Int64(n) : 0)
            raw(#","vw":"#)
            let vw = series.vwap.flatMap { $0[i].isFinite ? $0[i] : nil }
            number(vw ?? (series.high[i] + series.low[i] + series.close[i]) / 3)
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: "]"))
    }

    @inline(__always) private mutating func byte(_ b: UInt8) { bytes.append(b) }

    private mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func token(_ t: String?) {
        if let t { string(t) } else { raw("null") }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    private mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                byte(UInt8(ascii: "\\")); byte(b)
            case 0..<0x20:
                raw("\\u00")
                byte(Self.hex[Int(b >> 4)]); byte(Self.hex[Int(b & 15)])
            default:
                byte(b)
            }
        }
        byte(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `YYYY-MM-DDTHH:MM:SSZ`, whole seconds rounded down (as `RFC3339.format`).
    private mutating func time(_ instant: UnixNanos) {
        let seconds = UnixTime.floorDiv(instant, UnixTime.nanosPerSecond)
        let d = UnixTime.floorDiv(seconds, UnixTime.secondsPerDay)
        if d != day {
            day = d
            dayPrefix = Array("\(CivilDate(daysSinceEpoch: Int(d)))T".utf8)
        }
        bytes.append(contentsOf: dayPrefix)
        let t = Int(UnixTime.floorMod(seconds, UnixTime.secondsPerDay))
        two(t / 3600); byte(UInt8(ascii: ":")); two(t / 60 % 60); byte(UInt8(ascii: ":")); two(t % 60)
        byte(UInt8(ascii: "Z"))
    }

    @inline(__always) private mutating func two(_ v: Int) {
        byte(UInt8(48 + v / 10)); byte(UInt8(48 + v % 10))
    }

    private mutating func integer(_ v: Int64) {
        if v < 0 { byte(UInt8(ascii: "-")) }
        var m = v.magnitude
        var div: UInt64 = 1
        while div <= m / 10 { div *= 10 }
        while div > 0 {
            byte(UInt8(48 + m / div))
            m %= div
            div /= 10
        }
    }

    /// A finite number: an exact `integer.dddd` form when the value has at most four decimals, else Swift's
    /// shortest round-trip form (`null` for a non-finite value, which validated recordings never hold).
    private mutating func number(_ v: Double) {
        guard v.isFinite else { raw("null"); return }
        if abs(v) < 1e11 {
            let scaled = (v * 10_000).rounded()
            if scaled / 10_000 == v {
                let m = Int64(scaled)
                let whole = m / 10_000
                var frac = Int(abs(m % 10_000))
                if m < 0 && whole == 0 { byte(UInt8(ascii: "-")) }
                integer(whole)
                if frac != 0 {
                    byte(UInt8(ascii: "."))
                    var width = 4
                    while frac % 10 == 0 { frac /= 10; width -= 1 }
                    var div = 1
                    for _ in 1..<width { div *= 10 }
                    while div > 0 { byte(UInt8(48 + frac / div % 10)); div /= 10 }
                }
                return
            }
        }
        bytes.append(contentsOf: v.description.utf8)
    }
}

/// One symbol's part of a bars page: its recorded series and the rows served, in the page's order.
struct BarSlice {
    let symbol: String
    let series: BarSeries
    let rows: StrideTo<Int>
    /// How many rows.
    let count: Int
}
