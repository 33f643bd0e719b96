/// Alpaca's error body: `{"code": 40010001, "message": "..."}`.
public struct AlpacaErrorBody: Codable, Sendable, Hashable {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
}

/// A request Alpaca refused, or that could not reach it. Never carries the keys.
public enum AlpacaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An HTTP error answer, with Alpaca's code and message when the body had them.
    case http(status: Int, code: Int?, message: String, path: String)
    /// The answer was not the JSON expected.
    case malformed(path: String, detail: String)
    /// No answer in time, or the connection failed, after every allowed try.
    case unreachable(path: String, detail: String)
    /// An order the adapter cannot express in Alpaca's API.
    case unsupportedOrder(String)

    public var description: String {
        switch self {
        case .http(let status, let code, let message, let path):
            let what: String
            switch status {
            case 401: what = "authentication failed (check APCA_API_KEY_ID and APCA_API_SECRET_KEY)"
            case 403: what = "forbidden (insufficient buying power, or the keys lack permission)"
            case 404: what = "not found"
            case 422: what = "invalid request"
            case 429: what = "rate limited (200 requests per minute per key)"
            default: what = "HTTP \(status)"
            }
            return "Alpaca \(path): \(what)\(code.map { " [\($0)]" } ?? ""): \(message)"
        case .malformed(let path, let detail): return "Alpaca \(path): unexpected answer: \(detail)"
        case .unreachable(let path, let detail): return "Alpaca \(path): no answer: \(detail)"
        case .unsupportedOrder(let why): return why
        }
    }

    /// The HTTP status, for errors that have one.
    public var status: Int? {
        if case .http(let s, _, _, _) = self { return s }
        return nil
    }
}
