import Foundation
import TradewindCore

/// A parameter's value as the result recorded it (text, as the command line takes it).
public struct ResultParameter: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The figures the history filters and sorts by. Rates are fractions; `maxDrawdown` is positive; `maxGain` is the
/// best closed trade's return.
public struct ResultMetrics: Sendable, Hashable, Codable {
    public var sharpe: Double?
    public var totalReturn: Double?
    public var maxGain: Double?
    public var winRate: Double?
    public var maxDrawdown: Double?
    public var trades: Int
    /// The job's objective value for this result (nil for plain backtests).
    public var objective: Double?

    public init(sharpe: Double? = nil, totalReturn: Double? = nil, maxGain: Double? = nil, winRate: Double? = nil,
                maxDrawdown: Double? = nil, trades: Int = 0, objective: Double? = nil) {
        self.sharpe = sharpe
        self.totalReturn = totalReturn
        self.maxGain = maxGain
        self.winRate = winRate
        self.maxDrawdown = maxDrawdown
        self.trades = trades
        self.objective = objective
    }
}

/// A result to store: an optimisation's best point for one symbol, or one backtest.
public struct NewResult: Sendable, Equatable {
    public var jobID: Int64?
    /// `optimize` or `backtest`.
    public var kind: JobKind
    public var symbol: String
    public var strategy: String
    public var parameters: [ResultParameter]
    /// The objective's name (`sharpe`, `-max_drawdown`, …; nil for backtests).
    public var objectiveName: String?
    public var metrics: ResultMetrics
    /// The full figures as JSON (the `backtest --json` summary, overfitting figures, …).
    public var detail: String
    /// The trade log as a JSON array.
    public var trades: String

    public init(jobID: Int64? = nil, kind: JobKind, symbol: String, strategy: String, parameters: [ResultParameter],
                objectiveName: String? = nil, metrics: ResultMetrics, detail: String = "{}", trades: String = "[]") {
        self.jobID = jobID
        self.kind = kind
        self.symbol = symbol
        self.strategy = strategy
        self.parameters = parameters
        self.objectiveName = objectiveName
        self.metrics = metrics
        self.detail = detail
        self.trades = trades
    }
}

/// A stored result as the history lists it (without detail and trades).
public struct ResultSummary: Sendable, Equatable {
    public var id: Int64
    public var jobID: Int64?
    public var kind: JobKind
    public var symbol: String
    public var strategy: String
    public var parameters: [ResultParameter]
    public var objectiveName: String?
    public var metrics: ResultMetrics
    public var createdAt: UnixNanos
}

/// One stored result in full.
public struct ResultRecord: Sendable, Equatable {
    public var summary: ResultSummary
    public var detail: String
    public var trades: String
}

/// The history's sort keys.
public enum HistorySort: String, Sendable, CaseIterable, Codable {
    case date, sharpe
    case totalReturn = "total_return"
    case maxGain = "max_gain"
    case winRate = "win_rate"
    case maxDrawdown = "max_drawdown"

    var column: String {
        switch self {
        case .date: return "created_at"
        case .sharpe: return "sharpe"
        case .totalReturn: return "total_return"
        case .maxGain: return "max_gain"
        case .winRate: return "win_rate"
        case .maxDrawdown: return "max_drawdown"
        }
    }
}

/// Which results: exact symbol and strategy matches (nil: any).
public struct HistoryFilter: Sendable, Hashable {
    public var symbol: String?
    public var strategy: String?
    public init(symbol: String? = nil, strategy: String? = nil) {
        self.symbol = symbol
        self.strategy = strategy
    }

    func sql() -> (String, [SQLValue]) {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let symbol { clauses.append("symbol = ?"); arguments.append(.text(symbol)) }
        if let strategy { clauses.append("strategy = ?"); arguments.append(.text(strategy)) }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
    }
}

/// The results area: the optimizer console's history.
public protocol ResultStore: Sendable {
    /// Stores a result (outside any job's symbol bookkeeping); returns its id.
    func storeResult(_ result: NewResult) async throws -> Int64
    /// Stores a backtest's result and its session in one transaction; returns the result's id.
    func storeBacktest(_ result: NewResult, session: NewSession) async throws -> Int64
    /// Stores many results in one transaction (imports, benchmarks); returns how many.
    func storeResults(_ results: [NewResult]) async throws -> Int
    /// Results matching `filter`, sorted by `sort` (missing values last, then newest first).
    func history(_ filter: HistoryFilter, sort: HistorySort, order: SortOrder, page: PageRequest) async throws -> Page<ResultSummary>
    func historyCount(_ filter: HistoryFilter) async throws -> Int
    func result(_ id: Int64) async throws -> ResultRecord?
    /// Deletes the results matching `filter`; returns how many.
    func deleteHistory(_ filter: HistoryFilter) async throws -> Int
    /// Deletes one result; false when there is none with that id.
    func deleteResult(_ id: Int64) async throws -> Bool
}

extension StoreMigrations {
    static let resultsV1 = StoreMigration(id: "002-results", statements: [
        """
        CREATE TABLE results (id {id}, job_id BIGINT, kind TEXT NOT NULL, symbol TEXT NOT NULL, strategy TEXT NOT NULL,
            parameters TEXT NOT NULL, objective_name TEXT, objective DOUBLE PRECISION, sharpe DOUBLE PRECISION,
            total_return DOUBLE PRECISION, max_gain DOUBLE PRECISION, win_rate DOUBLE PRECISION,
            max_drawdown DOUBLE PRECISION, trades BIGINT NOT NULL, created_at BIGINT NOT NULL,
            detail TEXT NOT NULL, trade_log TEXT NOT NULL)
        """,
        "CREATE INDEX results_symbol ON results (symbol, created_at)",
        "CREATE INDEX results_strategy ON results (strategy, created_at)",
        "CREATE INDEX results_created ON results (created_at)",
        "CREATE INDEX results_sharpe ON results (sharpe)",
        "CREATE INDEX results_total_return ON results (total_return)",
    ])
}

