/// One page of a list: the items, the total matching the filter and the window asked for.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

extension Page: Equatable where Item: Equatable {}

/// A window of a list: at most `limit` items (1…1000) after skipping `offset` (≥ 0).
public struct PageRequest: Sendable, Hashable {
    public static let maximumLimit = 1000
    public var limit: Int
    public var offset: Int

    /// Checks the window; throws `StoreError.invalidArgument` naming `limit` or `offset`.
    public init(limit: Int = 50, offset: Int = 0) throws(StoreError) {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalidArgument(field: "limit", value: String(limit), valid: "an integer from 1 to \(Self.maximumLimit)")
        }
        guard offset >= 0 else {
            throw .invalidArgument(field: "offset", value: String(offset), valid: "an integer ≥ 0")
        }
        self.limit = limit
        self.offset = offset
    }
}

/// Sort direction.
public enum SortOrder: String, Sendable, CaseIterable, Codable {
    case asc, desc

    var sql: String { self == .asc ? "ASC" : "DESC" }
}
