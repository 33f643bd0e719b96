import COpenBLAS

/// The CPU backend: matrix products through OpenBLAS's `cblas_sgemm`/`cblas_dgemm`, element-wise kernels as
/// plain loops the compiler vectorises.
public struct CPUBackend: ComputeBackend {
    public init() {}
    public var name: String { "cpu-openblas" }

    public func gemm<S: TensorScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
        a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int, strideB: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int
    ) {
        guard m > 0, n > 0 else { return }
        for i in 0..<batch {
            let cp = c + i * strideC
            if k == 0 {
                for r in 0..<m { for j in 0..<n { cp[r * ldc + j] = beta == 0 ? 0 : beta * cp[r * ldc + j] } }
                continue
            }
            S.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb, beta: beta, c: cp, ldc: ldc)
        }
    }

    public func unary<S: TensorScalar>(_ kernel: UnaryKernel, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>) {
        let n = x.count
        if S.self == Float.self, let xb = x.baseAddress, let ob = out.baseAddress,
           floatKernel(kernel, FloatGateKernels.cast(xb), FloatGateKernels.cast(ob), n) {
            return
        }
        switch kernel {
        case .exp: for i in 0..<n { out[i] = S.exp(x[i]) }
        case .log: for i in 0..<n { out[i] = S.log(x[i]) }
        case .tanh: for i in 0..<n { out[i] = S.tanh(x[i]) }
        case .sigmoid: for i in 0..<n { out[i] = Activation.sigmoid(x[i]) }
        case .relu: for i in 0..<n { out[i] = x[i] > 0 ? x[i] : 0 }
        case .gelu: for i in 0..<n { out[i] = Activation.gelu(x[i]) }
        case .sqrt: for i in 0..<n { out[i] = S.sqrt(x[i]) }
        case .negate: for i in 0..<n { out[i] = -x[i] }
        case .square: for i in 0..<n { out[i] = x[i] * x[i] }
        case .sin: for i in 0..<n { out[i] = S.sin(x[i]) }
        case .cos: for i in 0..<n { out[i] = S.cos(x[i]) }
        }
    }
}

/// The vectorisable single-precision loops for exp, tanh and sigmoid; false for the other kernels.
private func floatKernel(_ kernel: UnaryKernel, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) -> Bool {
    switch kernel {
    case .exp: for i in 0..<n { out[i] = FastFloatMath.exp(x[i]) }
    case .tanh: for i in 0..<n { out[i] = FastFloatMath.tanh(x[i]) }
    case .sigmoid: for i in 0..<n { out[i] = 1 / (1 + FastFloatMath.exp(-x[i])) }
    default: return false
    }
    return true
}

/// Scalar activation functions shared by kernels and fused layers.
enum Activation {
    @inline(__always) static func sigmoid<S: TensorScalar>(_ x: S) -> S {
        1 / (1 + S.exp(-x))   // branch-free so gate loops vectorise; exp(−x) = ∞ gives 0 as it should
    }
    /// Exact GELU, x·Φ(x) (PyTorch's default `approximate='none'`).
    @inline(__always) static func gelu<S: TensorScalar>(_ x: S) -> S {
        x * S(0.5) * (1 + S.erf(x * S(0.70710678118654752440)))
    }
    @inline(__always) static func geluDerivative<S: TensorScalar>(_ x: S) -> S {
        let cdf = S(0.5) * (1 + S.erf(x * S(0.70710678118654752440)))
        let pdf = S.exp(-x * x / 2) * S(0.39894228040143267794)
        return cdf + x * pdf
    }
}

/// OpenBLAS's worker-thread count, under the caller's control (set it once before training or inference;
/// the same seed and thread count give the same results).
public enum BLASThreads {
    /// Sets how many threads OpenBLAS uses for each matrix product (at least 1).
    public static func set(_ threads: Int) { openblas_set_num_threads(Int32(max(1, threads))) }
    /// The thread count OpenBLAS uses now.
    public static var current: Int { Int(openblas_get_num_threads()) }
}
