import TradewindCore

/// A named list of symbols (the optimizer console's "keywords": `tech` = AAPL, MSFT, …).
public struct Keyword: Sendable, Equatable {
    public var name: String
    public var symbols: [String]
    public var updatedAt: UnixNanos
}

/// The keywords area.
public protocol KeywordStore: Sendable {
    /// Keywords by name.
    func keywords(page: PageRequest) async throws -> Page<Keyword>
    func keyword(_ name: String) async throws -> Keyword?
    /// Creates or replaces a keyword.
    func putKeyword(_ name: String, symbols: [String]) async throws -> Keyword
    /// Deletes a keyword; false when there was none.
    func deleteKeyword(_ name: String) async throws -> Bool
}

extension StoreMigrations {
    static let keywordsV1 = StoreMigration(id: "003-keywords", statements: [
        "CREATE TABLE keywords (name TEXT PRIMARY KEY, symbols TEXT NOT NULL, updated_at BIGINT NOT NULL)",
    ])
}

extension SQLStore {
    static func keyword(_ r: SQLRow) -> Keyword {
        Keyword(name: r.string(0) ?? "", symbols: decode([String].self, r.string(1)) ?? [], updatedAt: r.int64(2) ?? 0)
    }

    public func keywords(page: PageRequest) async throws -> Page<Keyword> {
        let total = try await count("keywords", "SELECT COUNT(*) FROM keywords")
        let rows = try await read("keywords", "SELECT name, symbols, updated_at FROM keywords ORDER BY name LIMIT ? OFFSET ?",
                                  [.int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.keyword), total: total, limit: page.limit, offset: page.offset)
    }

    public func keyword(_ name: String) async throws -> Keyword? {
        try await read("keywords", "SELECT name, symbols, updated_at FROM keywords WHERE name = ?", [.text(name)])
            .first.map(Self.keyword)
    }

    public func putKeyword(_ name: String, symbols: [String]) async throws -> Keyword {
        guard !name.isEmpty, name.count <= 100 else {
            throw StoreError.invalidArgument(field: "name", value: "'\(name)'", valid: "1 to 100 characters")
        }
        guard !symbols.isEmpty, symbols.count <= 10_000, symbols.allSatisfy({ !$0.isEmpty && $0.count <= 32 }) else {
            throw StoreError.invalidArgument(field: "symbols", value: "\(symbols.count) symbols",
                                             valid: "1 to 10,000 symbols of 1 to 32 characters")
        }
        let rows = try await write("keywords", """
            INSERT INTO keywords (name, symbols, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET symbols = excluded.symbols, updated_at = excluded.updated_at
            RETURNING name, symbols, updated_at
            """, [.text(name), .text(Self.json(symbols)), .integer(StoreClock.now())])
        return Self.keyword(rows[0])
    }

    public func deleteKeyword(_ name: String) async throws -> Bool {
        try await write("keywords", "DELETE FROM keywords WHERE name = ? RETURNING name", [.text(name)]).count > 0
    }
}
