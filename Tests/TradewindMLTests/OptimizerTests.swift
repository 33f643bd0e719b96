import Foundation
import Testing
@testable import TradewindML

/// Optimizers, clipping and schedules against hand-computed PyTorch semantics.
@Suite struct OptimizerTests {
    func dict(_ values: [Float]) -> StateDict<Float> {
        var d = StateDict<Float>()
        d["w"] = try! Tensor(shape: [values.count], scalars: values)
        return d
    }

    @Test func sgdWithMomentumAccumulatesAVelocity() throws {
        var w = dict([1, -2])
        var sgd = SGD<Float>(learningRate: 0.1, momentum: 0.9)
        try sgd.step(&w, gradients: dict([1, 2]))      // buf = g
        try sgd.step(&w, gradients: dict([1, 2]))      // buf = 0.9 g + g = 1.9 g
        #expect(abs(w["w"]!.scalars[0] - (1 - 0.1 - 0.19)) < 1e-6)
        #expect(abs(w["w"]!.scalars[1] - (-2 - 0.2 - 0.38)) < 1e-6)
    }

    @Test func adamsFirstStepMovesEachWeightByTheLearningRate() throws {
        var w = dict([1, -2, 0.5])
        var adam = Adam<Float>(learningRate: 0.01)
        try adam.step(&w, gradients: dict([3, -0.001, 40]))
        let before: [Float] = [1, -2, 0.5], g: [Float] = [3, -0.001, 40]
        for i in 0..<3 {
            #expect(abs((before[i] - w["w"]!.scalars[i]) - 0.01 * (g[i] > 0 ? 1 : -1)) < 1e-5)
        }
    }

    @Test func adamWDecaysWeightsApartFromTheGradient() throws {
        var w = dict([2])
        var adamW = Adam<Float>.adamW(learningRate: 0.1, weightDecay: 0.5)
        try adamW.step(&w, gradients: dict([0]))
        #expect(abs(w["w"]!.scalars[0] - 2 * (1 - 0.05)) < 1e-6)
    }

    @Test func optimizerRejectsMissingAndNonFiniteGradients() throws {
        var w = dict([1])
        var adam = Adam<Float>()
        #expect(throws: MLError.missingTensor(name: "w", expectedShape: [1])) { try adam.step(&w, gradients: StateDict()) }
        #expect(throws: MLError.self) { try adam.step(&w, gradients: dict([.nan])) }
        #expect(w == dict([1]))
    }

    @Test func clippingScalesTheGlobalNormDown() throws {
        var g = dict([3, 4])
        let norm = try GradientClipping.clipNorm(&g, maxNorm: 1)
        #expect(abs(norm - 5) < 1e-9)
        #expect(abs(g["w"]!.scalars[0] - 0.6) < 1e-5 && abs(g["w"]!.scalars[1] - 0.8) < 1e-5)
        var small = dict([0.3])
        try GradientClipping.clipNorm(&small, maxNorm: 1)
        #expect(small == dict([0.3]))
    }

    @Test func oneCycleRisesToItsPeakThenAnnealsToTheFloor() {
        let s = OneCycleSchedule(maximum: 0.1, totalSteps: 100)
        #expect(abs(s.learningRate(at: 0) - 0.004) < 1e-12)
        #expect(abs(s.learningRate(at: 29) - 0.1) < 1e-12)
        #expect(abs(s.learningRate(at: 99) - 0.004 / 1e4) < 1e-12)
        #expect(s.learningRate(at: 60) < s.learningRate(at: 40))
    }

    @Test func cosineScheduleHalvesAtMidPeriod() {
        let s = CosineSchedule(base: 1, period: 10, minimum: 0.2)
        #expect(s.learningRate(at: 0) == 1)
        #expect(abs(s.learningRate(at: 5) - 0.6) < 1e-12)
        #expect(abs(s.learningRate(at: 10) - 0.2) < 1e-12)
    }

    @Test func plateauCutsTheRateAfterPatienceEpochsWithoutImprovement() {
        var p = ReduceLROnPlateau(factor: 0.5, patience: 2)
        var lr = 1.0
        for loss in [1.0, 0.9, 0.9, 0.9] { lr = p.step(loss: loss, learningRate: lr) }
        #expect(lr == 1)
        lr = p.step(loss: 0.95, learningRate: lr)
        #expect(lr == 0.5)
    }

    @Test func earlyStoppingKeepsTheBestEpochsWeights() {
        var e = EarlyStopping<Float>(patience: 2)
        let stops = [(1.0, 0), (0.5, 1), (0.7, 2), (0.6, 3)].map { e.observe(loss: $0.0, epoch: $0.1, weights: dict([Float($0.1)])) }
        #expect(stops == [false, false, false, true])
        #expect(e.bestEpoch == 1 && e.bestWeights == dict([1]))
    }
}
