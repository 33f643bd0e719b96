import TradewindCore

/// Splits one (batched) GEMM into pieces for the caller's thread budget (see `BLASThreads`): along the batch of
/// matrices when there are at least as many as threads, else along the longer of the result's rows and columns.
/// Every piece is a single-threaded product over the whole inner dimension, so the split changes no sum's order.
struct SplitGEMM<S: TensorScalar>: @unchecked Sendable {
    let transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S
    let a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int, strideB: Int
    let beta: S, c: UnsafeMutablePointer<S>, ldc: Int, strideC: Int, batch: Int

    /// Runs the product in `budget.threads` pieces (fewer when an axis is shorter).
    func run(_ budget: ThreadBudget) {
        let threads = budget.threads
        if batch >= threads {
            budget.forEach(threads) { p in self.block(matrices: Self.part(p, of: threads, batch), rows: 0..<m, columns: 0..<n) }
        } else if m >= n {
            let pieces = min(threads, m)
            budget.forEach(pieces) { p in self.block(matrices: 0..<batch, rows: Self.part(p, of: pieces, m), columns: 0..<n) }
        } else {
            let pieces = min(threads, n)
            budget.forEach(pieces) { p in self.block(matrices: 0..<batch, rows: 0..<m, columns: Self.part(p, of: pieces, n)) }
        }
    }

    /// Piece `p` of `count` equal consecutive parts of `0..<total`.
    static func part(_ p: Int, of count: Int, _ total: Int) -> Range<Int> { (p * total / count)..<((p + 1) * total / count) }

    /// The product restricted to some matrices of the batch and a block of the result's rows and columns.
    func block(matrices: Range<Int>, rows: Range<Int>, columns: Range<Int>) {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let aOffset = transA ? rows.lowerBound : rows.lowerBound * lda
        let bOffset = transB ? columns.lowerBound * ldb : columns.lowerBound
        let cOffset = rows.lowerBound * ldc + columns.lowerBound
        for i in matrices {
            S.gemm(transA: transA, transB: transB, m: rows.count, n: columns.count, k: k, alpha: alpha,
                   a: a + i * strideA + aOffset, lda: lda, b: b + i * strideB + bOffset, ldb: ldb,
                   beta: beta, c: c + i * strideC + cOffset, ldc: ldc)
        }
    }
}
