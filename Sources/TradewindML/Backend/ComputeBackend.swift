import Synchronization

/// The element-wise kernels a backend provides in bulk (one call per tensor, not per element).
public enum UnaryKernel: String, Sendable, CaseIterable {
    case exp, log, tanh, sigmoid, relu, gelu, sqrt, negate, square, sin, cos
}

/// The seam between ops and hardware: every matrix product, bulk element-wise kernel and row-wise
/// normalisation goes through the current backend, so a GPU backend loaded at run time can replace `CPUBackend`
/// without touching layers. What a backend must provide:
/// - `gemm`: (batched, strided) matrix products — Dense, attention, the recurrent layers' projections, `bmm`,
///   `TensorView.matmul` (transposed and sliced views arrive as transpose flags and leading dimensions);
/// - `unary`: the element-wise kernels of `UnaryKernel` over a whole tensor;
/// - `softmaxRows`: softmax / log-softmax of every row (attention weights, cross-entropy, attention pooling);
/// - `layerNormRows`: layer normalisation of every row, returning what the backward pass needs.
/// Element-wise binary ops with broadcasting, reductions and the recurrent gate loops still run on the CPU
/// (the gate loops in `CTradewindKernels`).
public protocol ComputeBackend: Sendable {
    /// A short name for logs and benchmark output.
    var name: String { get }
    /// Throws `MLError.backendUnavailable` (saying what to install) when the backend cannot run on this machine;
    /// ops call it before their first product, so a missing library is an error, never a stopped process.
    func requireAvailable() throws(MLError)
    /// `batch` independent products C[i] ← alpha · op(A[i]) · op(B[i]) + beta · C[i], row-major, each matrix
    /// `strideA`/`strideB`/`strideC` elements after the previous one (stride 0 reuses one matrix).
    func gemm<S: TensorScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
        a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int, strideB: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int)
    /// `out[i] = kernel(x[i])` for every element.
    func unary<S: TensorScalar>(_ kernel: UnaryKernel, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>)
    /// Softmax (or, with `log`, log-softmax) of each row of `columns` contiguous elements of `x` into `out`,
    /// max-subtracted; a row that is all −∞ (fully masked) gives the uniform distribution, not NaN.
    func softmaxRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>, columns: Int, log: Bool)
    /// Layer normalisation of each row of `columns` elements: `normalized` = (x − μ)/√(σ² + ε) (biased variance),
    /// `reciprocalStd` = 1/√(σ² + ε) per row, `out` = normalized · weight + bias.
    func layerNormRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>,
                                        epsilon: S, columns: Int, normalized: UnsafeMutableBufferPointer<S>,
                                        reciprocalStd: UnsafeMutableBufferPointer<S>, out: UnsafeMutableBufferPointer<S>)
}

/// The process's current compute backend (CPU on OpenBLAS unless replaced), or the one a task scoped with `using`.
public enum Compute {
    private static let current = Mutex<any ComputeBackend>(CPUBackend())
    @TaskLocal private static var scoped: (any ComputeBackend)?

    /// The backend ops use now: the task's scoped one, else the process's.
    public static var backend: any ComputeBackend {
        get { scoped ?? current.withLock { $0 } }
    }

    /// Replaces the backend for every subsequent op in the process.
    public static func use(_ backend: any ComputeBackend) { current.withLock { $0 = backend } }

    /// Runs `body` with `backend` as the backend of the ops it runs on this task (other tasks and threads keep theirs).
    public static func using<R>(_ backend: any ComputeBackend, _ body: () throws -> R) rethrows -> R {
        try $scoped.withValue(backend, operation: body)
    }

    /// Throws `MLError.backendUnavailable` when the current backend cannot run here (see `requireAvailable`).
    static func requireAvailable() throws(MLError) { try backend.requireAvailable() }
}
