import Testing
import TradewindCore
@testable import TradewindML

/// A backend that cannot run (as the CPU backend on a machine without OpenBLAS) makes ops throw a typed error that
/// says what to install; nothing stops the process.
@Suite struct BackendAvailabilityTests {
    @Test func theCPUBackendRunsHere() throws {
        try CPUBackend().requireAvailable()
    }

    @Test func productsAndRecurrentLayersOnAnUnavailableBackendThrowWhatToInstall() throws {
        let x = try Tensor<Float>(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) / 24 })
        let w = try Tensor<Float>(shape: [4, 5], scalars: (0..<20).map { Float($0) / 20 })
        var generator = Xoshiro256StarStar(seed: 5)
        let gru = GRU("gru", inputSize: 4, hiddenSize: 3)
        var weights = StateDict<Float>()
        gru.initialize(&weights, generator: &generator)
        let expected = MLError.backendUnavailable(backend: "missing-library", detail: "libexample.so.0 is not installed: install Debian's libexample0")
        try Compute.using(RecordingBackend(unavailable: true)) {
            #expect(throws: expected) { try Variable(x).matmul(Variable(w)) }
            #expect(throws: expected) { try x.view.select(axis: 0, index: 0).matmul(w.view) }
            #expect(throws: expected) { try Variable(x).bmm(Variable(x), transposeOther: true) }
            let pass = ForwardPass(weights: weights, differentiable: true, training: false)
            #expect(throws: expected) { try gru(Variable(x), in: pass) }
        }
        #expect(expected.description.contains("install Debian's libexample0"))
        // Outside the scope the process's backend runs again.
        #expect(try Variable(x).matmul(Variable(w)).shape == [2, 3, 5])
    }
}
