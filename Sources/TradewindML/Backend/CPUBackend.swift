import COpenBLAS
import CTradewindKernels
import TradewindCore

/// The CPU backend: matrix products through OpenBLAS's `cblas_sgemm`/`cblas_dgemm`, element-wise kernels as
/// plain loops the compiler vectorises.
public struct CPUBackend: ComputeBackend {
    /// Keeps freed buffers in the process (`AllocatorTuning`). OpenBLAS is loaded, pinned to one thread, by the first
    /// matrix product (COpenBLAS); products are split across the caller's own thread count (`BLASThreads`) instead.
    public init() {
        _ = AllocatorTuning.applied
    }
    public var name: String { "cpu-openblas" }

    /// Loads OpenBLAS (once per process); throws with Debian's package to install when it is missing.
    public func requireAvailable() throws(MLError) {
        guard let reason = tw_openblas_load_error() else { return }
        throw .backendUnavailable(backend: name, detail: String(cString: reason))
    }

    public func gemm<S: TensorScalar>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S,
        a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int, strideB: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int
    ) {
        guard m > 0, n > 0 else { return }
        let threads = BLASThreads.current
        if threads > 1, k > 0, batch * m * n * k >= BLASThreads.splitThreshold {
            SplitGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, strideA: strideA,
                      b: b, ldb: ldb, strideB: strideB, beta: beta, c: c, ldc: ldc, strideC: strideC, batch: batch)
                .run(ThreadBudget(threads))
            return
        }
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

extension CPUBackend {
    public func softmaxRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>, columns: Int, log: Bool) {
        guard columns > 0, let xb = x.baseAddress, let ob = out.baseAddress else { return }
        let rows = x.count / columns
        if S.self == Float.self {   // a concrete call, so the loops are specialised for Float
            typealias K = FloatGateKernels
            RowKernels.softmax(K.cast(xb), K.cast(ob), rows: rows, n: columns, log: log)
        } else {
            RowKernels.softmax(xb, ob, rows: rows, n: columns, log: log)
        }
    }

    public func layerNormRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>,
                                               epsilon: S, columns: Int, normalized: UnsafeMutableBufferPointer<S>,
                                               reciprocalStd: UnsafeMutableBufferPointer<S>, out: UnsafeMutableBufferPointer<S>) {
        guard columns > 0, let xb = x.baseAddress, let wb = weight.baseAddress, let bb = bias.baseAddress,
              let hb = normalized.baseAddress, let rb = reciprocalStd.baseAddress, let ob = out.baseAddress else { return }
        let rows = x.count / columns
        if S.self == Float.self {   // the C rows (CTradewindKernels), which skip `normalized` when it is `out`
            typealias K = FloatGateKernels
            tw_layer_norm_f32(K.cast(xb), K.cast(wb), K.cast(bb), Float(Double(epsilon)), rows, columns,
                              hb == ob ? nil : K.cast(hb), K.cast(rb), K.cast(ob))
        } else {
            RowKernels.layerNorm(xb, wb, bb, epsilon: epsilon, rows: rows, n: columns, normalized: hb, reciprocalStd: rb, out: ob)
        }
    }
}

/// The CPU's row-wise loops behind `softmaxRows` and `layerNormRows`.
enum RowKernels {
    static func softmax<S: TensorScalar>(_ x: UnsafePointer<S>, _ o: UnsafeMutablePointer<S>, rows: Int, n: Int, log: Bool) {
        for r in 0..<rows {
            let xr = x + r * n, orow = o + r * n
            var m = -S.infinity
            for j in 0..<n { m = Swift.max(m, xr[j]) }
            if m == -S.infinity { m = 0 }  // a fully masked row: uniform softmax rather than NaN from −inf − (−inf)
            var s: S = 0
            for j in 0..<n { let e = S.exp(xr[j] - m); s += e; orow[j] = log ? xr[j] : e }
            if log {
                let ls = S.log(s) + m
                for j in 0..<n { orow[j] -= ls }
            } else {
                for j in 0..<n { orow[j] /= s }
            }
        }
    }

    static func layerNorm<S: TensorScalar>(_ x: UnsafePointer<S>, _ w: UnsafePointer<S>, _ b: UnsafePointer<S>, epsilon: S, rows: Int, n: Int,
                                           normalized: UnsafeMutablePointer<S>, reciprocalStd: UnsafeMutablePointer<S>,
                                           out: UnsafeMutablePointer<S>) {
        for r in 0..<rows {
            let xr = x + r * n, hr = normalized + r * n, yr = out + r * n
            var mean: S = 0
            for j in 0..<n { mean += xr[j] }
            mean /= S(n)
            var v: S = 0
            for j in 0..<n { let d = xr[j] - mean; v += d * d }
            let rs = 1 / S.sqrt(v / S(n) + epsilon)
            reciprocalStd[r] = rs
            for j in 0..<n { hr[j] = (xr[j] - mean) * rs }
            for j in 0..<n { yr[j] = hr[j] * w[j] + b[j] }
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
