import Synchronization

/// The element-wise kernels a backend provides in bulk (one call per tensor, not per element).
public enum UnaryKernel: String, Sendable, CaseIterable {
    case exp, log, tanh, sigmoid, relu, gelu, sqrt, negate, square, sin, cos
}

/// The element-wise kernels of two operands a backend provides (the operands read through strides, so broadcast and
/// strided views need no copy). The `…Backward` kernels are activations' backward rules: a is the gradient.
public enum BinaryKernel: String, Sendable, CaseIterable {
    case add, subtract, multiply, divide
    /// ReLU's backward from its input b: a where b > 0, else 0.
    case reluBackward
    /// GELU's backward from its input b: a · GELU′(b).
    case geluBackward
    /// tanh's backward from its output b: a · (1 − b²).
    case tanhBackward
    /// The sigmoid's backward from its output b: a · b · (1 − b).
    case sigmoidBackward
}

/// The seam between ops and hardware: every matrix product, bulk element-wise kernel and row-wise
/// normalisation goes through the current backend, so a GPU backend loaded at run time can replace `CPUBackend`
/// without touching layers. What a backend must provide:
/// - `gemm`: (batched, strided) matrix products — Dense, attention, the recurrent layers' projections, `bmm`,
///   `TensorView.matmul` (transposed and sliced views arrive as transpose flags and leading dimensions);
/// - `unary`: the element-wise kernels of `UnaryKernel` over a whole tensor;
/// - `softmaxRows`: softmax / log-softmax of every row (attention weights, cross-entropy, attention pooling);
/// - `layerNormRows`: layer normalisation of every row, returning what the backward pass needs;
/// - `binary`, `affine`, `sumAxis`: element-wise arithmetic with broadcasting (and activations' backward rules),
///   scaling and shifting, sums along an axis;
/// - `gruStep`, `gruStepBackward`, `lstmStep`, `lstmStepBackward`: the recurrent layers' gate math of one time step
///   over every batch row (the layers run the products and the loop over time);
/// - `gruSequence`: one GRU direction over a whole sequence in inference, where a backend may fuse each step's
///   product with its gate math (the default runs the products and `gruStep` step by step).
/// Losses' own element-wise formulas, dropout masks and `power`/`abs` still run as Swift loops in the ops.
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
    /// `reciprocalStd` = 1/√(σ² + ε) per row, `out` = normalized · weight + bias. `normalized` is `out` itself when
    /// nothing runs backward (inference): then only `out` must hold its values afterwards.
    func layerNormRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>,
                                        epsilon: S, columns: Int, normalized: UnsafeMutableBufferPointer<S>,
                                        reciprocalStd: UnsafeMutableBufferPointer<S>, out: UnsafeMutableBufferPointer<S>)
    /// `out[i] = kernel(a[j], b[k])` over `shape` (row-major `out`), a and b read through their strides (0 on broadcast axes).
    func binary<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int], _ a: UnsafePointer<S>, strides aStrides: [Int],
                                 _ b: UnsafePointer<S>, strides bStrides: [Int], _ out: UnsafeMutablePointer<S>)
    /// `out[i] = x[i] · scale + shift` (exactly x·scale when shift is 0, x + shift when scale is 1).
    func affine<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, scale: S, shift: S, _ out: UnsafeMutableBufferPointer<S>)
    /// Sums of x viewed as [outer, axis, inner] over its middle axis, in order, into `out` [outer, inner].
    func sumAxis<S: TensorScalar>(_ x: UnsafePointer<S>, outer: Int, axis: Int, inner: Int, _ out: UnsafeMutablePointer<S>)
    /// One GRU time step's gate math for every batch row.
    func gruStep<S: TensorScalar>(_ step: GRUStep<S>)
    /// The backward pass of one GRU time step's gate math.
    func gruStepBackward<S: TensorScalar>(_ step: GRUStepBackward<S>)
    /// One LSTM time step's gate math for every batch row.
    func lstmStep<S: TensorScalar>(_ step: LSTMStep<S>)
    /// The backward pass of one LSTM time step's gate math.
    func lstmStepBackward<S: TensorScalar>(_ step: LSTMStepBackward<S>)
    /// One GRU direction over a whole sequence, nothing kept for a backward pass (inference).
    func gruSequence<S: TensorScalar>(_ sequence: GRUSequence<S>)
}

extension ComputeBackend {
    /// The step loop: one GEMM for every step's input projection, then per step the recurrent product and `gruStep`.
    public func gruSequence<S: TensorScalar>(_ sequence: GRUSequence<S>) {
        _ = GRUKernel.steps(self, sequence, keep: false)
    }
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
