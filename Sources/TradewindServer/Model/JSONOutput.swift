import NIOCore

/// Where hand-written JSON goes: a `String` (text kept in the store) or a `ByteBuffer` (a response body, written in
/// place with no copy afterwards). `HistoryJSON`'s writers take either.
protocol JSONOutput {
    /// Appends text known at compile time (keys, punctuation).
    mutating func emit(_ text: StaticString)
    /// Appends `text`'s UTF-8 bytes.
    mutating func emit(_ text: String)
    /// Appends `text`'s UTF-8 bytes.
    mutating func emit(_ text: Substring)
}

extension String: JSONOutput {
    mutating func emit(_ text: StaticString) {
        text.withUTF8Buffer { self += String(decoding: $0, as: UTF8.self) }
    }
    mutating func emit(_ text: String) { self += text }
    mutating func emit(_ text: Substring) { self += text }
}

extension ByteBuffer: JSONOutput {
    mutating func emit(_ text: StaticString) { writeStaticString(text) }
    mutating func emit(_ text: String) { writeString(text) }
    mutating func emit(_ text: Substring) { writeSubstring(text) }
}
