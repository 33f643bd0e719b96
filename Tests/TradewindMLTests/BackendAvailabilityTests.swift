import Testing
import TradewindCore
@testable import TradewindML

/// A backend that cannot run (as the CPU backend on a machine without OpenBLAS) makes ops throw a typed error that
/// says what to install; nothing stops the process.
@Suite struct BackendAvailabilityTests {
    /// Stands for a machine whose library is missing: every op asks it first and is refused.
    struct MissingLibraryBackend: ComputeBackend {
        let cpu = CPUBackend()
        var name: String { "missing-library" }
        func requireAvailable() throws(MLError) {
            throw .backendUnavailable(backend: name, detail: "libexample.so.0 is not installed: install Debian's libexample0")
        }
        func gemm<S: TensorScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S, a: UnsafePointer<S>, lda: Int, strideA: Int,
                                   b: UnsafePointer<S>, ldb: Int, strideB: Int, beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int) {
            Issue.record("a product ran on a backend that said it cannot run")
        }
        func unary<S: TensorScalar>(_ kernel: UnaryKernel, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>) { cpu.unary(kernel, x, out) }
        func softmaxRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>, columns: Int, log: Bool) {
            cpu.softmaxRows(x, out, columns: columns, log: log)
        }
        func layerNormRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>, epsilon: S,
                                            columns: Int, normalized: UnsafeMutableBufferPointer<S>, reciprocalStd: UnsafeMutableBufferPointer<S>,
                                            out: UnsafeMutableBufferPointer<S>) {
            cpu.layerNormRows(x, weight: weight, bias: bias, epsilon: epsilon, columns: columns, normalized: normalized,
                              reciprocalStd: reciprocalStd, out: out)
        }
    }

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
        try Compute.using(MissingLibraryBackend()) {
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
