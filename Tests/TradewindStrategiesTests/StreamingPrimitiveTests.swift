import Testing
@testable import TradewindStrategies

@Suite("Streaming primitives")
struct StreamingPrimitiveTests {
    @Test func rollingMeanIsNaNDuringWarmUpThenTheCumulativeSumDifference() {
        var m = RollingMean(window: 3)
        let out = [1.0, 2, 3, 4, 10].map { m.update($0) }
        #expect(out[0].isNaN && out[1].isNaN)
        let expected: [Double] = [2, 3, 17.0 / 3]   // (20 − 3) / 3: cumulative sums 1, 3, 6, 10, 20
        #expect(Array(out[2...]) == expected)
    }

    @Test func crossAboveFollowsVectorbtIncludingEqualityAndNaNResets() {
        var c = CrossAbove()
        // below, above (fires), above, equal, above (fires again: was-below is remembered), NaN, above (no: reset)
        let a: [Double] = [1, 3, 3, 2, 3, .nan, 3]
        let b: [Double] = [2, 2, 2, 2, 2, 2, 2]
        #expect(zip(a, b).map { c.update($0, $1) } == [false, true, false, false, true, false, false])
    }
}

/// `sma-cross` compares its two means without dividing when the window sums are far apart; that shortcut must
/// decide exactly as comparing the two rounded quotients does.
@Suite struct SMACrossComparisonTests {
    private func divided(_ fastSum: Double, _ fast: Int, _ slowSum: Double, _ slow: Int) -> CrossAbove.Relation {
        CrossAbove.Relation(fastSum / Double(fast), slowSum / Double(slow))
    }

    @Test func comparingWithoutDividingDecidesAsTheRoundedMeansDo() {
        var rng = TestRandom(seed: 2026)
        for _ in 0..<200_000 {
            let fast = Int.random(in: 1...60, using: &rng)
            let slow = Int.random(in: (fast + 1)...400, using: &rng)
            let mean = Double.random(in: 1e-3...1e4, using: &rng)
            let slowSum = mean * Double(slow)
            // Mostly means within a few ulps of each other (where only the divisions can decide), some far apart.
            let ulps = Double(Int.random(in: -8...8, using: &rng))
            var fastMean = mean + ulps * mean.ulp
            if Int.random(in: 0..<4, using: &rng) == 0 { fastMean = mean * Double.random(in: 0.9...1.1, using: &rng) }
            let fastSum = fastMean * Double(fast)
            #expect(SMACross.relation(fastSum: fastSum, fast: fast, slowSum: slowSum, slow: slow)
                    == divided(fastSum, fast, slowSum, slow))
        }
    }

    @Test func extremeAndDegenerateSumsFallBackToTheDivisions() {
        let values: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e-300, 1e300,
                                .greatestFiniteMagnitude, .infinity, -.infinity, .nan]
        for a in values {
            for b in values {
                for (fast, slow) in [(1, 2), (10, 30), (7, 1000)] {
                    #expect(SMACross.relation(fastSum: a, fast: fast, slowSum: b, slow: slow) == divided(a, fast, b, slow))
                }
            }
        }
    }
}
