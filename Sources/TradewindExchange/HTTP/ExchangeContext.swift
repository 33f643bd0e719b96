import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TradewindAlpaca

/// The request context of the exchange's routes (WebSocket-capable, for `/stream` and the data stream).
public struct ExchangeContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<ExchangeContext>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}

/// Alpaca's answers: JSON bodies, the `{code, message}` error body.
enum AlpacaReply {
    static let keyIDHeader = HTTPField.Name("APCA-API-KEY-ID")!
    static let secretHeader = HTTPField.Name("APCA-API-SECRET-KEY")!

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? AlpacaJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON body already written as bytes (the bars pages).
    static func json(bytes: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: bytes))
    }

    static func failure(_ f: ExchangeFailure) -> Response {
        json(AlpacaErrorBody(code: f.code, message: f.message), status: HTTPResponse.Status(code: f.status))
    }

    /// The request's JSON body as `T` (422 naming the problem when it is not).
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try AlpacaJSON.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ExchangeFailure.invalid("\(key.stringValue.snakeCased) is required")
        } catch let DecodingError.typeMismatch(_, c) {
            throw ExchangeFailure.invalid("\(c.codingPath.map(\.stringValue.snakeCased).joined(separator: ".")) has the wrong type: \(c.debugDescription)")
        } catch {
            throw ExchangeFailure(400, 40010000, "the request body is not valid JSON")
        }
    }
}

extension String {
    /// `limitPrice` → `limit_price`, for naming fields in errors as the API spells them.
    var snakeCased: String {
        var out = ""
        for ch in self {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// Every REST route needs the key headers: 401 without them, 403 with wrong ones; failures become Alpaca's error
/// body.
struct AlpacaMiddleware: RouterMiddleware {
    typealias Context = ExchangeContext
    let keys: ExchangeKeys

    func handle(_ request: Request, context: ExchangeContext,
                next: (Request, ExchangeContext) async throws -> Response) async throws -> Response {
        switch keys.check(keyID: request.headers[AlpacaReply.keyIDHeader], secretKey: request.headers[AlpacaReply.secretHeader]) {
        case .missing: return AlpacaReply.failure(ExchangeFailure(401, 40110000, "request is not authorized"))
        case .wrong: return AlpacaReply.failure(ExchangeFailure(403, 40310000, "forbidden: the key id or secret key is wrong"))
        case .valid: break
        }
        do {
            return try await next(request, context)
        } catch let f as ExchangeFailure {
            return AlpacaReply.failure(f)
        } catch let e as HTTPError where e.status == .notFound {
            return AlpacaReply.failure(.notFound("endpoint not found"))
        }
    }
}
