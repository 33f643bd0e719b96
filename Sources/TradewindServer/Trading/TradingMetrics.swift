import Foundation
import TradewindLive

/// The bots' figures in Prometheus text format, appended to `/metrics`: bots by state, and per bot its fills and risk
/// refusals, also by limit (counters: bots are never removed while the server runs), orders, reconnects, equity, gross
/// exposure, open orders, gross position count, and the tick-to-order latency histogram (seconds, from a bar reaching the runtime to its order reaching the broker).
enum TradingMetrics {
    static func exposition(_ bots: [BotView]) -> String {
        var lines: [String] = []
        lines.append("# HELP tradewind_trading_bots Paper-trading bots by state.")
        lines.append("# TYPE tradewind_trading_bots gauge")
        for state in ["running", "manual", "stopped", "finished", "failed"] {
            lines.append("tradewind_trading_bots{state=\"\(state)\"} \(bots.filter { $0.state == state }.count)")
        }
        func labels(_ b: BotView) -> String { "bot=\"\(b.id)\",strategy=\"\(b.strategy)\"" }
        func family(_ name: String, _ type: String, _ help: String, _ value: (BotView) -> Double) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for b in bots { lines.append("\(name){\(labels(b))} \(value(b))") }
        }
        family("tradewind_trading_fills_total", "counter", "Fills booked by a bot.") { Double($0.fills) }
        family("tradewind_trading_orders_total", "counter", "Orders a bot handed to its broker (after the risk manager).") { Double($0.ordersSent) }
        family("tradewind_trading_risk_rejections_total", "counter", "Orders the risk manager refused.") { Double($0.riskRejections) }
        let byReason = "tradewind_trading_risk_rejections_by_limit_total"
        lines.append("# HELP \(byReason) Orders the risk manager refused, by the limit that refused them.")
        lines.append("# TYPE \(byReason) counter")
        for b in bots {
            for (limit, n) in b.refusalsByKind.sorted(by: { $0.key < $1.key }) {
                lines.append("\(byReason){\(labels(b)),limit=\"\(limit)\"} \(n)")
            }
        }
        family("tradewind_trading_reconnects_total", "counter", "Broker connections a bot saw lost and restored.") { Double($0.reconnects) }
        family("tradewind_trading_gross_exposure", "gauge", "Long plus short position value over equity.") { $0.grossExposure }
        let lagging = bots.filter { $0.feedLagSeconds != nil }
        if !lagging.isEmpty {
            lines.append("# HELP tradewind_trading_feed_lag_seconds Wall clock at the latest bar's arrival minus the bar's end (live feeds).")
            lines.append("# TYPE tradewind_trading_feed_lag_seconds gauge")
            for b in lagging { lines.append("tradewind_trading_feed_lag_seconds{\(labels(b))} \(b.feedLagSeconds!)") }
        }
        family("tradewind_trading_steps_total", "counter", "Market steps a bot processed.") { Double($0.steps) }
        family("tradewind_trading_equity", "gauge", "A bot's equity in account currency.") { $0.equity }
        family("tradewind_trading_open_orders", "gauge", "A bot's open orders.") { Double($0.openOrders) }
        family("tradewind_trading_positions", "gauge", "Symbols a bot holds.") { Double($0.positions.count) }

        let latency = "tradewind_trading_tick_to_order_seconds"
        lines.append("# HELP \(latency) From a bar reaching a bot's runtime to each of its orders reaching the broker (journal fsync excluded).")
        lines.append("# TYPE \(latency) histogram")
        for b in bots {
            var cumulative = 0
            for (i, n) in b.latency.counts.enumerated() {
                cumulative += n
                let bound = i < LatencyRecorder.bucketBounds.count ? seconds(LatencyRecorder.bucketBounds[i]) : "+Inf"
                lines.append("\(latency)_bucket{\(labels(b)),le=\"\(bound)\"} \(cumulative)")
            }
            lines.append("\(latency)_sum{\(labels(b))} \(seconds(b.latency.sumNanos))")
            lines.append("\(latency)_count{\(labels(b))} \(b.latency.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nanoseconds as seconds in plain decimal (Prometheus reads `0.000005`; Swift would print `5e-06`).
    static func seconds(_ nanos: Int64) -> String {
        let whole = nanos / 1_000_000_000
        let fraction = String(nanos % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        let trimmed = padded.replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
        return trimmed.isEmpty ? "\(whole)" : "\(whole).\(trimmed)"
    }
}
