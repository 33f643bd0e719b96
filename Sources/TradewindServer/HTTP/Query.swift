import Hummingbird
import TradewindStore

/// Query parameters, checked: a bad value is a 400 naming the parameter and what it accepts.
struct Query {
    let parameters: Parameters

    init(_ request: Request) { parameters = request.uri.queryParameters }

    func string(_ name: String) -> String? {
        parameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw APIError.badRequest("\(name) \(text): expected an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return v
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws -> T where T.RawValue == String {
        guard let text = string(name) else { return value }
        guard let v = T(rawValue: text) else {
            throw APIError.badRequest("\(name) \(text): expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
        }
        return v
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.badRequest("\(name) \(text): expected true or false", field: name)
        }
    }

    /// `limit` (1…1000, default 50) and `offset` (≥ 0, default 0).
    func page(defaultLimit: Int = 50) throws -> PageRequest {
        let limit = try int("limit", default: defaultLimit, range: 1...PageRequest.maximumLimit)
        let offset = try int("offset", default: 0, range: 0...Int(Int32.max))
        return try PageRequest(limit: limit, offset: offset)
    }
}

/// A path parameter that must be a positive integer id.
func pathID(_ context: APIContext, _ name: String = "id") throws -> Int64 {
    guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
        throw APIError.badRequest("\(name) \(context.parameters.get(name) ?? ""): expected a positive integer", field: name)
    }
    return id
}

/// A page of items as every list endpoint returns it.
struct PageBody<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int

    init<S>(_ page: Page<S>, _ transform: (S) throws -> Item) rethrows {
        items = try page.items.map(transform)
        total = page.total
        limit = page.limit
        offset = page.offset
    }
}
