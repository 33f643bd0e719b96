extension ResultParameter {
    /// Reads a parameter list in the exact form the store writes it — `[{"name":"fast","value":"10"},…]`, sorted keys,
    /// no whitespace, no escapes — without a `JSONDecoder` (a history page reads 50 of them: the decoder was a tenth of
    /// the list's server time). Any other text, valid JSON or not, is nil: the caller decodes it with `JSONDecoder`.
    static func canonicalList(_ text: String) -> [ResultParameter]? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> [ResultParameter]? in
            var i = 0
            let n = bytes.count
            func expect(_ literal: StaticString) -> Bool {
                let count = literal.utf8CodeUnitCount
                guard i + count <= n else { return false }
                for k in 0..<count where bytes[i + k] != literal.utf8Start[k] { return false }
                i += count
                return true
            }
            /// The text up to the next quote; nil at a backslash or a control character (escapes: not canonical here).
            func plain() -> String? {
                let start = i
                while i < n, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") || bytes[i] < 0x20 { return nil }
                    i += 1
                }
                guard i < n else { return nil }
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            guard expect("[") else { return nil }
            var out: [ResultParameter] = []
            if expect("]") { return i == n ? out : nil }
            while true {
                guard expect(#"{"name":""#), let name = plain(), expect(#","value":""#), let value = plain(), expect("}")
                else { return nil }
                out.append(ResultParameter(name: name, value: value))
                if expect(",") { continue }
                guard expect("]"), i == n else { return nil }
                return out
            }
        } ?? nil
    }
}
