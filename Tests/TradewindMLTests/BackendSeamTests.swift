import Testing
import TradewindCore
@testable import TradewindML

/// Element-wise ops, reductions and the recurrent layers' gate math go through the compute backend (so another
/// backend can replace them), and the CPU backend gives the same bits through the seam as outside any scope.
@Suite struct BackendSeamTests {
    /// A small network touching every kernel: GRU and LSTM layers, arithmetic, activations, a reduction.
    static func lossAndGradients() throws -> (Float, StateDict<Float>) {
        var generator = Xoshiro256StarStar(seed: 17)
        let gru = GRU("gru", inputSize: 3, hiddenSize: 4, bidirectional: true)
        let lstm = LSTM("lstm", inputSize: 8, hiddenSize: 3)
        var weights = StateDict<Float>()
        gru.initialize(&weights, generator: &generator)
        lstm.initialize(&weights, generator: &generator)
        let x = try Tensor<Float>(shape: [2, 5, 3], scalars: (0..<30).map { _ in Float(generator.uniform(-1, 1)) })
        let pass = ForwardPass(weights: weights, differentiable: true, training: false)
        let h = try lstm(gru(Variable(x), in: pass), in: pass)
        let y = try (h.tanh() * h.sigmoid() + h.relu() - h.gelu().scaled(by: 0.5)) / h.squared().shifted(by: 2)
        let loss = try y.sum(axis: 1).mean()
        return (loss.value.item, try pass.gradients(of: loss))
    }

    @Test func elementwiseReductionAndGateKernelsReachTheBackend() throws {
        let recording = RecordingBackend()
        let (loss, grads) = try Compute.using(recording) { try Self.lossAndGradients() }
        let counts = recording.counts
        for kernel in ["gruStep", "gruStepBackward", "lstmStep", "lstmStepBackward", "sumAxis", "affine", "gemm",
                       "binary.add", "binary.subtract", "binary.multiply", "binary.divide",
                       "binary.reluBackward", "binary.geluBackward", "binary.tanhBackward", "binary.sigmoidBackward"] {
            #expect(counts[kernel, default: 0] > 0, "\(kernel) never reached the backend: \(counts)")
        }
        // Steps are called once per time step and direction: 5 steps, 2 GRU directions and 1 LSTM direction.
        #expect(counts["gruStep"] == 10 && counts["lstmStep"] == 5)
        // The same computation on the process's CPU backend gives the same bits.
        let (plainLoss, plainGrads) = try Self.lossAndGradients()
        #expect(loss == plainLoss)
        for name in grads.names { #expect(grads[name] == plainGrads[name], "\(name)") }
    }
}
