import Testing
import TradewindCore
@testable import TradewindML

/// Initial states and dropout between stacked recurrent layers (PyTorch's `h0`/`c0` and `dropout=`); the
/// PyTorch parity of the initial-state cases is in `PyTorchLayerParityTests` (fixtures `layer_*_initial`).
@Suite struct RecurrentStateTests {
    @Test func dropoutBetweenStackedLayersMatchesPyTorchWithItsMasks() throws {
        let name = "gru_bi3_dropout_train"
        let f = try LayerCases.load(name)
        let masks = try [0, 1].map { try #require(f.file["dropout_mask.\($0)"]) }
        let pass = ForwardPass(weights: f.weights, differentiable: true, training: true)
        let x = pass.input(f.inputs[0], differentiable: true)
        let gru = GRU("", inputSize: 4, hiddenSize: 5, layers: 3, bidirectional: true, dropout: 0.4)
        var seen: [Int] = []
        let out = try gru.stack.run(x, initial: [], in: pass, op: "GRU", between: { (v, layer) throws(MLError) in
            seen.append(layer)
            return try v * Variable(masks[layer])
        }, kernel: GRU.kernel)
        #expect(seen == [0, 1], "dropout runs after every layer but the last")
        try LayerCases.expectMatches(f, name, output: out, pass: pass, inputs: [x])
    }

    @Test func stackedDropoutIsOffInEvaluationAndSeededInTraining() throws {
        let f = try LayerCases.load("gru_bi3_dropout_train")
        let gru = GRU("", inputSize: 4, hiddenSize: 5, layers: 3, bidirectional: true, dropout: 0.4)
        let plain = GRU("", inputSize: 4, hiddenSize: 5, layers: 3, bidirectional: true)
        func run(_ layer: GRU, training: Bool, seed: UInt64) throws -> Tensor<Float> {
            try layer(Variable(f.inputs[0]), in: ForwardPass(weights: f.weights, differentiable: false, training: training, seed: seed)).value
        }
        #expect(try run(gru, training: false, seed: 1) == run(plain, training: true, seed: 1))
        #expect(try run(gru, training: true, seed: 1) == run(gru, training: true, seed: 1))
        #expect(try run(gru, training: true, seed: 1) != run(gru, training: false, seed: 1))
        #expect(try run(gru, training: true, seed: 1) != run(gru, training: true, seed: 2))
        #expect(try run(plain, training: true, seed: 1) == run(plain, training: false, seed: 1))
    }

    @Test func stackedDropoutOutsideItsRangeIsAnError() throws {
        let f = try LayerCases.load("gru_bi3_dropout_train")
        let gru = GRU("", inputSize: 4, hiddenSize: 5, layers: 3, bidirectional: true, dropout: 1)
        #expect(throws: MLError.invalidArgument(name: "dropout p", value: "1.0", expected: "0 ≤ p < 1")) {
            try gru(Variable(f.inputs[0]), in: ForwardPass(weights: f.weights, differentiable: false, training: true))
        }
    }

    @Test func initialStatesOfTheWrongShapeAreNamed() throws {
        let f = try LayerCases.load("lstm_bi2_initial")
        let pass = ForwardPass(weights: f.weights, differentiable: false, training: false)
        let lstm = LSTM("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)
        let wrong = Variable(try Tensor<Float>.zeros([2, 2, 5]))
        #expect(throws: MLError.shapeMismatch(op: "LSTM ''", detail: "initial cell state must be [layers·directions, batch, hidden] = [4, 2, 5]; got [2, 2, 5]")) {
            try lstm(Variable(f.inputs[0]), initialState: (Variable(f.inputs[1]), wrong), in: pass)
        }
        #expect(throws: MLError.self) {
            try GRU("", inputSize: 4, hiddenSize: 5)(Variable(f.inputs[0]), initialState: Variable(try Tensor<Float>.zeros([1, 3, 5])), in: pass)
        }
    }

    @Test func zeroInitialStatesEqualNoInitialStates() throws {
        let f = try LayerCases.load("lstm_bi2_initial")
        let pass = ForwardPass(weights: f.weights, differentiable: false, training: false)
        let lstm = LSTM("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)
        let zeros = Variable(try Tensor<Float>.zeros([4, 2, 5]))
        let x = Variable(f.inputs[0])
        #expect(try lstm(x, initialState: (zeros, zeros), in: pass).value == lstm(x, in: pass).value)
        let gru = GRU("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)
        var g = Xoshiro256StarStar(seed: 3)
        var w = StateDict<Float>()
        gru.initialize(&w, generator: &g)
        let p2 = ForwardPass(weights: w, differentiable: false, training: false)
        #expect(try gru(x, initialState: zeros, in: p2).value == gru(x, in: p2).value)
    }
}
