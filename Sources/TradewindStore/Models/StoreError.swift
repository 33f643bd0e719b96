/// What the store refuses, said so that a caller can fix it.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` = `value` is not acceptable; `valid` says what is.
    case invalidArgument(field: String, value: String, valid: String)
    /// No `kind` with this id or name.
    case notFound(kind: String, id: String)
    /// The change conflicts with the stored state (a user that exists, a trade already closed, …).
    case conflict(kind: String, id: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidArgument(field, value, valid): return "\(field) \(value): expected \(valid)"
        case let .notFound(kind, id): return "no \(kind) \(id)"
        case let .conflict(kind, id, reason): return "\(kind) \(id): \(reason)"
        }
    }
}
