import Foundation
import Testing
import TradewindCore

@Suite struct JSONNumberTests {
    /// Finite doubles of every magnitude (random bit patterns) and the edge cases of the shortest-digits form.
    static func values() -> [Double?] {
        var rng = SplitMix64(seed: 13)
        var out: [Double?] = [0, -0.0, 1, 2, -3, 0.1, 0.2, 0.30000000000000004, 1e15, 1e16, 1e17, 1e+20, 123456789012345680000,
                              1e-5, 1e-7, 5e-324, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                              .ulpOfOne, 1 / 3, 2.215713614995968, -0.5, 100, 4503599627370496, 9007199254740993, nil]
        while out.count < 20_000 {
            let v = Double(bitPattern: rng.next())
            if v.isFinite { out.append(v) }
            // Ordinary magnitudes too (objectives, returns): a random value in ±1000 with few or many digits.
            let u = Double(rng.next() >> 11) / Double(1 << 53) * 2000 - 1000
            out.append(u)
            out.append((u * 100).rounded() / 100)
        }
        return out
    }

    @Test func writesEveryNumberAsJSONEncoderDoes() throws {
        let values = Self.values()
        let expected = [UInt8](try JSONEncoder().encode(values))
        var written: [UInt8] = [UInt8(ascii: "[")]
        for (i, v) in values.enumerated() {
            if i > 0 { written.append(UInt8(ascii: ",")) }
            JSONNumber.write(v, into: &written)
        }
        written.append(UInt8(ascii: "]"))
        #expect(written == expected)
        for v in values.prefix(2_000).compactMap({ $0 }) {
            #expect(JSONNumber.text(v) == String(decoding: try JSONEncoder().encode(v), as: UTF8.self)[...])
        }
        // The stack-formatted bytes equal the readable `text` on every value.
        for v in values.compactMap({ $0 }) {
            #expect(JSONNumber.withText(v) { String(decoding: $0, as: UTF8.self) } == String(JSONNumber.text(v)), "\(v)")
        }
    }

    @Test func writesNullForMissingAndNonFiniteValues() {
        var out: [UInt8] = []
        for v in [nil, Double.nan, .infinity, -.infinity] as [Double?] { JSONNumber.write(v, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "nullnullnullnull")
    }
}
