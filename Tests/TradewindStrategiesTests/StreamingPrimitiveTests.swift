import Testing
import TradewindIndicators
@testable import TradewindStrategies

@Suite("Streaming primitives")
struct StreamingPrimitiveTests {
    @Test func rollingMeanIsNaNDuringWarmUpThenTheCumulativeSumDifference() throws {
        var m = try RollingMean(window: 3)
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
