import NIOCore
import TradewindCore
import TradewindStore

/// The history's JSON written by hand (the OpenAPI document's `HistoryItem` and its page): the document JSONEncoder
/// made of it (sorted keys, the same numbers), without the encoder's boxing, key sorting and dictionary building per
/// item, which was 40 % of the server's CPU time on `GET /api/history?limit=50` (`perf`, release build). The page is
/// written as bytes (numbers and timestamps formatted on the stack) and copied once into the response's buffer: no
/// `String` grown and then copied. The tests read every field back.
enum HistoryJSON {
    /// `{"items":[…],"limit":…,"offset":…,"total":…}` of `page`, as a response body. Assembled in a byte array and
    /// copied once: each of a `ByteBuffer`'s many small writes checks its storage's exclusive access at run time,
    /// a seventh of the page's CPU time (`perf`, release build).
    static func page(_ page: Page<ResultSummary>, times: Timestamps) -> ByteBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(64 + page.items.count * 448)
        out.emit("{\"items\":[")
        for (i, r) in page.items.enumerated() {
            if i > 0 { out.emit(",") }
            item(r, times: times, into: &out)
        }
        out.emit("],\"limit\":")
        out.emit(text: page.limit.description)
        out.emit(",\"offset\":")
        out.emit(text: page.offset.description)
        out.emit(",\"total\":")
        out.emit(text: page.total.description)
        out.emit("}")
        return ByteBuffer(bytes: out)
    }

    /// One result as the history lists it, keys in sorted order (the OpenAPI document's `HistoryItem`).
    static func item<Out: JSONOutput>(_ r: ResultSummary, times: Timestamps, into out: inout Out) {
        out.emit("{\"created_at\":")
        out.emit(quoted: r.createdAt, times)
        out.emit(",\"id\":")
        out.emit(text: r.id.description)
        out.emit(",\"job_id\":")
        if let job = r.jobID { out.emit(text: job.description) } else { out.emit("null") }
        text(",\"kind\":", r.kind.rawValue, into: &out)
        number(",\"max_drawdown\":", r.metrics.maxDrawdown, into: &out)
        number(",\"max_gain\":", r.metrics.maxGain, into: &out)
        text(",\"objective\":", r.objectiveName, into: &out)
        number(",\"objective_value\":", r.metrics.objective, into: &out)
        out.emit(",\"parameters\":{")
        parameters(r.parameters, into: &out)
        out.emit("}")
        number(",\"sharpe\":", r.metrics.sharpe, into: &out)
        text(",\"strategy\":", r.strategy, into: &out)
        text(",\"symbol\":", r.symbol, into: &out)
        number(",\"total_return\":", r.metrics.totalReturn, into: &out)
        out.emit(",\"trades\":")
        out.emit(text: r.metrics.trades.description)
        number(",\"win_rate\":", r.metrics.winRate, into: &out)
        out.emit("}")
    }

    /// The members of the parameters object: the first value of a repeated name, names sorted. A list already
    /// sorted without repeats (what the store keeps) is written as it is, without building a sorted copy.
    static func parameters<Out: JSONOutput>(_ list: [ResultParameter], into out: inout Out) {
        var ordered = true
        var i = 1
        while ordered, i < list.count {
            ordered = list[i - 1].name < list[i].name
            i += 1
        }
        let members: [ResultParameter]
        if ordered {
            members = list
        } else {
            // A linear scan: a result has a handful of parameters, and a set per item cost more than the check.
            var unique: [ResultParameter] = []
            unique.reserveCapacity(list.count)
            for p in list where !unique.contains(where: { $0.name == p.name }) { unique.append(p) }
            members = unique.sorted { $0.name < $1.name }
        }
        for (i, p) in members.enumerated() {
            if i > 0 { out.emit(",") }
            string(p.name, into: &out)
            out.emit(":")
            string(p.value, into: &out)
        }
    }

    /// `s` as a JSON string literal, as JSONEncoder writes it (`JSONString.write` with `asJSONEncoder`: `/` as `\/`
    /// too).
    static func string<Out: JSONOutput>(_ s: String, into out: inout Out) {
        JSONString.write(s, asJSONEncoder: true) { out.emit(ascii: $0) }
    }

    /// `key` (`,"name":`, written as it is) and `value` as a string, null when missing.
    static func text<Out: JSONOutput>(_ key: StaticString, _ value: String?, into out: inout Out) {
        out.emit(key)
        if let value { string(value, into: &out) } else { out.emit("null") }
    }

    /// `key` (`,"name":`, written as it is) and `value` as a number (`number(_:into:)`).
    static func number<Out: JSONOutput>(_ key: StaticString, _ value: Double?, into out: inout Out) {
        out.emit(key)
        number(value, into: &out)
    }

    /// A number as JSONEncoder writes it (shortest round-trip digits, integral values without `.0`); a missing or
    /// non-finite value is null (the encoder would refuse the whole page for one NaN).
    static func number<Out: JSONOutput>(_ v: Double?, into out: inout Out) {
        guard let v, v.isFinite else { out.emit("null"); return }
        out.emit(finite: v)
    }
}
