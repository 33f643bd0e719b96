/// Matrix products through the backend's GEMM.
enum GEMM {
    /// C[batch] = op(A[batch]) · op(B[batch]); `a` is [batch, m, k] (or [batch, k, m] when transposed),
    /// `b` likewise; `bBatch` false broadcasts one B over the batch.
    static func run<S: TensorScalar>(_ a: [S], _ b: [S], batch: Int, m: Int, n: Int, k: Int,
                                     transA: Bool, transB: Bool, bBatched: Bool, accumulate: [S]? = nil) -> [S] {
        // Without `accumulate`, beta = 0: the backend writes every element (also when k = 0).
        var c = accumulate ?? uninitializedScalars(batch * m * n)
        let backend = Compute.backend
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    guard let A = ap.baseAddress, let B = bp.baseAddress, let C = cp.baseAddress else { return }
                    if !bBatched && !transA {
                        // One product: fold the batch into the rows.
                        backend.gemm(transA: false, transB: transB, m: batch * m, n: n, k: k, alpha: 1,
                                     a: A, lda: k, strideA: 0, b: B, ldb: transB ? k : n, strideB: 0,
                                     beta: accumulate == nil ? 0 : 1, c: C, ldc: n, strideC: 0, batch: 1)
                    } else {
                        backend.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                                     a: A, lda: transA ? m : k, strideA: m * k, b: B, ldb: transB ? k : n,
                                     strideB: bBatched ? k * n : 0, beta: accumulate == nil ? 0 : 1, c: C, ldc: n,
                                     strideC: m * n, batch: batch)
                    }
                }
            }
        }
        return c
    }
}

/// One operand of a batched product as GEMM reads it: matrix i starts `batchStride` elements after matrix i − 1 at
/// `offset` in `storage`, its rows (or, `transposed`, its columns) unit-stride and `leading` elements apart.
struct BatchedMatrices<S: TensorScalar> {
    let storage: [S]
    let offset: Int, batchStride: Int
    let transposed: Bool
    let leading: Int
}

extension TensorView {
    /// This [batch, rows, columns] view as batched GEMM operands: read in place when its last two axes reach GEMM as
    /// a matrix (one of them unit-stride), gathered into row-major matrices otherwise.
    var batchedMatrices: BatchedMatrices<Scalar> {
        let matrix = TensorView(storage: storage, shape: Array(shape.dropFirst()), strides: Array(strides.dropFirst()), offset: offset)
        if let layout = matrix.gemmLayout {
            return BatchedMatrices(storage: storage, offset: offset, batchStride: strides[0], transposed: layout.transposed, leading: layout.leading)
        }
        return BatchedMatrices(storage: contiguous().scalars, offset: 0, batchStride: shape[1] * shape[2], transposed: false,
                               leading: Swift.max(shape[2], 1))
    }
}

extension GEMM {
    /// C[i] = op(A[i]) · op(B[i]) for `batch` products [m, k] × [k, n], the operands read where they lie (`transA` and
    /// `transB` transpose what each operand holds).
    static func batched<S: TensorScalar>(_ a: BatchedMatrices<S>, transA: Bool, _ b: BatchedMatrices<S>, transB: Bool,
                                         batch: Int, m: Int, n: Int, k: Int) -> [S] {
        var c: [S] = uninitializedScalars(batch * m * n)   // beta = 0: the backend writes every element (also when k = 0)
        guard batch > 0, m > 0, n > 0 else { return c }
        a.storage.withUnsafeBufferPointer { ap in b.storage.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            Compute.backend.gemm(transA: a.transposed != transA, transB: b.transposed != transB, m: m, n: n, k: k, alpha: 1,
                                 a: ap.baseAddress! + a.offset, lda: a.leading, strideA: a.batchStride,
                                 b: bp.baseAddress! + b.offset, ldb: b.leading, strideB: b.batchStride,
                                 beta: 0, c: cp.baseAddress!, ldc: n, strideC: m * n, batch: batch)
        } } }
        return c
    }
}

