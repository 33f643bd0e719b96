import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TradewindCore
import TradewindProviders

/// A loopback server speaking Alpaca's market data v2 historical bars (`GET /v2/stocks/{symbol}/bars` and the
/// multi-symbol `GET /v2/stocks/bars?symbols=…`, with `start`, `end`, `limit` and `page_token`), every symbol
/// answering with the same recorded-shape bars (one series, pre-encoded once as the JSON objects Alpaca's documented
/// pages hold), so that serving a page is copying bytes: the server is never what a client waits for, and the
/// benchmark measures the clients. The keys must be present in the `APCA-API-KEY-ID`/`APCA-API-SECRET-KEY` headers.
struct RecordedBarsServer: Sendable {
    /// The bars' instants, ascending.
    let times: [UnixNanos]
    /// Every bar's JSON object followed by a comma, one after another (a page is one slice, less its last comma).
    let encoded: [UInt8]
    /// Where bar `i` starts in `encoded` (with one more offset, the end).
    let offsets: [Int]

    init(series: BarSeries) {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        offsets.reserveCapacity(series.count + 1)
        for i in 0..<series.count {
            offsets.append(bytes.count)
            let o = series.open[i], h = series.high[i], l = series.low[i], c = series.close[i], v = series.volume[i].rounded()
            let vw = ((h + l + c) / 3 * 10_000).rounded() / 10_000
            let bar = #"{"t":"\#(RFC3339.format(series.time[i]))","o":\#(o),"h":\#(h),"l":\#(l),"c":\#(c),"v":\#(Int64(v)),"n":\#(Int64(v / 100) + 1),"vw":\#(vw)}"#
            bytes.append(contentsOf: bar.utf8)
            bytes.append(UInt8(ascii: ","))
        }
        offsets.append(bytes.count)
        times = series.time
        encoded = bytes
        self.offsets = offsets
    }

    /// The first bar at or after `t`.
    func index(atOrAfter t: UnixNanos) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The bars in `[start, end]` (Alpaca's `end` is inclusive); nil when either is missing or not RFC 3339, or
    /// `end` is before `start`.
    func window(_ query: [String: String]) -> Range<Int>? {
        guard let s = query["start"].flatMap(RFC3339.parse), let e = query["end"].flatMap(RFC3339.parse), s <= e else { return nil }
        let last = e == .max ? times.count : index(atOrAfter: e + 1)
        return index(atOrAfter: s)..<last
    }

    /// A whole number `text` in `range`; nil when it is not one.
    static func number(_ text: Substring, in range: ClosedRange<Int>) -> Int? {
        guard let v = Int(text), range.contains(v) else { return nil }
        return v
    }

    /// Serves until the task is cancelled; reports the port once listening.
    func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router()
        router.get("/v2/stocks/bars") { request, _ -> Response in
            try Self.authorize(request)
            return self.multi(Self.query(request))
        }
        router.get("/v2/stocks/:symbol/bars") { request, context -> Response in
            try Self.authorize(request)
            return self.single(context.parameters.get("symbol") ?? "", Self.query(request))
        }
        var logger = Logger(label: "bench.recorded-bars")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    static func authorize(_ request: Request) throws {
        guard request.headers[HTTPField.Name("APCA-API-KEY-ID")!] != nil, request.headers[HTTPField.Name("APCA-API-SECRET-KEY")!] != nil else {
            throw HTTPError(.unauthorized, message: "missing APCA-API-KEY-ID / APCA-API-SECRET-KEY")
        }
    }

    static func query(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]).removingPercentEncoding }
        }
        return out
    }

    /// The page size: `limit` in 1...10,000 (1,000 when absent); nil when it is not such a number.
    static func limit(_ query: [String: String]) -> Int? {
        guard let text = query["limit"] else { return 1000 }
        return number(Substring(text), in: 1...10_000)
    }

    /// `/v2/stocks/{symbol}/bars`: `page_token` is the index of the page's first bar.
    func single(_ symbol: String, _ query: [String: String]) -> Response {
        guard let window = window(query), let limit = Self.limit(query) else { return Self.badRequest }
        var first = window.lowerBound
        if let token = query["page_token"] {
            guard let i = Self.number(Substring(token), in: window.lowerBound...window.upperBound) else { return Self.badRequest }
            first = i
        }
        let last = min(window.upperBound, first + limit)
        var body = ByteBuffer()
        body.reserveCapacity(offsets[max(last, first)] - offsets[min(first, last)] + 128)
        body.writeString(#"{"bars":["#)
        writeBars(first..<max(first, last), into: &body)
        body.writeString(#"],"symbol":""# + symbol + #"","next_page_token":"#)
        body.writeString(last < window.upperBound ? "\"\(last)\"}" : "null}")
        return Self.json(body)
    }

    /// `/v2/stocks/bars?symbols=A,B`: pages run across the symbols in order; `page_token` is `symbol index:bar index`.
    func multi(_ query: [String: String]) -> Response {
        guard let window = window(query), let list = query["symbols"], let limit = Self.limit(query) else { return Self.badRequest }
        let symbols = list.split(separator: ",").map(String.init)
        var s = 0, i = window.lowerBound
        if let token = query["page_token"] {
            let parts = token.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let symbol = Self.number(parts[0], in: 0...max(0, symbols.count - 1)),
                  let bar = Self.number(parts[1], in: window.lowerBound...window.upperBound), symbol < symbols.count else {
                return Self.badRequest
            }
            s = symbol
            i = bar
        }
        var left = limit
        var body = ByteBuffer()
        body.writeString(#"{"bars":{"#)
        var firstSymbol = true
        while s < symbols.count && left > 0 {
            let end = min(window.upperBound, i + left)
            if end > i {
                if !firstSymbol { body.writeString(",") }
                firstSymbol = false
                body.writeString("\"" + symbols[s] + "\":[")
                writeBars(i..<end, into: &body)
                body.writeString("]")
                left -= end - i
            }
            if end >= window.upperBound {
                s += 1
                i = window.lowerBound
            } else {
                i = end
            }
        }
        body.writeString(#"},"next_page_token":"#)
        body.writeString(s < symbols.count ? "\"\(s):\(i)\"}" : "null}")
        return Self.json(body)
    }

    func writeBars(_ range: Range<Int>, into body: inout ByteBuffer) {
        guard !range.isEmpty else { return }
        _ = encoded.withUnsafeBufferPointer { all in
            body.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[offsets[range.lowerBound]..<(offsets[range.upperBound] - 1)])))
        }
    }

    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static var badRequest: Response {
        json(ByteBuffer(string: #"{"code":42210000,"message":"invalid start, end, limit or page_token"}"#)).with(status: .unprocessableContent)
    }
}

private extension Response {
    func with(status: HTTPResponse.Status) -> Response {
        var r = self
        r.status = status
        return r
    }
}
