import Testing
import TradewindCore
import TradewindIndicators

/// `MovingAverageCross` is the fast path of two `RollingMean`s and two `CrossAbove` detectors: the readable reference
/// beside it must give the same crossings on every bar.
@Suite struct MovingAverageCrossTests {
    /// The reference: two vectorbt moving averages and vectorbt's crossing detectors.
    static func reference(_ xs: [Double], fast: Int, slow: Int) throws -> [(Bool, Bool)] {
        var f = try RollingMean(window: fast), s = try RollingMean(window: slow)
        var up = CrossAbove(), down = CrossAbove()
        return xs.map { x in
            let a = f.update(x), b = s.update(x)
            return (up.update(a, b), down.update(b, a))
        }
    }

    @Test func crossingsEqualTwoRollingMeansAndTwoCrossAboveDetectorsOnRandomWalks() throws {
        var rng = SplitMix64(seed: 2026)
        var checked = 0
        for _ in 0..<60 {
            let fast = Int.random(in: 1...40, using: &rng)
            let slow = Int.random(in: (fast + 1)...120, using: &rng)
            var price = Double.random(in: 1...500, using: &rng)
            // Random walks with flat stretches (exact ties between the averages) and NaN gaps (resets).
            let xs: [Double] = (0..<3_000).map { k in
                if k % 997 == 500 { return .nan }
                if Int.random(in: 0..<10, using: &rng) != 0 { price *= 1 + Double.random(in: -0.01...0.01, using: &rng) }
                return (price * 100).rounded() / 100
            }
            var cross = try MovingAverageCross(fast: fast, slow: slow)
            let expected = try Self.reference(xs, fast: fast, slow: slow)
            for (k, x) in xs.enumerated() {
                let got = cross.update(x)
                #expect(got.up == expected[k].0 && got.down == expected[k].1, "fast \(fast) slow \(slow) bar \(k)")
                if got.up || got.down { checked += 1 }
            }
        }
        #expect(checked > 500)
    }

    @Test func comparingWithoutDividingDecidesAsTheRoundedMeansDo() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            let fast = Int.random(in: 1...60, using: &rng)
            let slow = Int.random(in: (fast + 1)...400, using: &rng)
            let mean = Double.random(in: 1e-3...1e4, using: &rng)
            let slowSum = mean * Double(slow)
            // Mostly means within a few ulps of each other (where only the divisions can decide), some far apart.
            var fastMean = mean + Double(Int.random(in: -8...8, using: &rng)) * mean.ulp
            if Int.random(in: 0..<4, using: &rng) == 0 { fastMean = mean * Double.random(in: 0.9...1.1, using: &rng) }
            let fastSum = fastMean * Double(fast)
            #expect(MovingAverageCross.relation(fastSum: fastSum, fast: Double(fast), slowSum: slowSum, slow: Double(slow))
                    == CrossAbove.Relation(fastSum / Double(fast), slowSum / Double(slow)))
        }
    }

    @Test func extremeAndDegenerateSumsFallBackToTheDivisions() {
        let values: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e-300, 1e300,
                                .greatestFiniteMagnitude, .infinity, -.infinity, .nan]
        for a in values {
            for b in values {
                for (fast, slow) in [(1, 2), (10, 30), (7, 1000)] {
                    #expect(MovingAverageCross.relation(fastSum: a, fast: Double(fast), slowSum: b, slow: Double(slow))
                            == CrossAbove.Relation(a / Double(fast), b / Double(slow)))
                }
            }
        }
    }

    @Test func windowsOutOfRangeAreErrors() {
        #expect(throws: IndicatorError.self) { try MovingAverageCross(fast: 0, slow: 5) }
        #expect(throws: IndicatorError.self) { try MovingAverageCross(fast: 5, slow: 5) }
        #expect(throws: IndicatorError.self) { try MovingAverageCross(fast: 5, slow: 200_000) }
    }
}
