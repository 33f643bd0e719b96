import Synchronization

/// The element-wise kernels a backend provides in bulk (one call per tensor, not per element).
public enum UnaryKernel: String, Sendable, CaseIterable {
    case exp, log, tanh, sigmoid, relu, gelu, sqrt, negate, square, sin, cos
}

/// The seam between ops and hardware: every matrix product and bulk element-wise kernel goes through the
/// current backend, so a GPU backend loaded at run time can replace `CPUBackend` without touching layers.
public protocol ComputeBackend: Sendable {
    /// A short name for logs and benchmark output.
    var name: String { get }
    /// `batch` independent products C[i] ← alpha · op(A[i]) · op(B[i]) + beta · C[i], row-major, each matrix
    /// `strideA`/`strideB`/`strideC` elements after the previous one (stride 0 reuses one matrix).
    func gemm<S: TensorScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
        a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int, strideB: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int)
    /// `out[i] = kernel(x[i])` for every element.
    func unary<S: TensorScalar>(_ kernel: UnaryKernel, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>)
}

/// The process's current compute backend (CPU on OpenBLAS unless replaced).
public enum Compute {
    private static let current = Mutex<any ComputeBackend>(CPUBackend())

    /// The backend ops use now.
    public static var backend: any ComputeBackend {
        get { current.withLock { $0 } }
    }

    /// Replaces the backend for every subsequent op in the process.
    public static func use(_ backend: any ComputeBackend) { current.withLock { $0 = backend } }
}
