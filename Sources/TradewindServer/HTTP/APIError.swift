import Foundation
import HTTPTypes
import Hummingbird
import TradewindData
import TradewindEngine
import TradewindModels
import TradewindOptimizer
import TradewindStore
import TradewindStrategies

/// An error as the API says it: a status and the JSON body `{"error": CODE, "message": TEXT, "field": NAME|null}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code: `bad_request`, `not_found`, `unauthorized`, `conflict`, `payload_too_large`, ….
    public var code: String
    public var message: String
    /// The request field at fault, when one is.
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, "bad_request", message, field: field)
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }

    /// The body, as JSON.
    var body: String {
        struct Body: Encodable {
            var error: String
            var message: String
            var field: String?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(error, forKey: .error)
                try c.encode(message, forKey: .message)
                try c.encode(field, forKey: .field)
            }
            enum CodingKeys: String, CodingKey { case error, message, field }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(Body(error: code, message: message, field: field)), as: UTF8.self))
            ?? #"{"error":"internal","message":"error","field":null}"#
    }

    /// `error` as the API says it: the libraries' input errors are 400s naming the field, the store's
    /// not-found and conflict errors 404 and 409, anything else a 500 without internals.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as HTTPError:
            let code: String
            switch e.status {
            case .notFound: code = "not_found"
            case .contentTooLarge: code = "payload_too_large"
            case .unauthorized: code = "unauthorized"
            case .methodNotAllowed: code = "method_not_allowed"
            case .unsupportedMediaType: code = "unsupported_media_type"
            default: code = e.status.code < 500 ? "bad_request" : "internal"
            }
            let message = e.body ?? (e.status == .contentTooLarge ? "the request body is over 1 MiB" : e.status.reasonPhrase)
            return APIError(e.status, code, message)
        case let e as StoreError:
            switch e {
            case let .invalidArgument(field, _, _): return .badRequest(e.description, field: field)
            case .notFound: return APIError(.notFound, "not_found", e.description)
            case .conflict: return APIError(.conflict, "conflict", e.description)
            }
        case let e as BacktestSettingsError:
            let field: String?
            switch e {
            case let .invalidValue(f, _, _), let .needsMarginAccount(f, _): field = "backtest." + f.rawValue
            case let .exclusive(a, _): field = "backtest." + a.rawValue
            case let .outOfOrder(a, _, _, _): field = "backtest." + a.rawValue
            case let .unknownField(k): field = "backtest." + k
            }
            return .badRequest(e.description, field: field)
        case let e as OptimizerError:
            switch e {
            case let .invalidArgument(name, _, _): return .badRequest(e.description, field: name == "request field" ? nil : name)
            case let .unknownParameter(name, _), let .duplicateParameter(name): return .badRequest(e.description, field: name)
            case .noBars: return .badRequest(e.description, field: "data")
            case .io: return APIError(.internalServerError, "internal", e.description)
            default: return .badRequest(e.description)
            }
        case let e as DataError:
            return .badRequest(e.description, field: e.input == .source ? "data" : nil)
        case let e as UnknownStrategyError:
            return .badRequest(e.description, field: "strategy")
        case let e as ParameterError:
            return .badRequest("\(e)", field: "params")
        case let e as DecodingError:
            return .badRequest(Self.describe(e), field: Self.field(e))
        case let e as ModelError:
            switch e {
            case let .invalidSetting(name, _, _) where name == "version": return APIError(.notFound, "not_found", e.description)
            case let .invalidSetting(name, _, _): return .badRequest(e.description, field: name)
            case .invalidBar, .notEnoughData: return .badRequest(e.description, field: "data")
            case .ml: return .badRequest(e.description)
            }
        default:
            return APIError(.internalServerError, "internal", "internal error: \(type(of: error))")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String? {
        let names = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        guard !names.isEmpty else { return nil }
        return names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func field(_ e: DecodingError) -> String? {
        switch e {
        case let .keyNotFound(key, context): return path(context.codingPath + [key])
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return path(context.codingPath)
        @unknown default: return nil
        }
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case let .keyNotFound(key, _): return "missing field '\(key.stringValue)'"
        case let .typeMismatch(type, context):
            return "field \(path(context.codingPath) ?? "body"): expected \(Self.typeName(type))"
        case let .valueNotFound(type, context):
            return "field \(path(context.codingPath) ?? "body"): expected \(Self.typeName(type)), got null"
        case let .dataCorrupted(context):
            if let underlying = context.underlyingError as? APIError { return underlying.message }
            return context.codingPath.isEmpty ? "malformed JSON: \(context.debugDescription)"
                : "field \(path(context.codingPath) ?? ""): \(context.debugDescription)"
        @unknown default: return "malformed request"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }
}

/// Turns every error into its JSON form and every unmatched route into a JSON 404.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var api = APIError.from(error)
            if api.status == .notFound, error is HTTPError {
                api.message = "no route \(request.method.rawValue) \(request.uri.path)"
            }
            if api.status.code >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return JSON.response(api.body, status: api.status)
        }
    }
}
