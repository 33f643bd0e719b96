import Foundation
import Testing
@testable import TradewindData

/// The fast decimal paths (Clinger, Eisel–Lemire) agree bit for bit with the C library's correctly
/// rounded `strtod` (through `Double(String)`), including exact ties between two doubles.
@Suite struct CSVDecimalTests {
    func fast(_ t: String) -> Double? {
        Array(t.utf8).withUnsafeBufferPointer { b in DecimalParsing.parse(b.baseAddress!, 0, b.count) }
    }

    func check(_ t: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = Double(t)!
        let v = fast(t)
        #expect(v?.bitPattern == reference.bitPattern, "\(t): \(String(describing: v)) vs \(reference)", sourceLocation: sourceLocation)
    }

    @Test func shortestFormsOfRandomDoublesRoundTrip() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -6...15, using: &rng)
            let x = Foundation.pow(10, magnitude) * Double.random(in: 1...10, using: &rng)
            let t = x.description
            #expect(fast(t)?.bitPattern == x.bitPattern, "\(t)")
        }
    }

    @Test func longSignificandsWithEveryExponent() {
        var rng = SystemRandomNumberGenerator()
        for q in -22...22 {
            for digits in 16...19 {
                for _ in 0..<150 {
                    var m = String(UInt64.random(in: 1...9, using: &rng))
                    for _ in 1..<digits { m += String(UInt64.random(in: 0...9, using: &rng)) }
                    check("\(m)e\(q)")
                    if q < 0 && -q < digits {
                        // The same value written with a decimal point.
                        let cut = m.index(m.endIndex, offsetBy: q)
                        check(String(m[..<cut]) + "." + String(m[cut...]))
                    }
                }
            }
        }
    }

    @Test func exactTiesRoundToEven() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            // Between 2^52 and 2^53 doubles are spaced 1: n + 0.5 is a tie.
            let n = UInt64.random(in: (1 << 52)..<(1 << 53), using: &rng)
            check("\(n).5")
            check("\(n).25")
            check("\(n).75")
            // Between 2^53 and 2^54 they are spaced 2: odd integers are ties.
            let odd = UInt64.random(in: (1 << 53)..<(1 << 54), using: &rng) | 1
            check("\(odd)")
            // Between 2^60 and 2^63 they are spaced 256: multiples of 128 that are odd multiples are ties.
            let big = (UInt64.random(in: (1 << 60)..<(1 << 63), using: &rng) & ~0xFF) | 0x80
            check("\(big)")
            check("\(big + 1)")
            check("\(big - 1)")
            // Ties scaled by powers of ten stay exact decimals: n.5 × 10^-k for small k.
            check("\(n)5e-\(Int.random(in: 1...4, using: &rng))")
        }
        for t in ["9007199254740993", "9007199254740995", "18446744073709551615", "4503599627370496.5",
                  "4503599627370497.5", "1e22", "9999999999999999999e-22", "1000000000000000000e22", "0.1", "0.30000000000000004",
                  "127.37000274658203", "99.92687284882248", "1.7976931348623157e308", "5e-324"] {
            check(t)
        }
    }
}
