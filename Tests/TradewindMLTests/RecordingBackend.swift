import Synchronization
@testable import TradewindML

/// A compute backend that records which of its kernels ops call and hands the work to `CPUBackend`, or, when
/// `unavailable`, refuses to run at all (as the CPU backend does on a machine without OpenBLAS).
final class RecordingBackend: ComputeBackend {
    let cpu = CPUBackend()
    let unavailable: Bool
    private let calls = Mutex<[String: Int]>([:])

    init(unavailable: Bool = false) { self.unavailable = unavailable }

    /// How many times each kernel was called, by requirement name.
    var counts: [String: Int] { calls.withLock { $0 } }

    private func record(_ name: String) { calls.withLock { $0[name, default: 0] += 1 } }

    var name: String { unavailable ? "missing-library" : "recording" }

    func requireAvailable() throws(MLError) {
        guard unavailable else { return }
        throw .backendUnavailable(backend: name, detail: "libexample.so.0 is not installed: install Debian's libexample0")
    }

    func gemm<S: TensorScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S, a: UnsafePointer<S>, lda: Int, strideA: Int,
                               b: UnsafePointer<S>, ldb: Int, strideB: Int, beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int) {
        record("gemm")
        cpu.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, strideA: strideA, b: b, ldb: ldb,
                 strideB: strideB, beta: beta, c: c, ldc: ldc, strideC: strideC, batch: batch)
    }

    func unary<S: TensorScalar>(_ kernel: UnaryKernel, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>) {
        record("unary.\(kernel.rawValue)")
        cpu.unary(kernel, x, out)
    }

    func softmaxRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>, columns: Int, log: Bool) {
        record("softmaxRows")
        cpu.softmaxRows(x, out, columns: columns, log: log)
    }

    func layerNormRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>, epsilon: S,
                                        columns: Int, normalized: UnsafeMutableBufferPointer<S>, reciprocalStd: UnsafeMutableBufferPointer<S>,
                                        out: UnsafeMutableBufferPointer<S>) {
        record("layerNormRows")
        cpu.layerNormRows(x, weight: weight, bias: bias, epsilon: epsilon, columns: columns, normalized: normalized,
                          reciprocalStd: reciprocalStd, out: out)
    }

    func binary<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int], _ a: UnsafePointer<S>, strides aStrides: [Int],
                                 _ b: UnsafePointer<S>, strides bStrides: [Int], _ out: UnsafeMutablePointer<S>) {
        record("binary.\(kernel.rawValue)")
        cpu.binary(kernel, shape: shape, a, strides: aStrides, b, strides: bStrides, out)
    }

    func affine<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, scale: S, shift: S, _ out: UnsafeMutableBufferPointer<S>) {
        record("affine")
        cpu.affine(x, scale: scale, shift: shift, out)
    }

    func sumAxis<S: TensorScalar>(_ x: UnsafePointer<S>, outer: Int, axis: Int, inner: Int, _ out: UnsafeMutablePointer<S>) {
        record("sumAxis")
        cpu.sumAxis(x, outer: outer, axis: axis, inner: inner, out)
    }

    func gruStep<S: TensorScalar>(_ step: GRUStep<S>) { record("gruStep"); cpu.gruStep(step) }
    func gruStepBackward<S: TensorScalar>(_ step: GRUStepBackward<S>) { record("gruStepBackward"); cpu.gruStepBackward(step) }
    func lstmStep<S: TensorScalar>(_ step: LSTMStep<S>) { record("lstmStep"); cpu.lstmStep(step) }
    func lstmStepBackward<S: TensorScalar>(_ step: LSTMStepBackward<S>) { record("lstmStepBackward"); cpu.lstmStepBackward(step) }
}
