/// Pointer-level helpers shared by the fused recurrent kernels.
enum Recurrent {
    /// C (rows × n, leading dim ldc) ← A (rows × k, lda) · Wᵀ (W is n × k) + beta·C.
    @inline(__always)
    static func gemmABt<S: TensorScalar>(_ backend: any ComputeBackend, rows: Int, n: Int, k: Int,
                                         a: UnsafePointer<S>, lda: Int, w: UnsafePointer<S>,
                                         c: UnsafeMutablePointer<S>, ldc: Int, beta: S) {
        backend.gemm(transA: false, transB: true, m: rows, n: n, k: k, alpha: 1, a: a, lda: lda, strideA: 0,
                     b: w, ldb: k, strideB: 0, beta: beta, c: c, ldc: ldc, strideC: 0, batch: 1)
    }

    /// C (rows × n) ← A (rows × k, lda) · W (k × n) + beta·C.
    @inline(__always)
    static func gemmAB<S: TensorScalar>(_ backend: any ComputeBackend, rows: Int, n: Int, k: Int,
                                        a: UnsafePointer<S>, lda: Int, w: UnsafePointer<S>,
                                        c: UnsafeMutablePointer<S>, ldc: Int, beta: S) {
        backend.gemm(transA: false, transB: false, m: rows, n: n, k: k, alpha: 1, a: a, lda: lda, strideA: 0,
                     b: w, ldb: n, strideB: 0, beta: beta, c: c, ldc: ldc, strideC: 0, batch: 1)
    }

    /// C (m × n) ← Aᵀ · B where A is rows × m and B is rows × n (a weight gradient summed over rows).
    @inline(__always)
    static func gemmAtB<S: TensorScalar>(_ backend: any ComputeBackend, rows: Int, m: Int, n: Int,
                                         a: UnsafePointer<S>, b: UnsafePointer<S>, c: UnsafeMutablePointer<S>) {
        backend.gemm(transA: true, transB: false, m: m, n: n, k: rows, alpha: 1, a: a, lda: m, strideA: 0,
                     b: b, ldb: n, strideB: 0, beta: 0, c: c, ldc: n, strideC: 0, batch: 1)
    }

    /// The gradients of a recurrent layer's input and input weights from the gradient of its input projections
    /// `dP` [rows, G]: dx = dP · W_ih [rows, I] and dW_ih = dPᵀ · x [G, I].
    static func inputGradients<S: TensorScalar>(_ backend: any ComputeBackend, _ dP: [S], x: [S], wih: [S],
                                                rows: Int, G: Int, I: Int) -> (dx: [S], dwih: [S]) {
        var dx = [S](repeating: 0, count: rows * I), dwih = [S](repeating: 0, count: G * I)
        guard rows > 0, G > 0, I > 0 else { return (dx, dwih) }
        dP.withUnsafeBufferPointer { d in
            wih.withUnsafeBufferPointer { w in dx.withUnsafeMutableBufferPointer { o in
                gemmAB(backend, rows: rows, n: I, k: G, a: d.baseAddress!, lda: G, w: w.baseAddress!, c: o.baseAddress!, ldc: I, beta: 0)
            } }
            x.withUnsafeBufferPointer { xb in dwih.withUnsafeMutableBufferPointer { o in
                gemmAtB(backend, rows: rows, m: G, n: I, a: d.baseAddress!, b: xb.baseAddress!, c: o.baseAddress!)
            } }
        }
        return (dx, dwih)
    }

    /// dW_hh = dHPᵀ · hPrev [G, H] from the gradient of the recurrent projections [rows, G] and every step's previous
    /// hidden state [rows, H].
    static func recurrentWeightGradient<S: TensorScalar>(_ backend: any ComputeBackend, _ dHP: [S], previous: [S],
                                                         rows: Int, G: Int, H: Int) -> [S] {
        var dwhh = [S](repeating: 0, count: G * H)
        guard rows > 0, G > 0 else { return dwhh }
        dHP.withUnsafeBufferPointer { d in previous.withUnsafeBufferPointer { hb in dwhh.withUnsafeMutableBufferPointer { o in
            gemmAtB(backend, rows: rows, m: G, n: H, a: d.baseAddress!, b: hb.baseAddress!, c: o.baseAddress!)
        } } }
        return dwhh
    }

    /// Column sums of a rows × n matrix.
    static func columnSums<S: TensorScalar>(_ a: [S], rows: Int, n: Int) -> [S] {
        var s = [S](repeating: 0, count: n)
        a.withUnsafeBufferPointer { p in
            s.withUnsafeMutableBufferPointer { o in
                guard let src = p.baseAddress, let dst = o.baseAddress else { return }
                for r in 0..<rows {
                    let row = src + r * n
                    for j in 0..<n { dst[j] += row[j] }
                }
            }
        }
        return s
    }

    /// Checks one direction's initial state (hidden or cell) against [batch, hidden]; nil (zeros) always fits.
    static func checkState<S: TensorScalar>(_ op: String, _ what: String, _ state: Tensor<S>?, batch: Int, hidden: Int) throws(MLError) {
        guard let state, state.shape != [batch, hidden] else { return }
        throw .shapeMismatch(op: op, detail: "\(what) must be [batch, hidden] = \([batch, hidden]); got \(state.shape)")
    }

    /// Checks that the backend can run, and a recurrent layer's input and weights, returning (batch, steps, inputSize).
    static func check<S: TensorScalar>(_ op: String, x: Tensor<S>, wih: Tensor<S>, whh: Tensor<S>, bih: Tensor<S>, bhh: Tensor<S>,
                                       gates: Int, hidden: Int) throws(MLError) -> (Int, Int, Int) {
        try Compute.requireAvailable()
        guard x.rank == 3 else { throw .shapeMismatch(op: op, detail: "input must be [batch, steps, features]; got \(x.shape)") }
        let i = x.shape[2]
        guard wih.shape == [gates * hidden, i] else { throw .shapeMismatch(op: op, detail: "weight_ih \(wih.shape) vs expected \([gates * hidden, i]) for input \(x.shape)") }
        guard whh.shape == [gates * hidden, hidden] else { throw .shapeMismatch(op: op, detail: "weight_hh \(whh.shape) vs expected \([gates * hidden, hidden])") }
        guard bih.shape == [gates * hidden], bhh.shape == [gates * hidden] else {
            throw .shapeMismatch(op: op, detail: "biases \(bih.shape), \(bhh.shape) vs expected [\(gates * hidden)]")
        }
        return (x.shape[0], x.shape[1], i)
    }
}
