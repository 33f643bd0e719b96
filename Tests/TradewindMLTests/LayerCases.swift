import Foundation
import Testing
@testable import TradewindML

/// The layer configurations of Scripts/ml/torch_parity.py (and, for `keras_*`, Scripts/ml/keras_parity.py), by
/// fixture name.
enum LayerCases {
    static let names = ["dense", "layernorm", "embedding", "gru_bi2_sequence", "gru_last", "lstm_bi_sequence", "lstm_bi_last",
                        "mha_self", "mha_cross_masked", "transformer", "transformer_gelu_normfirst", "attention_pooling", "time2vec",
                        "gru_bi2_initial", "gru_last_initial", "lstm_bi2_initial", "lstm_last_initial", "gru_dropout_eval",
                        "keras_gru_sequence", "keras_gru_last_initial", "keras_gru_bi_sequence", "keras_gru_bi2_last",
                        "keras_gru_stacked3_sequence", "lstm_bi2_states", "lstm2_states", "gru_bi2_states"]

    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/ml")
    }()

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    /// The layer of case `name` applied to `inputs` (the embedding case reads its indices from the first input).
    static func forward<S: TensorScalar>(_ name: String, _ inputs: [Variable<S>], _ pass: ForwardPass<S>) throws -> Variable<S> {
        let x = inputs[0]
        switch name {
        case "dense": return try Dense("", inputSize: 5, outputSize: 4)(x, in: pass)
        case "layernorm": return try LayerNorm("", size: 6)(x, in: pass)
        case "embedding":
            return try Embedding("", count: 7, dimension: 3)(x.value.scalars.map { Int($0) }, shape: x.shape, in: pass)
        case "gru_bi2_sequence": return try GRU("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)(x, in: pass)
        case "gru_last": return try GRU("", inputSize: 4, hiddenSize: 5, output: .lastState)(x, in: pass)
        case "lstm_bi_sequence": return try LSTM("", inputSize: 4, hiddenSize: 5, bidirectional: true)(x, in: pass)
        case "lstm_bi_last": return try LSTM("", inputSize: 4, hiddenSize: 5, bidirectional: true, output: .lastState)(x, in: pass)
        case "mha_self": return try MultiHeadAttention("", embedDim: 8, heads: 2)(query: x, key: x, value: x, in: pass)
        case "mha_cross_masked":
            let mask = [[false, false, false, true, true], [false, false, false, false, false]]
            return try MultiHeadAttention("", embedDim: 8, heads: 2)(query: x, key: inputs[1], value: inputs[1], keyPadding: mask, in: pass)
        case "transformer": return try TransformerEncoderLayer("", modelSize: 8, heads: 2, feedForwardSize: 16, dropout: 0)(x, in: pass)
        case "transformer_gelu_normfirst":
            return try TransformerEncoderLayer("", modelSize: 8, heads: 2, feedForwardSize: 16, dropout: 0, activation: .gelu, normFirst: true)(x, in: pass)
        case "attention_pooling": return try AttentionPooling("", features: 6, units: 4)(x, in: pass)
        case "time2vec": return try Time2Vec("", inputSize: 2, size: 5)(x, in: pass)
        case "gru_bi2_initial":
            return try GRU("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)(x, initialState: inputs[1], in: pass)
        case "gru_last_initial": return try GRU("", inputSize: 4, hiddenSize: 5, output: .lastState)(x, initialState: inputs[1], in: pass)
        case "lstm_bi2_initial":
            return try LSTM("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)(x, initialState: (inputs[1], inputs[2]), in: pass)
        case "lstm_last_initial":
            return try LSTM("", inputSize: 4, hiddenSize: 5, output: .lastState)(x, initialState: (inputs[1], inputs[2]), in: pass)
        case "gru_dropout_eval": return try GRU("", inputSize: 4, hiddenSize: 5, layers: 3, dropout: 0.4)(x, in: pass)
        case "keras_gru_sequence": return try KerasGRU("", inputSize: 4, units: 5)(x, in: pass)   // Scripts/ml/keras_parity.py
        case "keras_gru_last_initial":
            return try KerasGRU("", inputSize: 4, units: 5, output: .lastState)(x, initialState: inputs[1], in: pass)
        case "keras_gru_bi_sequence": return try KerasGRU("", inputSize: 4, units: 5, bidirectional: true)(x, in: pass)
        case "keras_gru_bi2_last":
            return try KerasGRU("", inputSize: 4, units: 5, layers: 2, bidirectional: true, output: .lastState)(x, in: pass)
        case "keras_gru_stacked3_sequence": return try KerasGRU("", inputSize: 4, units: 3, layers: 3)(x, in: pass)
        // output, h_n (and c_n) flattened and joined, as the fixture holds them.
        case "lstm_bi2_states":
            let (out, state) = try LSTM("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true).run(x, initialState: (inputs[1], inputs[2]), in: pass)
            return try flat([out, state.hidden, state.cell])
        case "lstm2_states":
            let (out, state) = try LSTM("", inputSize: 4, hiddenSize: 5, layers: 2).run(x, in: pass)
            return try flat([out, state.hidden, state.cell])
        case "gru_bi2_states":
            let (out, hidden) = try GRU("", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true).run(x, initialState: inputs[1], in: pass)
            return try flat([out, hidden])
        default: throw MLError.invalidArgument(name: "case", value: name, expected: "one of \(names)")
        }
    }

    static func flat<S: TensorScalar>(_ parts: [Variable<S>]) throws -> Variable<S> {
        try Variable.concat(parts.map { try $0.reshaped([$0.shape.reduce(1, *)]) }, axis: 0)
    }

    /// The fixture keys of a case's inputs: the layer input, then initial states (h0, c0) or a second input.
    static let inputNames = ["input", "input1", "input2"]

    /// Checks `out` and the gradients of `sum(out ⊙ seed)` for every weight (and, with `inputs`, every input)
    /// against the fixture's, within 1e-5.
    static func expectMatches(_ f: Fixture, _ name: String, output out: Variable<Float>, pass: ForwardPass<Float>,
                              inputs: [Variable<Float>]) throws {
        expectClose(out.value, try #require(f.file["output"]), tolerance: 1e-5, "\(name) output")
        let params = try f.weights.names.map { try pass.parameter($0, shape: f.weights[$0]!.shape) }
        let tape = try #require(pass.tape)
        let grads = try tape.gradients(of: out, for: params + inputs, seed: try #require(f.file["seed"]))
        for (n, g) in zip(f.weights.names, grads) {
            expectClose(g, try #require(f.file["grad." + n], "no gradient of \(n)"), tolerance: 1e-5, "\(name) grad \(n)")
        }
        for (k, g) in zip(inputNames, grads.dropFirst(params.count)) {
            expectClose(g, try #require(f.file["grad." + k]), tolerance: 1e-5, "\(name) grad \(k)")
        }
    }

    struct Fixture {
        let weights: StateDict<Float>
        let inputs: [Tensor<Float>]
        let file: StateDict<Float>
    }

    static func load(_ name: String) throws -> Fixture {
        let file: StateDict<Float> = try SafeTensors.load(path("layer_\(name).safetensors"))
        var weights = StateDict<Float>()
        for n in file.names where !n.hasPrefix("input") && !n.hasPrefix("grad.") && !n.hasPrefix("dropout_mask.") && n != "seed" && n != "output" {
            weights[n] = file[n]
        }
        let inputs = inputNames.compactMap { file[$0] }
        return Fixture(weights: weights, inputs: inputs, file: file)
    }
}

/// |actual − expected| ≤ tolerance · max(1, |expected|) element-wise (rtol = atol = tolerance).
func expectClose<S: TensorScalar>(_ actual: Tensor<S>, _ expected: Tensor<S>, tolerance: Double, _ what: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape) vs \(expected.shape)", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    var worst = 0.0, at = 0
    for i in 0..<actual.count {
        let a = Double(actual.scalars[i]), e = Double(expected.scalars[i])
        let err = abs(a - e) / max(1, abs(e))
        if !(err <= worst) { worst = err; at = i }
    }
    #expect(worst <= tolerance, "\(what): worst error \(worst) at \(at) (\(actual.scalars[at]) vs \(expected.scalars[at]))", sourceLocation: sourceLocation)
}
