import Testing
import TradewindCore
@testable import TradewindML

/// A tape, with every activation its backward rules keep, is freed once its forward pass and variables are gone:
/// no backward rule may hold a `Variable` (a Variable holds its tape, so the tape would keep itself alive and
/// every training step would leak its activations).
@Suite struct TapeLifetimeTests {
    @Test func aTrainingStepOfTheUniversalModelFreesItsTape() throws {
        let model = UniversalBiGRU(steps: 5, features: 3, architecture: .init(firstRecurrent: 4, secondRecurrent: 3, attentionUnits: 2,
                                                                               firstDense: 4, secondDense: 3))
        var g = Xoshiro256StarStar(seed: 1)
        let weights = model.initialWeights(generator: &g)
        weak var tape: Tape<Float>?
        do {
            let batch = ThroughputProbe.syntheticBatch(2, steps: 5, features: 3, seed: 1)
            let pass = ForwardPass(weights: weights, differentiable: true, training: true)
            tape = pass.tape
            let loss = try model.loss(try model.outputs(batch, in: pass), batch)
            #expect(try pass.gradients(of: loss).names.count == weights.names.count)
        }
        #expect(tape == nil)
    }

    @Test func recurrentLayersWithInitialStatesFreeTheirTape() throws {
        weak var tape: Tape<Float>?
        do {
            let lstm = LSTM("lstm", inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true)
            let gru = GRU("gru", inputSize: 3, hiddenSize: 4, bidirectional: true)
            var g = Xoshiro256StarStar(seed: 2)
            var weights = StateDict<Float>()
            lstm.initialize(&weights, generator: &g)
            gru.initialize(&weights, generator: &g)
            let pass = ForwardPass(weights: weights, differentiable: true, training: true)
            tape = pass.tape
            let x = pass.input(try Tensor(repeating: 0.5, shape: [2, 6, 3]), differentiable: true)
            let h0 = pass.input(try Tensor(repeating: 0.1, shape: [4, 2, 4]), differentiable: true)
            let c0 = pass.input(try Tensor(repeating: -0.1, shape: [4, 2, 4]), differentiable: true)
            let g0 = pass.input(try Tensor(repeating: 0.2, shape: [2, 2, 4]), differentiable: true)
            let y = try Variable.concat([lstm(x, initialState: (hidden: h0, cell: c0), in: pass), gru(x, initialState: g0, in: pass)], axis: 2)
            _ = try pass.gradients(of: y.sum())
        }
        #expect(tape == nil)
    }
}
