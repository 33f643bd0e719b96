import TradewindCore
import TradewindStore

/// The history's JSON written by hand (the OpenAPI document's `HistoryItem` and its page): the document JSONEncoder
/// made of it (sorted keys, the same numbers), without the encoder's boxing, key sorting and dictionary building per
/// item, which was 40 % of the server's CPU time on `GET /api/history?limit=50` (`perf`, release build). The tests
/// read every field back.
enum HistoryJSON {
    /// `{"items":[…],"limit":…,"offset":…,"total":…}` of `page`.
    static func page(_ page: Page<ResultSummary>, times: Timestamps) -> String {
        var out = "{\"items\":["
        out.reserveCapacity(64 + page.items.count * 420)
        for (i, r) in page.items.enumerated() {
            if i > 0 { out += "," }
            item(r, times: times, into: &out)
        }
        out += "],\"limit\":\(page.limit),\"offset\":\(page.offset),\"total\":\(page.total)}"
        return out
    }

    /// One result as the history lists it, keys in sorted order (the OpenAPI document's `HistoryItem`).
    static func item(_ r: ResultSummary, times: Timestamps, into out: inout String) {
        out += "{\"created_at\":\""
        out += times.string(r.createdAt)
        out += "\",\"id\":"
        out += r.id.description
        out += ",\"job_id\":"
        optional(r.jobID, into: &out)
        text("kind", r.kind.rawValue, into: &out)
        number("max_drawdown", r.metrics.maxDrawdown, into: &out)
        number("max_gain", r.metrics.maxGain, into: &out)
        text("objective", r.objectiveName, into: &out)
        number("objective_value", r.metrics.objective, into: &out)
        out += ",\"parameters\":{"
        // The first value of a repeated name, names sorted (a JSON object of the list).
        // (A linear scan: a result has a handful of parameters, and a set per item cost more than the check.)
        var unique: [ResultParameter] = []
        unique.reserveCapacity(r.parameters.count)
        for p in r.parameters where !unique.contains(where: { $0.name == p.name }) { unique.append(p) }
        for (i, p) in unique.sorted(by: { $0.name < $1.name }).enumerated() {
            if i > 0 { out += "," }
            JSONString.write(p.name, into: &out)
            out += ":"
            JSONString.write(p.value, into: &out)
        }
        out += "}"
        number("sharpe", r.metrics.sharpe, into: &out)
        text("strategy", r.strategy, into: &out)
        text("symbol", r.symbol, into: &out)
        number("total_return", r.metrics.totalReturn, into: &out)
        out += ",\"trades\":"
        out += r.metrics.trades.description
        number("win_rate", r.metrics.winRate, into: &out)
        out += "}"
    }

    /// `,"key":"value"` (null when missing).
    static func text(_ key: String, _ value: String?, into out: inout String) {
        out += ",\""
        out += key
        out += "\":"
        if let value { JSONString.write(value, into: &out) } else { out += "null" }
    }

    /// `,"key":number`.
    static func number(_ key: String, _ value: Double?, into out: inout String) {
        out += ",\""
        out += key
        out += "\":"
        number(value, into: &out)
    }

    static func optional(_ v: Int64?, into out: inout String) {
        if let v { out += v.description } else { out += "null" }
    }

    /// A number as JSONEncoder writes it (shortest round-trip digits, integral values without `.0`); a missing or
    /// non-finite value is null (the encoder would refuse the whole page for one NaN).
    static func number(_ v: Double?, into out: inout String) {
        guard let v, v.isFinite else { out += "null"; return }
        // JSONEncoder writes `description` without a trailing ".0" (1e15 as 1000000000000000, -0.0 as -0).
        let text = v.description
        if text.hasSuffix(".0") { out += text.dropLast(2) } else { out += text }
    }
}
