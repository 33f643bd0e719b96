import Testing
import TradewindCore
@testable import TradewindML

/// `KerasGRU`'s stacked and bidirectional weights: the names and shapes a Keras model's weights load under
/// (Scripts/ml/keras_parity.py writes them; the parity itself is in `PyTorchLayerParityTests`' `keras_*` cases).
@Suite struct KerasGRUStackTests {
    @Test(arguments: [("keras_gru_bi_sequence", KerasGRU("", inputSize: 4, units: 5, bidirectional: true)),
                      ("keras_gru_bi2_last", KerasGRU("", inputSize: 4, units: 5, layers: 2, bidirectional: true, output: .lastState)),
                      ("keras_gru_stacked3_sequence", KerasGRU("", inputSize: 4, units: 3, layers: 3))])
    func declaredWeightsAreExactlyKerasesAndInitialiseToTheirShapes(_ name: String, _ layer: KerasGRU) throws {
        let f = try LayerCases.load(name)
        let declared = Dictionary(uniqueKeysWithValues: layer.weightShapes.map { ($0.name, $0.shape) })
        #expect(Set(declared.keys) == Set(f.weights.names))
        for n in f.weights.names { #expect(declared[n] == f.weights[n]!.shape, "\(n)") }
        var weights = StateDict<Float>()
        var g = Xoshiro256StarStar(seed: 1)
        layer.initialize(&weights, generator: &g)
        #expect(weights.names.allSatisfy { declared[$0] == weights[$0]!.shape } && weights.names.count == declared.count)
    }

    @Test func anInitialStateIsRefusedWhenStackedOrBidirectional() throws {
        let layer = KerasGRU("", inputSize: 2, units: 3, bidirectional: true)
        var weights = StateDict<Float>()
        var g = Xoshiro256StarStar(seed: 2)
        layer.initialize(&weights, generator: &g)
        let pass = ForwardPass(weights: weights, differentiable: false, training: false)
        let x = pass.input(Tensor(uncheckedShape: [1, 2, 2], scalars: [0.1, 0.2, 0.3, 0.4]), differentiable: false)
        let h = pass.input(Tensor(uncheckedShape: [1, 3], scalars: [0, 0, 0]), differentiable: false)
        #expect(throws: MLError.self) { try layer(x, initialState: h, in: pass) }
        #expect(try layer(x, in: pass).shape == [1, 2, 6])
    }
}
