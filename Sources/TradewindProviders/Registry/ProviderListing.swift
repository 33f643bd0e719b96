import Foundation
import TradewindCore

/// `tradewind data providers` as text and JSON: each provider, whether it is configured (and from which variable,
/// never the key), its base URL, rate, intervals, price basis and history.
public enum ProviderListing {
    public static func table(_ settings: ProviderSettings) -> String {
        var lines = [pad("provider", 10) + pad("configured", 52) + pad("rate", 10) + pad("prices", 16) + "base URL"]
        for e in settings.all {
            let configured = e.missing.map { "no: " + $0 } ?? "yes" + (e.keySource.map { " (\($0))" } ?? " (no key needed)")
            lines.append(pad(e.id.rawValue, 10) + pad(configured, 52) + pad(e.rate.description, 10)
                         + pad(e.capabilities.rawPrices ? "raw" : "split-adjusted", 16) + e.baseURL)
            lines.append("          intervals " + e.capabilities.intervals.map(\.description).joined(separator: " ")
                         + "; history: " + e.capabilities.history)
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ settings: ProviderSettings) -> String {
        let items: [[String: Any]] = settings.all.map { e in
            var item: [String: Any] = [
                "provider": e.id.rawValue, "configured": e.isConfigured, "baseURL": e.baseURL, "rate": e.rate.description,
                "intervals": e.capabilities.intervals.map(\.description), "rawPrices": e.capabilities.rawPrices,
                "corporateActions": e.capabilities.corporateActions, "history": e.capabilities.history,
            ]
            if let m = e.missing { item["missing"] = m }
            if let k = e.keySource { item["keyVariable"] = k }
            return item
        }
        let data = (try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}

/// The summary `tradewind data fetch` prints: one row per symbol (provider, bars, range, warnings or error) and
/// the totals.
public enum FetchSummary {
    public static func table(_ reports: [BarFetcher.SymbolReport], seconds: Double) -> String {
        var lines = ["symbol    provider        bars  range                                      notes"]
        for r in reports {
            let range = r.first.map { ISO8601.utc($0).prefix(16) + " – " + (r.last.map { ISO8601.utc($0).prefix(16) } ?? "") } ?? ""
            let notes = r.error.map { "ERROR " + $0.description } ?? r.warnings.joined(separator: "; ")
            lines.append(ProviderListing.pad(r.symbol, 10) + ProviderListing.pad(r.provider, 12)
                         + String(repeating: " ", count: max(0, 8 - String(r.bars).count)) + "\(r.bars)  "
                         + ProviderListing.pad(String(range), 43) + notes)
        }
        let fetched = reports.reduce(0) { $0 + $1.fetchedBars }
        let failed = reports.filter { $0.error != nil }.count
        lines.append(String(format: "%d symbols (%d failed), %d bars fetched in %.1f s (%.0f bars/s)",
                            reports.count, failed, fetched, seconds, seconds > 0 ? Double(fetched) / seconds : 0))
        return lines.joined(separator: "\n")
    }

    public static func json(_ reports: [BarFetcher.SymbolReport], seconds: Double) -> String {
        let items: [[String: Any]] = reports.map { r in
            var item: [String: Any] = ["symbol": r.symbol, "provider": r.provider, "bars": r.bars, "fetchedBars": r.fetchedBars,
                                       "warnings": r.warnings]
            if let f = r.first { item["first"] = ISO8601.utc(f) }
            if let l = r.last { item["last"] = ISO8601.utc(l) }
            if let e = r.error { item["error"] = e.description }
            return item
        }
        let object: [String: Any] = ["symbols": items, "seconds": seconds, "fetchedBars": reports.reduce(0) { $0 + $1.fetchedBars }]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
