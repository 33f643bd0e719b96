import Foundation
import Hummingbird
import TradewindStore

extension Routes {
    /// `POST /api/strategies`: a new version, derived from `parent_id` when given.
    struct VersionCreate: Decodable {
        var strategy: String
        var parentID: Int64?
        var parameters: [String: JSONValue]
        var notes: String
        enum CodingKeys: String, CodingKey, CaseIterable {
            case strategy, parameters, notes
            case parentID = "parent_id"
        }

        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            strategy = try c.decode(String.self, forKey: .strategy)
            parentID = try c.decodeIfPresent(Int64.self, forKey: .parentID)
            parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters) ?? [:]
            notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
        }
    }

    static func addStrategies(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/strategies") { request, _ -> Response in
            let page = try await state.store.strategyVersions(page: try Query(request).page())
            return try JSON.response(PageBody(page) { StrategyVersionBody($0, times: state.times) })
        }
        router.get("/api/strategies/active") { _, _ -> Response in
            guard let v = try await state.store.activeStrategyVersion() else {
                throw APIError.notFound("no strategy version is active (POST /api/strategies/{id}/activate)")
            }
            return try JSON.response(StrategyVersionBody(v, times: state.times))
        }
        router.post("/api/strategies") { request, _ -> Response in
            let body = try await JSON.decode(VersionCreate.self, from: request)
            // The parameters must be the strategy's own, with values it accepts.
            let descriptor = try state.catalog.named(body.strategy)
            var texts: [String: String] = [:]
            for (k, v) in body.parameters {
                switch v {
                case let .string(s): texts[k] = s
                case let .number(d): texts[k] = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
                case let .bool(b): texts[k] = String(b)
                default: throw APIError.badRequest("parameters.\(k): expected a string, number or Boolean", field: "parameters.\(k)")
                }
            }
            _ = try descriptor.parameters(texts)
            let v = try await state.store.createStrategyVersion(strategy: body.strategy, parentID: body.parentID,
                                                                parameters: try JSON.string(texts), notes: body.notes)
            return try JSON.response(StrategyVersionBody(v, times: state.times), status: .created)
        }
        router.post("/api/strategies/{id}/activate") { _, context -> Response in
            let v = try await state.store.activateStrategyVersion(try pathID(context))
            return try JSON.response(StrategyVersionBody(v, times: state.times))
        }
        router.get("/api/sessions") { request, _ -> Response in
            let page = try await state.store.sessions(page: try Query(request).page())
            return try JSON.response(PageBody(page) { SessionBody($0, times: state.times) })
        }
    }
}