extension SQLStore {
    static let summaryColumns = """
        id, job_id, kind, symbol, strategy, parameters, objective_name, objective, sharpe, total_return, max_gain, \
        win_rate, max_drawdown, trades, created_at
        """

    static func insertResult(_ r: NewResult, at now: UnixNanos) -> SQLStatement {
        SQLStatement("""
            INSERT INTO results (job_id, kind, symbol, strategy, parameters, objective_name, objective, sharpe,
                total_return, max_gain, win_rate, max_drawdown, trades, created_at, detail, trade_log)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.int64(r.jobID), .text(r.kind.rawValue), .text(r.symbol), .text(r.strategy), .text(json(r.parameters)),
                  .string(r.objectiveName), .double(r.metrics.objective), .double(r.metrics.sharpe),
                  .double(r.metrics.totalReturn), .double(r.metrics.maxGain), .double(r.metrics.winRate),
                  .double(r.metrics.maxDrawdown), .int(r.metrics.trades), .integer(now), .text(r.detail), .text(r.trades)])
    }

    static func summary(_ r: SQLRow) -> ResultSummary {
        summary(r, decoder: JSONDecoder())
    }

    /// A history row; `decoder` reads the parameter list (one decoder for a whole page).
    static func summary(_ r: SQLRow, decoder: JSONDecoder) -> ResultSummary {
        let parameters = r.string(5).flatMap {
            ResultParameter.canonicalList($0) ?? (try? decoder.decode([ResultParameter].self, from: Data($0.utf8)))
        } ?? []
        return ResultSummary(id: r.int64(0) ?? 0, jobID: r.int64(1), kind: JobKind(rawValue: r.string(2) ?? "") ?? .optimize,
                      symbol: r.string(3) ?? "", strategy: r.string(4) ?? "",
                      parameters: parameters, objectiveName: r.string(6),
                      metrics: ResultMetrics(sharpe: r.double(8), totalReturn: r.double(9), maxGain: r.double(10),
                                             winRate: r.double(11), maxDrawdown: r.double(12), trades: r.int(13) ?? 0,
                                             objective: r.double(7)),
                      createdAt: r.int64(14) ?? 0)
    }

    public func storeResult(_ result: NewResult) async throws -> Int64 {
        var insert = Self.insertResult(result, at: StoreClock.now())
        insert.sql += " RETURNING id"
        let rows = try await groupedTransaction("results", [insert])
        return rows.first?.int64(0) ?? 0
    }

    public func storeBacktest(_ result: NewResult, session: NewSession) async throws -> Int64 {
        var insert = Self.insertResult(result, at: StoreClock.now())
        insert.sql += " RETURNING id"
        let rows = try await groupedTransaction("results", [Self.insertSession(session), insert])
        return rows.first?.int64(0) ?? 0
    }

    public func storeResults(_ results: [NewResult]) async throws -> Int {
        guard !results.isEmpty else { return 0 }
        let now = StoreClock.now()
        try await transaction("results", results.enumerated().map { i, r in Self.insertResult(r, at: now + Int64(i) * 1_000) })
        return results.count
    }

    public func history(_ filter: HistoryFilter, sort: HistorySort, order: SortOrder, page: PageRequest) async throws -> Page<ResultSummary> {
        let (whereSQL, arguments) = filter.sql()
        // The count and the page are independent reads: run them concurrently (WAL readers do not wait for each other).
        async let total = countUnlessChanged("results", "SELECT COUNT(*) FROM results" + whereSQL, arguments)
        let rows = try await read("results", """
            SELECT \(Self.summaryColumns) FROM results\(whereSQL)
            ORDER BY \(sort.column) \(order.sql) NULLS LAST, id DESC LIMIT ? OFFSET ?
            """, arguments + [.int(page.limit), .int(page.offset)])
        let decoder = JSONDecoder()
        return Page(items: rows.map { Self.summary($0, decoder: decoder) }, total: try await total, limit: page.limit,
                    offset: page.offset)
    }

    public func historyCount(_ filter: HistoryFilter) async throws -> Int {
        let (whereSQL, arguments) = filter.sql()
        return try await countUnlessChanged("results", "SELECT COUNT(*) FROM results" + whereSQL, arguments)
    }

    public func result(_ id: Int64) async throws -> ResultRecord? {
        guard let r = try await read("results", "SELECT \(Self.summaryColumns), detail, trade_log FROM results WHERE id = ?",
                                     [.integer(id)]).first
        else { return nil }
        return ResultRecord(summary: Self.summary(r), detail: r.string(15) ?? "{}", trades: r.string(16) ?? "[]")
    }

    public func deleteHistory(_ filter: HistoryFilter) async throws -> Int {
        let (whereSQL, arguments) = filter.sql()
        return try await write("results", "DELETE FROM results\(whereSQL) RETURNING id", arguments).count
    }

    public func deleteResult(_ id: Int64) async throws -> Bool {
        try await !write("results", "DELETE FROM results WHERE id = ? RETURNING id", [.integer(id)]).isEmpty
    }
}
