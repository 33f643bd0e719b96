import Foundation
import TradewindEngine

/// What a journal says about its runs, for `tradewind trade status`: positions and open orders as the broker's
/// reports left them, the latest fills, profit and loss (cash flows of the fills, positions marked at their last
/// fill price), counts by kind, the last entry's time, halts and the latest risk refusals. A torn last line (a crash
/// while writing) is counted, not fatal.
public struct JournalSummary: Sendable, Equatable {
    public var intents = 0
    public var updates = 0
    public var fills = 0
    public var riskRejections = 0
    public var halts: [String] = []
    public var starts = 0
    public var ends = 0
    public var lastTime: String?
    public var latestRejections: [String] = []
    public var tornLines = 0
    /// Signed quantity per symbol the journaled fills add up to.
    public var positions: [String: Double] = [:]
    /// Orders the broker accepted that no report has finished yet, as `symbol side type status (broker id …)`.
    public var openOrders: [String] = []
    /// The latest fills (at most 5), as `time symbol side quantity @ price`.
    public var latestFills: [String] = []
    /// Cash paid and received for the fills, commissions included.
    public var cashFlow = 0.0
    /// The last fill price per symbol.
    public var lastPrices: [String: Double] = [:]
    /// Profit and loss since the journal began: the fills' cash flow plus the positions marked at their last fill price.
    public var profitAndLoss: Double {
        cashFlow + positions.reduce(0) { $0 + $1.value * (lastPrices[$1.key] ?? 0) }
    }
    /// What the start-up reconciliations found (orders adopted, external orders, fills made while down).
    public var reconciliationNotes: [String] = []

    /// Reads the journal file at `path`.
    public init(path: String) throws(JournalError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotOpen(path: path, reason: "no such file, or not readable")
        }
        self.init(lines: String(decoding: data, as: UTF8.self).split(separator: "\n"))
    }

    /// Summarises a journal's lines (any medium's: `TradingJournal.lines()`).
    public init(lines: some Sequence<some StringProtocol>) {
        var orders: [String: Order] = [:], order: [String] = []
        defer {
            positions = positions.filter { $0.value != 0 }
            openOrders = order.compactMap { id in
                guard let o = orders[id], !o.status.isFinal else { return nil }
                return "\(o.symbol) \(o.side.rawValue) \(o.type) \(o.status.rawValue) (broker id \(id))"
            }
        }
        for object in JournalLines.objects(lines, torn: &tornLines) {
            let kind = object["kind"] as? String ?? ""
            if let t = object["time"] as? String { lastTime = t }
            switch kind {
            case "intent": intents += 1
            case "update":
                updates += 1
                orderReport(object, &orders, &order)
            case "risk_rejection":
                riskRejections += 1
                latestRejections.append(object["reason"] as? String ?? "")
                if latestRejections.count > 5 { latestRejections.removeFirst() }
            case "halt": halts.append(object["reason"] as? String ?? "")
            case "lifecycle":
                if object["event"] as? String == "start" { starts += 1 }
                if object["event"] as? String == "end" { ends += 1 }
            case "reconciliation": reconciliationNotes.append(object["note"] as? String ?? "")
            default: tornLines += 1
            }
        }
    }

    private struct Order {
        var symbol: String
        var side: OrderSide
        var type: String
        var status: OrderStatus
    }

    /// Books one broker report: an order announced, its status, a fill.
    private mutating func orderReport(_ o: [String: Any], _ orders: inout [String: Order], _ order: inout [String]) {
        guard let id = o["broker_id"] as? String else { return }
        let status = (o["status"] as? String).flatMap(OrderStatus.init(rawValue:))
        switch o["event"] as? String {
        case "accepted":
            guard let symbol = o["symbol"] as? String, let side = (o["side"] as? String).flatMap(OrderSide.init(rawValue:)) else { return }
            if orders[id] == nil { order.append(id) }
            orders[id] = Order(symbol: symbol, side: side, type: o["type"] as? String ?? "", status: status ?? .submitted)
        case "status":
            if let status { orders[id]?.status = status }
        case "fill":
            fills += 1
            guard let q = o["quantity"] as? Double, let price = o["price"] as? Double, let f = orders[id] else { return }
            positions[f.symbol, default: 0] += f.side.sign * q
            cashFlow -= f.side.sign * q * price + (o["commission"] as? Double ?? 0)
            lastPrices[f.symbol] = price
            latestFills.append("\(o["time"] as? String ?? "") \(f.symbol) \(f.side.rawValue) \(RuntimeStatus.number(q)) @ \(RuntimeStatus.number(price))")
            if latestFills.count > 5 { latestFills.removeFirst() }
        default: break
        }
    }

    /// A few lines for a terminal.
    public var text: String {
        let held = positions.sorted { $0.key < $1.key }.map { "\($0.key) \(RuntimeStatus.number($0.value))" }
        var lines = [
            "positions: \(held.isEmpty ? "none" : held.joined(separator: ", "))",
            "P&L: \(RuntimeStatus.number(profitAndLoss)) (fills' cash flow \(RuntimeStatus.number(cashFlow)), positions marked at their last fill price)",
            "open orders: \(openOrders.count)",
        ]
        lines += openOrders.map { "  open: " + $0 }
        lines += latestFills.map { "  fill: " + $0 }
        lines += [
            "runs started: \(starts), finished: \(ends)\(starts > ends ? " (the last run did not finish: it is running or was stopped)" : "")",
            "order intents: \(intents), broker reports: \(updates) (fills: \(fills)), risk refusals: \(riskRejections)",
            "last entry: \(lastTime ?? "none")",
        ]
        for h in halts { lines.append("halted: \(h)") }
        for r in latestRejections { lines.append("refused: \(r)") }
        for n in reconciliationNotes { lines.append("reconciled: \(n)") }
        if tornLines > 0 { lines.append("unreadable lines: \(tornLines) (a write interrupted by a crash)") }
        return lines.joined(separator: "\n")
    }
}
