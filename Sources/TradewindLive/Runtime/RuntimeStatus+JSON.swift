import TradewindCore

extension RuntimeStatus {
    /// The status as one JSON object (`tradewind trade --status-file`): steps processed, the latest bar's time,
    /// cash, equity, positions, open orders, fills, the orders handed to the broker and whether the run halted.
    /// A monitor (or a test driving the exchange bar by bar) reads it to know how far the run got.
    public var json: String {
        func n(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        let held = positions.sorted { $0.key < $1.key }.map { "\(JSONString.quoted($0.key)):\(n($0.value))" }
        return "{\"steps\":\(steps),\"time\":\(JSONString.quoted(ISO8601.utc(time))),\"cash\":\(n(cash)),\"equity\":\(n(equity)),"
            + "\"positions\":{\(held.joined(separator: ","))},\"open_orders\":\(openOrders),\"fills\":\(fills),"
            + "\"orders_sent\":\(ordersSent),\"halted\":\(haltReason != nil)}"
    }
}
