/// JSON numbers as Foundation's `JSONEncoder` writes a `Double`, for the places that write JSON by hand: the shortest
/// digits that read back to the same value (`Double.description`), with an integral value's trailing `.0` dropped
/// (`2`, `-0`, `1e+20`, `0.1`, `1e-05`).
public enum JSONNumber {
    /// A finite `v` as JSONEncoder writes it: the readable form, which `withText` must equal (`JSONNumberTests`).
    public static func text(_ v: Double) -> Substring {
        let s = v.description
        return s.hasSuffix(".0") ? s.dropLast(2) : s[...]
    }

    /// Calls `body` with `text(v)`'s bytes (ASCII) for a finite `v`, formatted on the stack: the standard library
    /// writes a `Double`'s shortest digits to a `TextOutputStream` without making a `String`, which halves the cost
    /// of a number in hand-written JSON (half of it was the `String` that `description` allocates).
    @inline(__always)
    public static func withText<R>(_ v: Double, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var digits = Digits()
        v.write(to: &digits)
        var n = digits.count
        return withUnsafeBytes(of: &digits.bytes) { raw in
            if n > 2, raw[n - 2] == UInt8(ascii: "."), raw[n - 1] == UInt8(ascii: "0") { n -= 2 }
            return body(UnsafeRawBufferPointer(rebasing: raw[..<n]))
        }
    }

    /// Appends `v` as JSONEncoder writes it to `out`'s UTF-8 bytes; `null` when it is missing or not finite (what a
    /// `Double?` holding `nil` encodes to).
    public static func write(_ v: Double?, into out: inout [UInt8]) {
        guard let v, v.isFinite else {
            out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
            return
        }
        withText(v) { out.append(contentsOf: $0) }
    }

    /// The text of one number, on the stack: 32 bytes hold any `Double`'s description (at most 24).
    private struct Digits: TextOutputStream {
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0

        mutating func write(_ string: String) {
            for b in string.utf8 { append(b) }
        }

        /// What `Double.write(to:)` calls with its digits when the stream offers it (the standard library's hook for
        /// ASCII text, so no `String` is made); `write(_:)` takes them otherwise.
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            for b in buffer { append(b) }
        }

        @inline(__always)
        private mutating func append(_ b: UInt8) {
            guard count < 32 else { return }
            withUnsafeMutableBytes(of: &bytes) { $0[count] = b }
            count += 1
        }
    }
}
