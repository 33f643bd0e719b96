import Testing
import TradewindCore
@testable import TradewindML

/// `bmm` reads strided views in place — a permuted, sliced or selected operand reaches the batched GEMM as a
/// transpose flag, leading dimension and batch stride — and gives the same values (exactly) and gradients
/// (within 1e-12) as the same product of copies.
@Suite struct BatchedViewProductTests {
    /// A random [b, r, c] view of a random rank-4 parent (a select, a permute of the last two or all three axes,
    /// slices), built by the view ops or their copying references.
    struct Chain {
        let parentShape: [Int]
        let selectAxis: Int, selectIndex: Int
        let axes: [Int]
        let slices: [(axis: Int, range: Range<Int>)]

        func apply(_ v: Variable<Double>, copying: Bool) throws -> Variable<Double> {
            var y = copying ? try v.copyingSelect(axis: selectAxis, index: selectIndex) : try v.select(axis: selectAxis, index: selectIndex)
            y = copying ? try y.copyingPermuted(axes) : try y.permuted(axes)
            for s in slices { y = copying ? try y.copyingSlice(axis: s.axis, s.range) : try y.slice(axis: s.axis, s.range) }
            return y
        }

        /// A chain whose result is [batch, rows, columns].
        static func random(batch: Int, rows: Int, columns: Int, _ g: inout Xoshiro256StarStar) -> Chain {
            func pick(_ n: Int) -> Int { min(n - 1, Int(g.uniform(0, Double(n)))) }
            let axes = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 1, 0], [1, 2, 0]][pick(5)]
            // The permuted result's axis a comes from axis axes[a] before; pad some axes so slices cut them back.
            let target = [batch, rows, columns]
            var before = [0, 0, 0], slices: [(axis: Int, range: Range<Int>)] = []
            for a in 0..<3 {
                let pad = pick(3)
                before[axes[a]] = target[a] + pad
                if pad > 0 { let lo = pick(pad + 1); slices.append((a, lo..<(lo + target[a]))) }
            }
            let selectAxis = pick(4), extra = 2 + pick(2)
            var parent = before
            parent.insert(extra, at: selectAxis)
            return Chain(parentShape: parent, selectAxis: selectAxis, selectIndex: pick(extra), axes: axes, slices: slices)
        }
    }

    @Test func bmmOfRandomViewsEqualsTheProductOfCopies() throws {
        var g = Xoshiro256StarStar(seed: 77)
        for trial in 0..<120 {
            func size() -> Int { 1 + min(3, Int(g.uniform(0, 4))) }
            let (batch, m, k, n) = (size(), size(), size(), size())
            let transposeSelf = g.next() % 2 == 0, transposeOther = g.next() % 2 == 0
            let left = Chain.random(batch: batch, rows: transposeSelf ? k : m, columns: transposeSelf ? m : k, &g)
            let right = Chain.random(batch: batch, rows: transposeOther ? n : k, columns: transposeOther ? k : n, &g)
            let x = GradientCheck.random(left.parentShape, seed: UInt64(2 * trial)), y = GradientCheck.random(right.parentShape, seed: UInt64(2 * trial + 1))
            let w = Variable(GradientCheck.random([batch, m, n], seed: 5))
            func run(copying: Bool) throws -> (Tensor<Double>, [Tensor<Double>]) {
                let tape = Tape<Double>()
                let (a, b) = (tape.watch(x), tape.watch(y))
                let product = try left.apply(a, copying: copying).bmm(right.apply(b, copying: copying),
                                                                      transposeSelf: transposeSelf, transposeOther: transposeOther)
                return (product.value, try tape.gradients(of: try (product * w).sum(), for: [a, b]))
            }
            let (viewValue, viewGrads) = try run(copying: false), (copyValue, copyGrads) = try run(copying: true)
            #expect(viewValue == copyValue, "trial \(trial): values differ")
            for (v, c) in zip(viewGrads, copyGrads) {
                let worst = zip(v.scalars, c.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
                #expect(v.shape == c.shape && worst <= 1e-12, "trial \(trial): gradient differs by \(worst)")
            }
        }
    }

    @Test func bmmReadsTransposedAndSlicedViewsWithoutGathering() throws {
        let tape = Tape<Double>()
        let q = tape.watch(GradientCheck.random([2, 5, 4], seed: 1)), kv = tape.watch(GradientCheck.random([2, 6, 3], seed: 2))
        let keys = try kv.permuted([0, 2, 1])            // [2, 3, 6]: a transposed view
        let queries = try q.slice(axis: 2, 1..<4)       // [2, 5, 3]: a column slice
        let scores = try queries.bmm(keys)               // [2, 5, 6]
        #expect(keys.box.isUngatheredView && queries.box.isUngatheredView, "bmm read both views in place")
        let grads = try tape.gradients(of: try scores.sum(), for: [q, kv])
        #expect(keys.box.isUngatheredView && queries.box.isUngatheredView, "the backward pass reads them in place too")
        #expect(grads[0].shape == [2, 5, 4] && grads[1].shape == [2, 6, 3])
        try GradientCheck.check([GradientCheck.random([2, 5, 4], seed: 1), GradientCheck.random([2, 6, 3], seed: 2)]) { v in
            try v[0].slice(axis: 2, 1..<4).bmm(v[1].permuted([0, 2, 1]))
        }
    }
}
