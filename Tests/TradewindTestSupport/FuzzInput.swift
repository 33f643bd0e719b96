import TradewindCore

/// Seeded generator of hostile inputs for the fuzz tests: random bytes and text, and mutations of valid
/// inputs (truncation, byte flips, inserted separators, quotes, NaN/inf, huge and negative numbers, empty
/// fields, very long numbers, unicode). The same seed gives the same inputs on every run.
public struct FuzzInput {
    public var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A uniform integer in `0..<n` (n ≥ 1).
    public mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Fragments that break parsers: separators, quotes, special and extreme numbers, unicode.
    public static let tokens: [String] = [
        "", " ", ",", ";", "\t", "\"", "'", "\n", "\r\n", "\r", "=", ":", "::", "#", "(", ")", "-", "+", ".", "e", "E",
        "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "1e-320", "4.9e-324", "1e99999", "1e-99999",
        "0", "-0", "1", "-1", "0.1", "00000000000000000001", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483647", "4294967296",
        String(repeating: "9", count: 400), "0." + String(repeating: "0", count: 400) + "1", "1" + String(repeating: "0", count: 30),
        "9999999999", "9999999999999", "9999999999999999", "9999999999999999999", "99999999999999999999",
        "2261-12-31", "2262-04-12", "1677-09-21", "1678-01-01", "9999-12-31", "0000-01-01", "2020-02-30", "2020-13-01",
        "23:59:59.999999999", "24:00", "99:99", "T", "Z", "+18:00", "-99:99", ".5", "5.", "1e", "e5", "--1", "0x10",
        "é", "日本", "\u{0}", "\u{FEFF}", "🙂", "\u{301}", "\u{202E}", "ﬀ", "٣", "Ⅻ", "\\", "/", "*", "<", ">=", "==", "!=",
        "and", "or", "&&", "||", "true", "false", "null", "{", "}", "[", "]",
    ]

    /// Random bytes, any value.
    public mutating func bytes(maxCount: Int) -> [UInt8] {
        (0..<below(maxCount + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Random text over `alphabet` (characters), mixed with tokens.
    public mutating func text(maxCount: Int, alphabet: String) -> String {
        let chars = Array(alphabet)
        var s = ""
        for _ in 0..<below(maxCount + 1) {
            if chance(10) { s += pick(FuzzInput.tokens) } else { s.append(pick(chars)) }
        }
        return s
    }

    /// `seed` with one to four random edits.
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var b = seed
        for _ in 0...below(4) {
            let at = below(b.count + 1)
            switch below(9) {
            case 0: b = Array(b[0..<at])                                         // truncate
            case 1: if at < b.count { b[at] ^= UInt8(1) << UInt8(below(8)) }     // flip a bit
            case 2: if at < b.count { b[at] = UInt8(truncatingIfNeeded: rng.next()) }  // replace a byte
            case 3, 4: b.insert(contentsOf: Array(pick(FuzzInput.tokens).utf8), at: at)  // insert a token
            case 5:                                                              // delete a range
                let end = min(b.count, at + 1 + below(8))
                if at < end { b.removeSubrange(at..<end) }
            case 6:                                                              // duplicate a range
                let end = min(b.count, at + 1 + below(32))
                if at < end { b.insert(contentsOf: Array(b[at..<end]), at: at) }
            case 7:                                                              // replace a digit run with an extreme number
                if let d = b[at...].firstIndex(where: { $0 >= 48 && $0 <= 57 }) {
                    var e = d
                    while e < b.count, b[e] >= 48, b[e] <= 57 { e += 1 }
                    b.replaceSubrange(d..<e, with: Array(pick(FuzzInput.tokens.filter { $0.first?.isNumber ?? false }).utf8))
                }
            default:                                                             // swap two bytes
                let j = below(b.count + 1)
                if at < b.count, j < b.count { b.swapAt(at, j) }
            }
        }
        return b
    }

    /// `seed` (text) with random edits, decoded back to text (invalid UTF-8 becomes U+FFFD).
    public mutating func mutate(_ seed: String) -> String { String(decoding: mutate(Array(seed.utf8)), as: UTF8.self) }
}
