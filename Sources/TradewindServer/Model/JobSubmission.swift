import Foundation
import TradewindOptimizer
import TradewindProviders
import TradewindStore

/// A job as `POST /api/jobs` takes it: `{"kind": "optimize"|"backtest"|"training"|"data_fetch", "request": {…}, "tz": …, "keyword": …}`.
/// `request` is the `optimize` command's options (`OptimizeJobRequest`: `OptimizationRequest` and the ML
/// strategies' fold training, same fields, checks and messages), a
/// `BacktestRequest`, a `TrainingRequest` or `data fetch`'s options (`DataFetchOptions`). `keyword` names a stored symbol list that becomes the request's symbols.
public struct JobSubmission: Sendable, Codable, Equatable {
    public enum Request: Sendable, Equatable {
        case optimize(OptimizeJobRequest)
        case backtest(BacktestRequest)
        case training(TrainingRequest)
        case dataFetch(DataFetchOptions)
    }

    public var request: Request
    /// Time zone of naive timestamps and dates (IANA; default America/New_York).
    public var tz: String?
    public var keyword: String?

    public var kind: JobKind {
        switch request {
        case .optimize: return .optimize
        case .backtest: return .backtest
        case .training: return .training
        case .dataFetch: return .dataFetch
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, request, tz, keyword }

    public init(request: Request, tz: String? = nil, keyword: String? = nil) {
        self.request = request
        self.tz = tz
        self.keyword = keyword
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "optimize":
            do {
                request = .optimize(try c.decode(OptimizeJobRequest.self, forKey: .request))
            } catch let e as OptimizerError {
                // Unknown request fields: say them with the request's prefix.
                if case let .invalidArgument(name, value, valid) = e, name == "request field" {
                    throw APIError.badRequest("unknown field \(value) in request; expected \(valid)",
                                              field: "request." + value.trimmingCharacters(in: CharacterSet(charactersIn: "'")))
                }
                throw e
            }
        case "backtest": request = .backtest(try c.decode(BacktestRequest.self, forKey: .request))
        case "training": request = .training(try c.decode(TrainingRequest.self, forKey: .request))
        case "data_fetch": request = .dataFetch(try c.decode(DataFetchRequestBody.self, forKey: .request).options)
        default:
            throw APIError.badRequest("kind '\(kind)': expected optimize, backtest, training or data_fetch", field: "kind")
        }
        tz = try c.decodeIfPresent(String.self, forKey: .tz)
        keyword = try c.decodeIfPresent(String.self, forKey: .keyword)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.rawValue, forKey: .kind)
        switch request {
        case let .optimize(r): try c.encode(r, forKey: .request)
        case let .backtest(r): try c.encode(r, forKey: .request)
        case let .training(r): try c.encode(r, forKey: .request)
        case let .dataFetch(r): try c.encode(r, forKey: .request)
        }
        try c.encodeIfPresent(tz, forKey: .tz)
        try c.encodeIfPresent(keyword, forKey: .keyword)
    }
}

/// A `data_fetch` job's request: `DataFetchOptions`, unknown fields refused.
struct DataFetchRequestBody: Decodable {
    let options: DataFetchOptions

    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: DataFetchOptions.fields)
        options = try DataFetchOptions(from: decoder)
    }
}