extension Variable {
    /// `self` [..., m, k] times `other` [k, n] (or [n, k] with `transposeOther`, as a `Linear` weight), giving
    /// [..., m, n]. Leading axes of `self` fold into one GEMM.
    public func matmul(_ other: Variable, transposeOther: Bool = false) throws(MLError) -> Variable {
        try Compute.requireAvailable()
        guard rank >= 1, other.rank == 2 else {
            throw .shapeMismatch(op: "matmul", detail: "needs [..., k] × [k, n]; got \(shape) × \(other.shape)")
        }
        let k = shape[rank - 1]
        let (ok, n) = transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
        guard ok == k else {
            throw .shapeMismatch(op: "matmul", detail: "\(shape) × \(other.shape)\(transposeOther ? "ᵀ" : ""): inner sizes \(k) and \(ok) differ")
        }
        let rows = shape.dropLast().reduce(1, *)   // leading axes folded into GEMM rows
        let outShape = Array(shape.dropLast()) + [n]
        // Both operands as matrices GEMM reads in place: a transposed or sliced view goes in as a transpose flag and
        // leading dimension; only a layout GEMM cannot read is gathered.
        let av = asMatrix(rows: rows, columns: k), stored = other.asMatrix(rows: other.shape[0], columns: other.shape[1])
        let bv = transposeOther ? try stored.transposed() : stored
        let c = av.product(bv)
        let aShape = shape, bShape = other.shape
        return Variable.make(Tensor(uncheckedShape: outShape, scalars: c.scalars), [self, other]) { g in
            // dA = G · op(B)ᵀ; dB = Aᵀ · G (or, stored transposed, Gᵀ · A)
            let g2 = TensorView(storage: g.scalars, shape: [rows, n], strides: [n, 1], offset: 0)
            let ga = g2.product(try! bv.transposed())
            let gb = transposeOther ? (try! g2.transposed()).product(av) : (try! av.transposed()).product(g2)
            return [Tensor(uncheckedShape: aShape, scalars: ga.scalars), Tensor(uncheckedShape: bShape, scalars: gb.scalars)]
        }
    }

    /// The value as a [rows, columns] matrix view GEMM can read without a copy: the value itself when its elements lie
    /// row-major (leading axes folded into rows), a 2-D view with a unit-stride axis as it is, anything else gathered.
    func asMatrix(rows: Int, columns: Int) -> TensorView<Scalar> {
        let v = view
        if v.isContiguous { return TensorView(storage: v.storage, shape: [rows, columns], strides: [columns, 1], offset: v.offset) }
        if v.rank == 2, v.gemmLayout != nil { return v }
        return TensorView(storage: value.scalars, shape: [rows, columns], strides: [columns, 1], offset: 0)
    }

    /// Batched product: `self` [b, m, k] (or [b, k, m] with `transposeSelf`) times `other` [b, k, n] (or
    /// [b, n, k] with `transposeOther`), giving [b, m, n].
    public func bmm(_ other: Variable, transposeSelf: Bool = false, transposeOther: Bool = false) throws(MLError) -> Variable {
        try Compute.requireAvailable()
        guard rank == 3, other.rank == 3, shape[0] == other.shape[0] else {
            throw .shapeMismatch(op: "bmm", detail: "needs [b, m, k] × [b, k, n]; got \(shape) × \(other.shape)")
        }
        let batch = shape[0]
        let (m, k) = transposeSelf ? (shape[2], shape[1]) : (shape[1], shape[2])
        let (ok, n) = transposeOther ? (other.shape[2], other.shape[1]) : (other.shape[1], other.shape[2])
        guard ok == k else { throw .shapeMismatch(op: "bmm", detail: "\(shape) × \(other.shape): inner sizes \(k) and \(ok) differ") }
        // Both operands as batched matrices GEMM reads in place (a transposed or sliced view goes in as a transpose
        // flag, leading dimension and batch stride); only a layout GEMM cannot read is gathered.
        let av = view.batchedMatrices, bv = other.view.batchedMatrices
        let c = GEMM.batched(av, transA: transposeSelf, bv, transB: transposeOther, batch: batch, m: m, n: n, k: k)
        let aShape = shape, bShape = other.shape
        return Variable.make(Tensor(uncheckedShape: [batch, m, n], scalars: c), [self, other]) { g in
            let gv = BatchedMatrices(storage: g.scalars, offset: 0, batchStride: m * n, transposed: false, leading: Swift.max(n, 1))
            // dA (as stored): if A not transposed, G·op(B)ᵀ [m,k]; else op(B)·Gᵀ [k,m].
            let ga: [Scalar] = transposeSelf
                ? GEMM.batched(bv, transA: transposeOther, gv, transB: true, batch: batch, m: k, n: m, k: n)
                : GEMM.batched(gv, transA: false, bv, transB: !transposeOther, batch: batch, m: m, n: k, k: n)
            // dB (as stored): if B not transposed, op(A)ᵀ·G [k,n]; else Gᵀ·op(A) [n,k].
            let gb: [Scalar] = transposeOther
                ? GEMM.batched(gv, transA: true, av, transB: transposeSelf, batch: batch, m: n, n: k, k: m)
                : GEMM.batched(av, transA: !transposeSelf, gv, transB: false, batch: batch, m: k, n: n, k: m)
            return [Tensor(uncheckedShape: aShape, scalars: ga), Tensor(uncheckedShape: bShape, scalars: gb)]
        }
    }
}
