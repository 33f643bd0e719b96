import Foundation

// Alpaca sends decimals as strings; its SDK fixtures and some endpoints also send bare numbers. Every `String`
// field of this module's wire types (their synthesized decoders resolve to these overloads) takes either, a number
// kept as its decimal text.
extension KeyedDecodingContainer {
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        if let s = try? decodeIfPresent(String.self, forKey: key) { return s }
        throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(key.stringValue) is required"))
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let s = try? superDecodeString(key) { return s }
        if let i = try? decode(Int64.self, forKey: key) { return String(i) }
        if let d = try? decode(Double.self, forKey: key) { return AlpacaJSON.decimal(d) }
        if let b = try? decode(Bool.self, forKey: key) { return String(b) }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string or a number"))
    }

    private func superDecodeString(_ key: Key) throws -> String {
        try superDecoder(forKey: key).singleValueContainer().decode(String.self)
    }
}
