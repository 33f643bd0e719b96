import NIOCore
import TradewindCore

/// Where hand-written JSON goes: a byte array (the history page and `BacktestJSON`'s text, assembled before they
/// become one `ByteBuffer` or one `String`), a `ByteBuffer` (`GET /api/history/{id}`'s body, written in place) or a
/// `String` (for callers that want text as they go, the tests among them). `HistoryJSON`'s writers take any of them.
protocol JSONOutput {
    /// Appends text known at compile time (keys, punctuation): every literal goes here, as the other writers take
    /// no unlabelled `String` (a literal would otherwise be a `String`, appended through its UTF-8 view).
    mutating func emit(_ text: StaticString)
    /// Appends `text`'s UTF-8 bytes.
    mutating func emit(text: String)
    /// Appends bytes of UTF-8 text: ASCII formatted on the stack (a number's digits, a timestamp) or a string literal's
    /// bytes from `JSONString.write` (whole characters in each call).
    mutating func emit(ascii bytes: UnsafeRawBufferPointer)
}

extension String: JSONOutput {
    mutating func emit(_ text: StaticString) {
        text.withUTF8Buffer { self += String(decoding: $0, as: UTF8.self) }
    }
    mutating func emit(text: String) { self += text }
    mutating func emit(ascii bytes: UnsafeRawBufferPointer) { self += String(decoding: bytes, as: UTF8.self) }
}

extension ByteBuffer: JSONOutput {
    mutating func emit(_ text: StaticString) { writeStaticString(text) }
    mutating func emit(text: String) { writeString(text) }
    mutating func emit(ascii bytes: UnsafeRawBufferPointer) { writeBytes(bytes) }
}

extension Array: JSONOutput where Element == UInt8 {
    mutating func emit(_ text: StaticString) { text.withUTF8Buffer { append(contentsOf: $0) } }
    mutating func emit(text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
    mutating func emit(ascii bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

extension JSONOutput {
    /// A finite number as JSONEncoder writes it (`JSONNumber`), formatted on the stack.
    @inline(__always)
    mutating func emit(finite v: Double) {
        JSONNumber.withText(v) { emit(ascii: $0) }
    }

    /// `instant` as `times` writes it, between quotes, formatted on the stack (no escaping: the text is digits and
    /// `-:.+TZ`).
    @inline(__always)
    mutating func emit(quoted instant: UnixNanos, _ times: Timestamps) {
        emit("\"")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ISO8601.maxLength) { buffer in
            let n = times.write(instant, into: buffer)
            emit(ascii: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[..<n]))
        }
        emit("\"")
    }
}
