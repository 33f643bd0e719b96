import TradewindCore

/// A long or a short trade.
public enum TradeSide: String, Sendable, Codable, CaseIterable {
    case long, short
}

/// A trade to record in the journal (opened; closed later, or given closed at once).
public struct NewJournalTrade: Sendable, Equatable {
    public var symbol: String
    public var strategy: String?
    public var side: TradeSide
    public var quantity: Double
    public var entryPrice: Double
    public var entryTime: UnixNanos
    public var exitPrice: Double?
    public var exitTime: UnixNanos?
    public var fees: Double
    public var notes: String

    public init(symbol: String, strategy: String? = nil, side: TradeSide, quantity: Double, entryPrice: Double,
                entryTime: UnixNanos, exitPrice: Double? = nil, exitTime: UnixNanos? = nil, fees: Double = 0, notes: String = "") {
        self.symbol = symbol
        self.strategy = strategy
        self.side = side
        self.quantity = quantity
        self.entryPrice = entryPrice
        self.entryTime = entryTime
        self.exitPrice = exitPrice
        self.exitTime = exitTime
        self.fees = fees
        self.notes = notes
    }
}

/// A trade of the journal. `pnl` is set when closed: (exit − entry) × quantity for a long, (entry − exit) × quantity
/// for a short, less fees.
public struct JournalTrade: Sendable, Equatable {
    public var id: Int64
    public var symbol: String
    public var strategy: String?
    public var side: TradeSide
    public var quantity: Double
    public var entryPrice: Double
    public var entryTime: UnixNanos
    public var exitPrice: Double?
    public var exitTime: UnixNanos?
    public var fees: Double
    public var pnl: Double?
    public var notes: String
    public var createdAt: UnixNanos

    public var isOpen: Bool { exitPrice == nil }

    static func pnl(side: TradeSide, quantity: Double, entry: Double, exit: Double, fees: Double) -> Double {
        (side == .long ? exit - entry : entry - exit) * quantity - fees
    }
}

/// The trade-journal area. Writes are durable before they return (SQLite: synchronous=FULL).
public protocol JournalStore: Sendable {
    /// Records a trade; checks its fields (`StoreError.invalidArgument`).
    func recordTrade(_ trade: NewJournalTrade) async throws -> JournalTrade
    /// Closes an open trade; `notFound`, or `conflict` when already closed, or `invalidArgument`.
    func closeTrade(_ id: Int64, exitPrice: Double, exitTime: UnixNanos, fees: Double) async throws -> JournalTrade
    func journalTrade(_ id: Int64) async throws -> JournalTrade?
    /// Trades newest first; `open`: only open (true) or only closed (false) ones.
    func journal(symbol: String?, open: Bool?, page: PageRequest) async throws -> Page<JournalTrade>
    /// Every closed trade, oldest exit first (for analytics).
    func closedTrades() async throws -> [JournalTrade]
}

