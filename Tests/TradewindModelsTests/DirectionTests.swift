import Testing
@testable import TradewindModels

@Suite struct DirectionTests {
    @Test func changesBeyondTheThresholdAreUpOrDownAndTheBandIsNeutral() {
        #expect(Direction(change: 0.41, threshold: 0.4) == .up)
        #expect(Direction(change: 0.4, threshold: 0.4) == .neutral)
        #expect(Direction(change: -0.4, threshold: 0.4) == .neutral)
        #expect(Direction(change: -0.41, threshold: 0.4) == .down)
    }

    @Test func balancedWeightsAreSamplesOverClassesTimesCount() {
        // 1 DOWN, 3 NEUTRAL, 0 UP: 4 / (3·1), 4 / (3·3), and 0 for the absent class.
        let w = Direction.balancedWeights([0, 1, 1, 1])
        #expect(abs(w[0] - 4.0 / 3.0) < 1e-6)
        #expect(abs(w[1] - 4.0 / 9.0) < 1e-6)
        #expect(w[2] == 0)
    }
}
