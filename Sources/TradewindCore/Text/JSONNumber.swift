/// JSON numbers as Foundation's `JSONEncoder` writes a `Double`, for the places that write JSON by hand: the shortest
/// digits that read back to the same value (`Double.description`), with an integral value's trailing `.0` dropped
/// (`2`, `-0`, `1e+20`, `0.1`, `1e-05`).
public enum JSONNumber {
    /// A finite `v` as JSONEncoder writes it.
    public static func text(_ v: Double) -> Substring {
        let s = v.description
        return s.hasSuffix(".0") ? s.dropLast(2) : s[...]
    }

    /// Appends `v` as JSONEncoder writes it to `out`'s UTF-8 bytes; `null` when it is missing or not finite (what a
    /// `Double?` holding `nil` encodes to).
    public static func write(_ v: Double?, into out: inout [UInt8]) {
        guard let v, v.isFinite else {
            out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
            return
        }
        var s = v.description
        s.withUTF8 { b in
            let integral = b.count > 2 && b[b.count - 2] == UInt8(ascii: ".") && b[b.count - 1] == UInt8(ascii: "0")
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[..<(integral ? b.count - 2 : b.count)]))
        }
    }
}
