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
        }, kernel: GRU.kernel).output
        #expect(seen == [0, 1], "dropout runs after every layer but the last")
        try LayerCases.expectMatches(f, name, output: out, pass: pass, inputs: [x])
    }

    /// Stateful inference: the final states of a run over the first steps, given as the initial states of a run over
    /// the rest, continue it (PyTorch's `output, (h_n, c_n)`; parity in `PyTorchLayerParityTests`, `*_states`).
    @Test func finalStatesCarryARunOverIntoTheNextCall() throws {
        var g = Xoshiro256StarStar(seed: 41)
        let x = try Tensor<Float>(shape: [3, 7, 4], scalars: (0..<84).map { _ in Float(g.uniform(-1, 1)) })
        let (head, tail) = (try Variable(x).slice(axis: 1, 0..<3), try Variable(x).slice(axis: 1, 3..<7))
        let lstm = LSTM("", inputSize: 4, hiddenSize: 5, layers: 2), gru = GRU("", inputSize: 4, hiddenSize: 5, layers: 2)
        var weights = StateDict<Float>()
        lstm.initialize(&weights, generator: &g)
        var gruWeights = StateDict<Float>()
        gru.initialize(&gruWeights, generator: &g)
        let pass = ForwardPass(weights: weights, differentiable: false, training: false)
        let whole = try lstm.run(Variable(x), in: pass)
        let first = try lstm.run(head, in: pass)
        let rest = try lstm.run(tail, initialState: first.state, in: pass)
        expectClose(rest.output.value, try whole.output.slice(axis: 1, 3..<7).value, tolerance: 1e-6, "LSTM output after the carried state")
        expectClose(rest.state.hidden.value, whole.state.hidden.value, tolerance: 1e-6, "LSTM h_n")
        expectClose(rest.state.cell.value, whole.state.cell.value, tolerance: 1e-6, "LSTM c_n")
        #expect(whole.state.hidden.shape == [2, 3, 5] && whole.state.cell.shape == [2, 3, 5])
        let gruPass = ForwardPass(weights: gruWeights, differentiable: false, training: false)
        let gruWhole = try gru.run(Variable(x), in: gruPass)
        let gruRest = try gru.run(tail, initialState: try gru.run(head, in: gruPass).hidden, in: gruPass)
        expectClose(gruRest.output.value, try gruWhole.output.slice(axis: 1, 3..<7).value, tolerance: 1e-6, "GRU output after the carried state")
        expectClose(gruRest.hidden.value, gruWhole.hidden.value, tolerance: 1e-6, "GRU h_n")
        // A run with no steps has no final state: an error, not a trap.
        #expect(throws: MLError.self) { try lstm.run(Variable(try Tensor<Float>.zeros([3, 0, 4])), in: pass) }
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
