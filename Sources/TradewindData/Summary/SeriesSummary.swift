import Foundation
import TradewindCore

/// What `tradewind data info` reports about one series.
public struct SeriesSummary: Codable, Sendable, Equatable {
    public let symbol: String
    public let interval: String
    public let bars: Int
    /// Distinct trading dates (in the exchange's zone) that have at least one bar.
    public let sessions: Int
    /// First and last bar start, ISO 8601 UTC (empty for an empty series).
    public let start: String
    public let end: String
    public let firstClose: Double?
    public let lastClose: Double?
    public let minLow: Double?
    public let maxHigh: Double?
    public let totalVolume: Double
    public let hasVWAP: Bool
    public let hasCorporateActions: Bool
    /// Dates (yyyy-MM-dd) with a split coefficient other than 1, and the coefficient.
    public let splits: [String: Double]
    public let dividends: Int

    enum CodingKeys: String, CodingKey {
        case symbol, interval, bars, sessions, start, end
        case firstClose = "first_close", lastClose = "last_close", minLow = "min_low", maxHigh = "max_high"
        case totalVolume = "total_volume", hasVWAP = "has_vwap", hasCorporateActions = "has_corporate_actions"
        case splits, dividends
    }

    /// Summarises `series`; trading dates are counted in `zone` (the exchange's).
    public init(_ series: BarSeries, zone: ZoneRules = .newYork) {
        symbol = series.symbol
        interval = series.interval.description
        bars = series.count
        var days = 0
        var lastDay = Int.min
        for t in series.time {
            let d = zone.localDate(of: t).daysSinceEpoch
            if d != lastDay { days += 1; lastDay = d }
        }
        sessions = days
        start = series.time.first.map(ISO8601.utc) ?? ""
        end = series.time.last.map(ISO8601.utc) ?? ""
        firstClose = series.close.first
        lastClose = series.close.last
        minLow = series.low.min()
        maxHigh = series.high.max()
        totalVolume = series.volume.reduce(0, +)
        hasVWAP = series.vwap != nil
        hasCorporateActions = series.hasCorporateActions
        var splits: [String: Double] = [:]
        if let sc = series.splitCoefficient {
            for (i, c) in sc.enumerated() where c != 1 && c != 0 {
                splits[zone.localDate(of: series.time[i]).description] = c
            }
        }
        self.splits = splits
        dividends = series.dividend?.count { $0 != 0 } ?? 0
    }

    /// Human-readable lines for a terminal.
    public var text: String {
        var lines = [
            "symbol     \(symbol)",
            "interval   \(interval)",
            "bars       \(bars)",
            "sessions   \(sessions)",
            "start      \(start)",
            "end        \(end)",
        ]
        if let f = firstClose, let l = lastClose {
            lines.append("close      first \(f), last \(l)")
        }
        if let lo = minLow, let hi = maxHigh { lines.append("range      low \(lo), high \(hi)") }
        lines.append("volume     \(Int64(totalVolume.rounded()))")
        if hasCorporateActions {
            let s = splits.keys.sorted().map { "\($0) ×\(splits[$0]!)" }.joined(separator: ", ")
            lines.append("actions    \(dividends) dividends; splits: \(s.isEmpty ? "none" : s)")
        }
        return lines.joined(separator: "\n")
    }

    /// JSON for one summary (an object) or several (an array), sorted keys, pretty-printed.
    public static func json(_ summaries: [SeriesSummary]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data?
        if summaries.count == 1 { data = try? enc.encode(summaries[0]) } else { data = try? enc.encode(summaries) }
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }
}
