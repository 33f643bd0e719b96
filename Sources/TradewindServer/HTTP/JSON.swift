import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON in and out: responses with `application/json`, bodies read up to the size limit and decoded strictly.
enum JSON {
    /// The largest request body accepted (1 MiB); larger ones get 413.
    static let maximumBody = 1 << 20

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// `text` (JSON) as a response.
    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        response(ByteBuffer(string: text), status: status)
    }

    /// `body` (JSON bytes written in place) as a response.
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }

    /// `value` encoded as a response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// The request's body, at most 1 MiB (413 beyond), decoded as `T`. An empty body is an error naming the type.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request) else {
            throw APIError.badRequest("expected a JSON object in the request body")
        }
        return value
    }

    /// As `decode`, but an empty body (none sent, `Content-Length: 0`, or an empty chunked body) is nil: for routes
    /// whose body is optional.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBody {
            throw APIError(.contentTooLarge, "payload_too_large", "the request body is \(length) bytes; the limit is 1 MiB (1,048,576 bytes)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBody)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "the request body is over the limit of 1 MiB (1,048,576 bytes)")
        }
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let e as DecodingError {
            throw APIError.from(e)
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError.from(error)
        }
    }
}

/// Any JSON key.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Refuses keys outside `allowed`: an unknown field is an error naming it, not silently ignored.
func rejectUnknownKeys(_ decoder: any Decoder, allowed: [String]) throws {
    let keys = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
    if let unknown = keys.sorted().first(where: { !allowed.contains($0) }) {
        throw APIError.badRequest("unknown field '\(unknown)'; the fields are \(allowed.joined(separator: ", "))", field: unknown)
    }
}

/// A parsed JSON value (stored JSON text given back inside a response).
indirect enum JSONValue: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    /// Parses `text`; malformed text is `.null`.
    static func parse(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }
}
