import TradewindCore
import TradewindStore

/// The history list's JSON written by hand: the same document `JSONEncoder` (sorted keys) makes of `HistoryItem` and
/// `PageBody`, without the encoder's boxing, key sorting and dictionary building per item. It was 40 % of the server's
/// CPU time on `GET /api/history?limit=50` (profiled with `perf` on a release build); the tests compare the two
/// outputs value for value.
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

    /// One result as `HistoryItem` encodes it, keys in sorted order.
    static func item(_ r: ResultSummary, times: Timestamps, into out: inout String) {
        out += "{\"created_at\":\""
        out += times.string(r.createdAt)
        out += "\",\"id\":\(r.id),\"job_id\":"
        optional(r.jobID, into: &out)
        out += ",\"kind\":"
        out += JSONString.quoted(r.kind.rawValue)
        out += ",\"max_drawdown\":"
        number(r.metrics.maxDrawdown, into: &out)
        out += ",\"max_gain\":"
        number(r.metrics.maxGain, into: &out)
        out += ",\"objective\":"
        if let name = r.objectiveName { out += JSONString.quoted(name) } else { out += "null" }
        out += ",\"objective_value\":"
        number(r.metrics.objective, into: &out)
        out += ",\"parameters\":{"
        // As the dictionary HistoryItem builds: the first value of a repeated name, names sorted.
        var seen = Set<String>()
        let unique = r.parameters.filter { seen.insert($0.name).inserted }
        for (i, p) in unique.sorted(by: { $0.name < $1.name }).enumerated() {
            if i > 0 { out += "," }
            out += JSONString.quoted(p.name)
            out += ":"
            out += JSONString.quoted(p.value)
        }
        out += "},\"sharpe\":"
        number(r.metrics.sharpe, into: &out)
        out += ",\"strategy\":"
        out += JSONString.quoted(r.strategy)
        out += ",\"symbol\":"
        out += JSONString.quoted(r.symbol)
        out += ",\"total_return\":"
        number(r.metrics.totalReturn, into: &out)
        out += ",\"trades\":\(r.metrics.trades),\"win_rate\":"
        number(r.metrics.winRate, into: &out)
        out += "}"
    }

    static func optional(_ v: Int64?, into out: inout String) {
        if let v { out += String(v) } else { out += "null" }
    }

    /// A number as JSONEncoder writes it (shortest round-trip digits, integral values without `.0`); a missing or
    /// non-finite value is null (the encoder would refuse the whole page for one NaN).
    static func number(_ v: Double?, into out: inout String) {
        guard let v, v.isFinite else { out += "null"; return }
        if v == v.rounded(), abs(v) < 1e15 {
            out += String(Int64(v))
        } else {
            out += v.description
        }
    }
}
