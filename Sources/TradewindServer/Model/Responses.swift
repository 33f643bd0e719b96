import TradewindStore

/// A job with its timestamps and counters.
struct JobBody: Encodable, Sendable {
    var id: Int64
    var kind: String
    var status: String
    var request: JSONValue
    var createdAt: String
    var startedAt: String?
    var completedAt: String?
    var durationSeconds: Double?
    var failure: String?
    var symbolsTotal: Int
    var symbolsDone: Int
    var evaluations: Int64
    var cancelRequested: Bool
    var symbols: [JobSymbolBody]?

    enum CodingKeys: String, CodingKey {
        case id, kind, status, request, failure, evaluations, symbols
        case createdAt = "created_at", startedAt = "started_at", completedAt = "completed_at"
        case durationSeconds = "duration_seconds", symbolsTotal = "symbols_total", symbolsDone = "symbols_done"
        case cancelRequested = "cancel_requested"
    }

    init(_ j: JobRecord, times: Timestamps, symbols: [JobSymbolRecord]? = nil) {
        id = j.id
        kind = j.kind.rawValue
        status = j.status.rawValue
        request = JSONValue.parse(j.request)
        createdAt = times.string(j.createdAt)
        startedAt = times.string(j.startedAt)
        completedAt = times.string(j.completedAt)
        durationSeconds = j.durationSeconds
        failure = j.failure
        symbolsTotal = j.symbolsTotal
        symbolsDone = j.symbolsDone
        evaluations = j.evaluations
        cancelRequested = j.cancelRequested
        self.symbols = symbols.map { $0.map { JobSymbolBody($0, times: times) } }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(request, forKey: .request)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(failure, forKey: .failure)
        try c.encode(symbolsTotal, forKey: .symbolsTotal)
        try c.encode(symbolsDone, forKey: .symbolsDone)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encode(cancelRequested, forKey: .cancelRequested)
        try c.encodeIfPresent(symbols, forKey: .symbols)
    }
}

/// One symbol of a job.
struct JobSymbolBody: Encodable, Sendable {
    var symbol: String
    var status: String
    var resultID: Int64?
    var evaluations: Int64
    var completedAt: String?
    enum CodingKeys: String, CodingKey {
        case symbol, status, evaluations
        case resultID = "result_id", completedAt = "completed_at"
    }

    init(_ s: JobSymbolRecord, times: Timestamps) {
        symbol = s.symbol
        status = s.status
        resultID = s.resultID
        evaluations = s.evaluations
        completedAt = times.string(s.completedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(status, forKey: .status)
        try c.encode(resultID, forKey: .resultID)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encode(completedAt, forKey: .completedAt)
    }
}

struct JobLogBody: Encodable, Sendable {
    var at: String
    var level: String
    var message: String
}

struct KeywordBody: Encodable, Sendable {
    var name: String
    var symbols: [String]
    var updatedAt: String
    enum CodingKeys: String, CodingKey { case name, symbols, updatedAt = "updated_at" }
}

struct JournalTradeBody: Encodable, Sendable {
    var id: Int64
    var symbol: String
    var strategy: String?
    var side: String
    var quantity: Double
    var entryPrice: Double
    var entryTime: String
    var exitPrice: Double?
    var exitTime: String?
    var fees: Double
    var pnl: Double?
    var notes: String
    var status: String
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, symbol, strategy, side, quantity, fees, pnl, notes, status
        case entryPrice = "entry_price", entryTime = "entry_time", exitPrice = "exit_price", exitTime = "exit_time"
        case createdAt = "created_at"
    }

    init(_ t: JournalTrade, times: Timestamps) {
        id = t.id
        symbol = t.symbol
        strategy = t.strategy
        side = t.side.rawValue
        quantity = t.quantity
        entryPrice = t.entryPrice
        entryTime = times.string(t.entryTime)
        exitPrice = t.exitPrice
        exitTime = times.string(t.exitTime)
        fees = t.fees
        pnl = t.pnl
        notes = t.notes
        status = t.isOpen ? "open" : "closed"
        createdAt = times.string(t.createdAt)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(side, forKey: .side)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(entryPrice, forKey: .entryPrice)
        try c.encode(entryTime, forKey: .entryTime)
        try c.encode(exitPrice, forKey: .exitPrice)
        try c.encode(exitTime, forKey: .exitTime)
        try c.encode(fees, forKey: .fees)
        try c.encode(pnl, forKey: .pnl)
        try c.encode(notes, forKey: .notes)
        try c.encode(status, forKey: .status)
        try c.encode(createdAt, forKey: .createdAt)
    }
}

struct StrategyVersionBody: Encodable, Sendable {
    var id: Int64
    var strategy: String
    var parentID: Int64?
    var parameters: JSONValue
    var notes: String
    var active: Bool
    var createdAt: String
    enum CodingKeys: String, CodingKey {
        case id, strategy, parameters, notes, active
        case parentID = "parent_id", createdAt = "created_at"
    }

    init(_ v: StrategyVersion, times: Timestamps) {
        id = v.id
        strategy = v.strategy
        parentID = v.parentID
        parameters = JSONValue.parse(v.parameters)
        notes = v.notes
        active = v.active
        createdAt = times.string(v.createdAt)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(parentID, forKey: .parentID)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(notes, forKey: .notes)
        try c.encode(active, forKey: .active)
        try c.encode(createdAt, forKey: .createdAt)
    }
}

struct SessionBody: Encodable, Sendable {
    var id: Int64
    var mode: String
    var strategy: String
    var strategyVersionID: Int64?
    var marketCondition: String
    var metrics: JSONValue
    var startedAt: String
    var endedAt: String?
    enum CodingKeys: String, CodingKey {
        case id, mode, strategy, metrics
        case strategyVersionID = "strategy_version_id", marketCondition = "market_condition"
        case startedAt = "started_at", endedAt = "ended_at"
    }

    init(_ s: SessionRecord, times: Timestamps) {
        id = s.id
        mode = s.mode
        strategy = s.strategy
        strategyVersionID = s.strategyVersionID
        marketCondition = s.marketCondition
        metrics = JSONValue.parse(s.metrics)
        startedAt = times.string(s.startedAt)
        endedAt = times.string(s.endedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(mode, forKey: .mode)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(strategyVersionID, forKey: .strategyVersionID)
        try c.encode(marketCondition, forKey: .marketCondition)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(endedAt, forKey: .endedAt)
    }
}
