import Foundation
import Hummingbird
import TradewindCharts
import TradewindCore
import TradewindStore

extension Routes {
    /// `POST /api/trades`: a trade to record.
    struct TradeOpen: Decodable {
        var trade: NewJournalTrade
        enum CodingKeys: String, CodingKey, CaseIterable {
            case symbol, strategy, side, quantity, fees, notes
            case entryPrice = "entry_price", entryTime = "entry_time", exitPrice = "exit_price", exitTime = "exit_time"
        }

        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let sideText = try c.decode(String.self, forKey: .side)
            guard let side = TradeSide(rawValue: sideText) else {
                throw APIError.badRequest("side \(sideText): expected long or short", field: "side")
            }
            let entryTime = try c.decodeIfPresent(String.self, forKey: .entryTime)
            let exitTime = try c.decodeIfPresent(String.self, forKey: .exitTime)
            trade = NewJournalTrade(symbol: try c.decode(String.self, forKey: .symbol),
                                    strategy: try c.decodeIfPresent(String.self, forKey: .strategy), side: side,
                                    quantity: try c.decode(Double.self, forKey: .quantity),
                                    entryPrice: try c.decode(Double.self, forKey: .entryPrice),
                                    entryTime: try entryTime.map { try Self.time($0, field: "entry_time") } ?? StoreClock.now(),
                                    exitPrice: try c.decodeIfPresent(Double.self, forKey: .exitPrice),
                                    exitTime: try exitTime.map { try Self.time($0, field: "exit_time") },
                                    fees: try c.decodeIfPresent(Double.self, forKey: .fees) ?? 0,
                                    notes: try c.decodeIfPresent(String.self, forKey: .notes) ?? "")
            if trade.exitPrice != nil && trade.exitTime == nil { trade.exitTime = StoreClock.now() }
            guard trade.notes.count <= 10_000 else {
                throw APIError.badRequest("notes: expected at most 10,000 characters", field: "notes")
            }
        }

        static func time(_ text: String, field: String) throws -> UnixNanos {
            guard let t = Timestamps.parse(text, zone: .utc) else {
                throw APIError.badRequest("\(field) \(text): expected an ISO 8601 time with offset, e.g. 2024-03-01T14:30:00-05:00",
                                          field: field)
            }
            return t
        }
    }

    /// `POST /api/trades/close`.
    struct TradeClose: Decodable {
        var id: Int64
        var exitPrice: Double
        var exitTime: UnixNanos
        var fees: Double
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, fees
            case exitPrice = "exit_price", exitTime = "exit_time"
        }

        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(Int64.self, forKey: .id)
            exitPrice = try c.decode(Double.self, forKey: .exitPrice)
            exitTime = try c.decodeIfPresent(String.self, forKey: .exitTime).map { try TradeOpen.time($0, field: "exit_time") }
                ?? StoreClock.now()
            fees = try c.decodeIfPresent(Double.self, forKey: .fees) ?? 0
        }
    }

    static func addJournal(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/trades") { request, _ -> Response in
            let q = Query(request)
            var open: Bool?
            if let status = q.string("status") {
                switch status {
                case "open": open = true
                case "closed": open = false
                default: throw APIError.badRequest("status \(status): expected open or closed", field: "status")
                }
            }
            let page = try await state.store.journal(symbol: q.string("symbol"), open: open, page: try q.page())
            return try JSON.response(PageBody(page) { JournalTradeBody($0, times: state.times) })
        }
        router.post("/api/trades") { request, _ -> Response in
            let body = try await JSON.decode(TradeOpen.self, from: request)
            let trade = try await state.store.recordTrade(body.trade)
            return try JSON.response(JournalTradeBody(trade, times: state.times), status: .created)
        }
        router.post("/api/trades/close") { request, _ -> Response in
            let body = try await JSON.decode(TradeClose.self, from: request)
            let trade = try await state.store.closeTrade(body.id, exitPrice: body.exitPrice, exitTime: body.exitTime, fees: body.fees)
            return try JSON.response(JournalTradeBody(trade, times: state.times))
        }
        router.get("/api/trades/analytics") { _, _ -> Response in
            let trades = try await state.store.closedTrades()
            return try JSON.response(JournalAnalytics(trades, times: state.times))
        }
        router.get("/api/trades/analytics/chart") { _, _ -> Response in
            let analytics = JournalAnalytics(try await state.store.closedTrades(), times: state.times)
            return try JSON.response(["svg": analytics.monthlyChart()])
        }
    }
}

