/// The bots' figures in Prometheus text format, appended to `/metrics`: bots by state, and per bot its fills and risk
/// refusals (counters: bots are never removed while the server runs), equity, open orders and gross position count.
enum TradingMetrics {
    static func exposition(_ bots: [BotView]) -> String {
        var lines: [String] = []
        lines.append("# HELP tradewind_trading_bots Paper-trading bots by state.")
        lines.append("# TYPE tradewind_trading_bots gauge")
        for state in ["running", "manual", "stopped", "finished", "failed"] {
            lines.append("tradewind_trading_bots{state=\"\(state)\"} \(bots.filter { $0.state == state }.count)")
        }
        func family(_ name: String, _ type: String, _ help: String, _ value: (BotView) -> Double) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for b in bots { lines.append("\(name){bot=\"\(b.id)\",strategy=\"\(b.strategy)\"} \(value(b))") }
        }
        family("tradewind_trading_fills_total", "counter", "Fills booked by a bot.") { Double($0.fills) }
        family("tradewind_trading_risk_rejections_total", "counter", "Orders the risk manager refused.") { Double($0.riskRejections) }
        family("tradewind_trading_steps_total", "counter", "Market steps a bot processed.") { Double($0.steps) }
        family("tradewind_trading_equity", "gauge", "A bot's equity in account currency.") { $0.equity }
        family("tradewind_trading_open_orders", "gauge", "A bot's open orders.") { Double($0.openOrders) }
        family("tradewind_trading_positions", "gauge", "Symbols a bot holds.") { Double($0.positions.count) }
        return lines.joined(separator: "\n") + "\n"
    }
}