extension StoreMigrations {
    static let journalV1 = StoreMigration(id: "004-journal", statements: [
        """
        CREATE TABLE journal_trades (id {id}, symbol TEXT NOT NULL, strategy TEXT, side TEXT NOT NULL,
            quantity DOUBLE PRECISION NOT NULL, entry_price DOUBLE PRECISION NOT NULL, entry_time BIGINT NOT NULL,
            exit_price DOUBLE PRECISION, exit_time BIGINT, fees DOUBLE PRECISION NOT NULL, pnl DOUBLE PRECISION,
            notes TEXT NOT NULL, created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX journal_symbol ON journal_trades (symbol, id)",
    ])
}

extension SQLStore {
    static let journalColumns = """
        id, symbol, strategy, side, quantity, entry_price, entry_time, exit_price, exit_time, fees, pnl, notes, created_at
        """

    static func journalTrade(_ r: SQLRow) -> JournalTrade {
        JournalTrade(id: r.int64(0) ?? 0, symbol: r.string(1) ?? "", strategy: r.string(2),
                     side: TradeSide(rawValue: r.string(3) ?? "") ?? .long, quantity: r.double(4) ?? 0,
                     entryPrice: r.double(5) ?? 0, entryTime: r.int64(6) ?? 0, exitPrice: r.double(7), exitTime: r.int64(8),
                     fees: r.double(9) ?? 0, pnl: r.double(10), notes: r.string(11) ?? "", createdAt: r.int64(12) ?? 0)
    }

    static func checkPrice(_ field: String, _ v: Double) throws {
        guard v.isFinite, v > 0 else { throw StoreError.invalidArgument(field: field, value: String(v), valid: "a price > 0") }
    }

    public func recordTrade(_ t: NewJournalTrade) async throws -> JournalTrade {
        guard !t.symbol.isEmpty, t.symbol.count <= 32 else {
            throw StoreError.invalidArgument(field: "symbol", value: "'\(t.symbol)'", valid: "1 to 32 characters")
        }
        guard t.quantity.isFinite, t.quantity > 0 else {
            throw StoreError.invalidArgument(field: "quantity", value: String(t.quantity), valid: "a number > 0")
        }
        try Self.checkPrice("entry_price", t.entryPrice)
        guard t.fees.isFinite, t.fees >= 0 else {
            throw StoreError.invalidArgument(field: "fees", value: String(t.fees), valid: "a number ≥ 0")
        }
        guard (t.exitPrice == nil) == (t.exitTime == nil) else {
            throw StoreError.invalidArgument(field: "exit_price", value: t.exitPrice.map { String($0) } ?? "null",
                                             valid: "given together with exit_time")
        }
        var pnl: Double?
        if let exit = t.exitPrice, let exitTime = t.exitTime {
            try Self.checkPrice("exit_price", exit)
            guard exitTime >= t.entryTime else {
                throw StoreError.invalidArgument(field: "exit_time", value: ISO8601.utc(exitTime), valid: "not before entry_time")
            }
            pnl = JournalTrade.pnl(side: t.side, quantity: t.quantity, entry: t.entryPrice, exit: exit, fees: t.fees)
        }
        let rows = try await transaction("journal", [SQLStatement("""
            INSERT INTO journal_trades (symbol, strategy, side, quantity, entry_price, entry_time, exit_price, exit_time,
                fees, pnl, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING \(Self.journalColumns)
            """, [.text(t.symbol), .string(t.strategy), .text(t.side.rawValue), .double(t.quantity), .double(t.entryPrice),
                  .integer(t.entryTime), .double(t.exitPrice), .int64(t.exitTime), .double(t.fees), .double(pnl),
                  .text(t.notes), .integer(StoreClock.now())])])
        return Self.journalTrade(rows[0])
    }

    public func closeTrade(_ id: Int64, exitPrice: Double, exitTime: UnixNanos, fees: Double) async throws -> JournalTrade {
        try Self.checkPrice("exit_price", exitPrice)
        guard fees.isFinite, fees >= 0 else {
            throw StoreError.invalidArgument(field: "fees", value: String(fees), valid: "a number ≥ 0")
        }
        guard let trade = try await journalTrade(id) else { throw StoreError.notFound(kind: "trade", id: String(id)) }
        guard trade.isOpen else { throw StoreError.conflict(kind: "trade", id: String(id), reason: "already closed") }
        guard exitTime >= trade.entryTime else {
            throw StoreError.invalidArgument(field: "exit_time", value: ISO8601.utc(exitTime), valid: "not before the entry time")
        }
        let total = trade.fees + fees
        let pnl = JournalTrade.pnl(side: trade.side, quantity: trade.quantity, entry: trade.entryPrice, exit: exitPrice, fees: total)
        let rows = try await transaction("journal", [SQLStatement("""
            UPDATE journal_trades SET exit_price = ?, exit_time = ?, fees = ?, pnl = ?
            WHERE id = ? AND exit_price IS NULL RETURNING \(Self.journalColumns)
            """, [.double(exitPrice), .integer(exitTime), .double(total), .double(pnl), .integer(id)])])
        guard let row = rows.first else { throw StoreError.conflict(kind: "trade", id: String(id), reason: "already closed") }
        return Self.journalTrade(row)
    }

    public func journalTrade(_ id: Int64) async throws -> JournalTrade? {
        try await read("journal", "SELECT \(Self.journalColumns) FROM journal_trades WHERE id = ?", [.integer(id)])
            .first.map(Self.journalTrade)
    }

    public func journal(symbol: String?, open: Bool?, page: PageRequest) async throws -> Page<JournalTrade> {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let symbol { clauses.append("symbol = ?"); arguments.append(.text(symbol)) }
        if let open { clauses.append(open ? "exit_price IS NULL" : "exit_price IS NOT NULL") }
        let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let total = try await count("journal", "SELECT COUNT(*) FROM journal_trades" + whereSQL, arguments)
        let rows = try await read("journal", """
            SELECT \(Self.journalColumns) FROM journal_trades\(whereSQL) ORDER BY id DESC LIMIT ? OFFSET ?
            """, arguments + [.int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.journalTrade), total: total, limit: page.limit, offset: page.offset)
    }

    public func closedTrades() async throws -> [JournalTrade] {
        try await read("journal", """
            SELECT \(Self.journalColumns) FROM journal_trades WHERE exit_price IS NOT NULL ORDER BY exit_time, id
            """).map(Self.journalTrade)
    }
}
