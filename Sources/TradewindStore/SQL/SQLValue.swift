import Foundation
import TradewindCore

/// A value bound to or read from a SQL statement: the five kinds both backends store (a blob is SQLite's BLOB and
/// PostgreSQL's bytea).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// An optional integer as a value (nil: NULL).
    static func int(_ v: Int?) -> SQLValue { v.map { .integer(Int64($0)) } ?? .null }
    /// An optional 64-bit integer as a value (nil: NULL).
    static func int64(_ v: Int64?) -> SQLValue { v.map { .integer($0) } ?? .null }
    /// An optional double as a value (nil or not finite: NULL).
    static func double(_ v: Double?) -> SQLValue { v.flatMap { $0.isFinite ? .real($0) : nil } ?? .null }
    /// An optional string as a value (nil: NULL).
    static func string(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    /// A Boolean as 0 or 1.
    static func bool(_ v: Bool) -> SQLValue { .integer(v ? 1 : 0) }
}

/// One row of a query's result, its values in the select list's order.
public struct SQLRow: Sendable {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    /// The integer in column `i` (a real is truncated; NULL or text: nil).
    func int64(_ i: Int) -> Int64? {
        switch values[i] {
        case let .integer(v): return v
        case let .real(v): return v.isFinite ? Int64(v) : nil
        case .null, .text, .blob: return nil
        }
    }

    func int(_ i: Int) -> Int? { int64(i).map { Int($0) } }

    /// The number in column `i` (an integer is converted; NULL or text: nil).
    func double(_ i: Int) -> Double? {
        switch values[i] {
        case let .integer(v): return Double(v)
        case let .real(v): return v
        case .null, .text, .blob: return nil
        }
    }

    /// The text in column `i` (NULL: nil; numbers are written out).
    func string(_ i: Int) -> String? {
        switch values[i] {
        case let .text(s): return s
        case let .integer(v): return String(v)
        case let .real(v): return String(v)
        case let .blob(b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }

    /// The bytes in column `i` (a blob; text as its UTF-8 bytes; NULL or a number: nil).
    func blob(_ i: Int) -> Data? {
        switch values[i] {
        case let .blob(b): return b
        case let .text(s): return Data(s.utf8)
        case .null, .integer, .real: return nil
        }
    }

    func bool(_ i: Int) -> Bool { (int64(i) ?? 0) != 0 }
}

/// A statement and its arguments.
public struct SQLStatement: Sendable, Hashable {
    public var sql: String
    public var arguments: [SQLValue]

    public init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }
}
