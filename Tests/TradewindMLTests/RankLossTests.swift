import Testing
@testable import TradewindML

/// The rank-correlation losses: values at the extremes and gradients against finite differences.
@Suite struct RankLossTests {
    @Test func spearmanLossIsNearZeroForTheSameOrderAndNearTwoForTheReverse() throws {
        let targets = try Tensor<Double>(shape: [5], scalars: [0.1, 0.5, -0.2, 0.9, 0.3])
        let same = Variable(try Tensor<Double>(shape: [5], scalars: [1, 5, -2, 9, 3]))
        let reversed = Variable(try Tensor<Double>(shape: [5], scalars: [-1, -5, 2, -9, -3]))
        #expect(try Loss.spearman(same, targets, temperature: 0.01).value.item < 1e-3)
        #expect(try Loss.spearman(reversed, targets, temperature: 0.01).value.item > 2 - 1e-3)
    }

    @Test func rankLossGradientsMatchFiniteDifferences() throws {
        let p = GradientCheck.random([6], seed: 31), t = GradientCheck.random([6], seed: 32)
        try GradientCheck.check([p]) { try Loss.spearman($0[0], t, temperature: 0.5) }
        try GradientCheck.check([p]) { try Loss.icPenalty($0[0], t, floor: 0.9) }
        try GradientCheck.check([p, t]) { try Loss.pearson($0[0], $0[1]) }
        try GradientCheck.check([p]) { try Loss.huber($0[0], t, delta: 0.3) }
        try GradientCheck.check([p]) { try Loss.meanSquaredError($0[0], t) }
        try GradientCheck.check([p.shiftedForDivision().scaledToUnit()]) { try Loss.binaryCrossEntropy(probabilities: $0[0], targets: t.shiftedForDivision().scaledToUnit()) }
        try GradientCheck.check([p]) { try Loss.binaryCrossEntropy(logits: $0[0], targets: t.shiftedForDivision().scaledToUnit()) }
        try GradientCheck.check([GradientCheck.random([3, 4], seed: 33)]) {
            try Loss.crossEntropy(logits: $0[0], labels: [1, 3, 0], classWeights: [1, 2, 0.5, 1], sampleWeights: [0.5, 1, 2])
        }
    }

    @Test func icPenaltyIsZeroAboveTheFloor() throws {
        let t = try Tensor<Double>(shape: [4], scalars: [1, 2, 3, 4])
        #expect(try Loss.icPenalty(Variable(t), t, floor: 0.5).value.item == 0)
        #expect(try Loss.icPenalty(Variable(t).scaled(by: -1), t, floor: 0.5).value.item > 1.4)
    }
}

extension Tensor where Scalar == Double {
    /// Values mapped into (0, 1).
    func scaledToUnit() -> Tensor { Tensor(uncheckedShape: shape, scalars: scalars.map { $0 / 3 }) }
}