extension JournalAnalytics {
    /// P&L by month of exit as a TradewindCharts bar chart (bars coloured by sign); nil without closed trades.
    func monthlyChart() -> String? {
        guard !byMonth.isEmpty else { return nil }
        var chart = BarChart(title: "Journal P&L by month", id: "journal-pnl-by-month", categories: byMonth.map(\.key),
                             series: [BarChart.Series(name: "P&L", values: byMonth.map(\.pnl))])
        chart.format = .number(decimals: 2)
        return chart.svg()
    }
}

/// The trade journal's figures over closed trades: win rate, profit factor (gross profit ÷ gross loss), expectancy
/// (mean P&L per trade), and P&L by symbol, strategy and month (of the exit, in the server's zone).
struct JournalAnalytics: Encodable, Sendable {
    struct Group: Encodable, Sendable {
        var key: String
        var trades: Int
        var pnl: Double
        var winRate: Double?
        enum CodingKeys: String, CodingKey { case key, trades, pnl, winRate = "win_rate" }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(trades, forKey: .trades)
            try c.encode(pnl, forKey: .pnl)
            try c.encode(winRate, forKey: .winRate)
        }
    }

    var trades: Int
    var wins: Int
    var losses: Int
    var winRate: Double?
    var totalPnL: Double
    var grossProfit: Double
    var grossLoss: Double
    var profitFactor: Double?
    var expectancy: Double?
    var averageWin: Double?
    var averageLoss: Double?
    var bySymbol: [Group]
    var byStrategy: [Group]
    var byMonth: [Group]

    enum CodingKeys: String, CodingKey {
        case trades, wins, losses, expectancy
        case winRate = "win_rate", totalPnL = "total_pnl", grossProfit = "gross_profit", grossLoss = "gross_loss"
        case profitFactor = "profit_factor", averageWin = "average_win", averageLoss = "average_loss"
        case bySymbol = "by_symbol", byStrategy = "by_strategy", byMonth = "by_month"
    }

    init(_ closed: [JournalTrade], times: Timestamps) {
        let pnls = closed.map { $0.pnl ?? 0 }
        trades = closed.count
        wins = pnls.filter { $0 > 0 }.count
        losses = pnls.filter { $0 < 0 }.count
        winRate = trades > 0 ? Double(wins) / Double(trades) : nil
        totalPnL = pnls.reduce(0, +)
        grossProfit = pnls.filter { $0 > 0 }.reduce(0, +)
        grossLoss = -pnls.filter { $0 < 0 }.reduce(0, +)
        profitFactor = grossLoss > 0 ? grossProfit / grossLoss : nil
        expectancy = trades > 0 ? totalPnL / Double(trades) : nil
        averageWin = wins > 0 ? grossProfit / Double(wins) : nil
        averageLoss = losses > 0 ? -grossLoss / Double(losses) : nil
        func groups(_ key: (JournalTrade) -> String) -> [Group] {
            Dictionary(grouping: closed, by: key).map { k, list in
                let p = list.map { $0.pnl ?? 0 }
                return Group(key: k, trades: list.count, pnl: p.reduce(0, +),
                             winRate: Double(p.filter { $0 > 0 }.count) / Double(list.count))
            }.sorted { $0.key < $1.key }
        }
        bySymbol = groups(\.symbol)
        byStrategy = groups { $0.strategy ?? "" }
        byMonth = groups { String(times.string($0.exitTime ?? $0.entryTime).prefix(7)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trades, forKey: .trades)
        try c.encode(wins, forKey: .wins)
        try c.encode(losses, forKey: .losses)
        try c.encode(winRate, forKey: .winRate)
        try c.encode(totalPnL, forKey: .totalPnL)
        try c.encode(grossProfit, forKey: .grossProfit)
        try c.encode(grossLoss, forKey: .grossLoss)
        try c.encode(profitFactor, forKey: .profitFactor)
        try c.encode(expectancy, forKey: .expectancy)
        try c.encode(averageWin, forKey: .averageWin)
        try c.encode(averageLoss, forKey: .averageLoss)
        try c.encode(bySymbol, forKey: .bySymbol)
        try c.encode(byStrategy, forKey: .byStrategy)
        try c.encode(byMonth, forKey: .byMonth)
    }
}
