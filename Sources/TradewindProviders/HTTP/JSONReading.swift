import Foundation

/// Decodes providers' JSON answers into typed values, turning every failure (malformed, truncated, wrong shape)
/// into a `malformed` error that says where the answer stopped making sense.
enum JSONReading {
    static func decode<T: Decodable>(_ type: T.Type, from body: Data, provider: ProviderID, symbol: String?,
                                     what: String) throws(ProviderError) -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            throw ProviderError(.malformed, provider, symbol: symbol, "the \(what) answer is not the documented JSON: \(describe(error))")
        } catch {
            throw ProviderError(.malformed, provider, symbol: symbol, "the \(what) answer is not JSON: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .dataCorrupted(let c): return "malformed or truncated JSON" + path(c)
        case .keyNotFound(let k, let c): return "missing field '\(k.stringValue)'" + path(c)
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return c.debugDescription + path(c)
        @unknown default: return "\(error)"
        }
    }
}
