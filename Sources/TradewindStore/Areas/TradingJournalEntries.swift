import TradewindCore

/// One entry of a live-trading journal as the store keeps it: the journal's name, its position (`sequence`,
/// increasing), the entry's kind (`intent`, `update`, `risk_rejection`, `halt`, `lifecycle`, `reconciliation`) and
/// its JSON line, the same text the JSON-lines journal file holds. The live runtime writes these before acting on them.
public struct TradingJournalEntry: Sendable, Equatable {
    public var sequence: Int64
    public var journal: String
    public var kind: String
    public var line: String
    public var writtenAt: UnixNanos
}

/// The trading-journal area: the live runtime's durable record (order intents, broker reports, risk events), kept
/// per journal name so that several bots can share one database. Writes are durable when they return (SQLite:
/// synchronous=FULL; PostgreSQL: a committed transaction).
public protocol TradingJournalStore: Sendable {
    /// Appends `lines` (kind, JSON line) to the journal `name`, in one transaction, in order.
    func appendTradingJournal(_ name: String, _ lines: [(kind: String, line: String)]) async throws
    /// Every entry of the journal `name`, oldest first.
    func tradingJournal(_ name: String) async throws -> [TradingJournalEntry]
    /// The journals this store holds, by name.
    func tradingJournalNames() async throws -> [String]
}

extension StoreMigrations {
    static let tradingJournalV1 = StoreMigration(id: "009-trading-journal", statements: [
        "CREATE TABLE trading_journal (sequence {id}, journal TEXT NOT NULL, kind TEXT NOT NULL, line TEXT NOT NULL, written_at BIGINT NOT NULL)",
        "CREATE INDEX trading_journal_by_name ON trading_journal (journal, sequence)",
    ])
}

extension SQLStore {
    /// The longest journal name accepted.
    static let journalNameLimit = 100

    static func checkJournalName(_ name: String) throws {
        guard !name.isEmpty, name.count <= journalNameLimit else {
            throw StoreError.invalidArgument(field: "journal", value: "'\(name)'", valid: "1 to \(journalNameLimit) characters")
        }
    }

    public func appendTradingJournal(_ name: String, _ lines: [(kind: String, line: String)]) async throws {
        try Self.checkJournalName(name)
        guard !lines.isEmpty else { return }
        let now = StoreClock.now()
        try await transaction("trading_journal", lines.map {
            SQLStatement("INSERT INTO trading_journal (journal, kind, line, written_at) VALUES (?, ?, ?, ?)",
                         [.text(name), .text($0.kind), .text($0.line), .integer(now)])
        })
    }

    public func tradingJournal(_ name: String) async throws -> [TradingJournalEntry] {
        try Self.checkJournalName(name)
        return try await read("trading_journal", """
            SELECT sequence, journal, kind, line, written_at FROM trading_journal WHERE journal = ? ORDER BY sequence
            """, [.text(name)]).map {
            TradingJournalEntry(sequence: $0.int64(0) ?? 0, journal: $0.string(1) ?? "", kind: $0.string(2) ?? "",
                                line: $0.string(3) ?? "", writtenAt: $0.int64(4) ?? 0)
        }
    }

    public func tradingJournalNames() async throws -> [String] {
        try await read("trading_journal", "SELECT DISTINCT journal FROM trading_journal ORDER BY journal").compactMap { $0.string(0) }
    }
}
