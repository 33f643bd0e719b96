import Testing
@testable import TradewindML

/// Strided views equal the copies the autodiff ops make, share their tensor's elements, and multiply through
/// GEMM's transpose flags and leading dimensions.
@Suite struct TensorViewTests {
    let t = try! Tensor<Float>(shape: [3, 4, 5], scalars: (0..<60).map { Float($0) * 0.5 - 7 })

    @Test func transposedPermutedSlicedAndSelectedViewsEqualCopies() throws {
        let x = Variable(t)
        #expect(try t.view.transposed(0, 2).contiguous() == x.permuted([2, 1, 0]).value)
        #expect(try t.view.permuted([1, 2, 0]).contiguous() == x.permuted([1, 2, 0]).value)
        #expect(try t.view.slice(axis: 1, 1..<3).contiguous() == x.slice(axis: 1, 1..<3).value)
        #expect(try t.view.slice(axis: 2, 4..<5).contiguous() == x.slice(axis: 2, 4..<5).value)
        #expect(try t.view.select(axis: 1, index: -1).contiguous() == x.select(axis: 1, index: -1).value)
        // Chains: a transposed slice of a selected view.
        let chained = try t.view.select(axis: 0, index: 2).slice(axis: 1, 1..<4).transposed()
        #expect(chained.contiguous() == (try x.select(axis: 0, index: 2).slice(axis: 1, 1..<4).permuted([1, 0]).value))
        #expect(chained[[2, 1]] == t.scalars[2 * 20 + 1 * 5 + 3])
        #expect(try t.view.slice(axis: 0, 1..<1).contiguous().shape == [0, 4, 5])
    }

    @Test func viewsShareTheTensorsElements() throws {
        let v = try t.view.transposed(0, 1).slice(axis: 2, 1..<3)
        let same = v.storage.withUnsafeBufferPointer { a in t.scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        #expect(same, "a view must not copy its tensor's elements")
        let row = try t.view.select(axis: 0, index: 1)
        #expect(!v.isContiguous && t.view.isContiguous && row.isContiguous)
        let whole = t.view.contiguous()
        #expect(whole.scalars.withUnsafeBufferPointer { a in t.scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } })
    }

    @Test func stridedMatrixProductsEqualProductsOfCopies() throws {
        let a = try Tensor<Float>(shape: [6, 7], scalars: (0..<42).map { Float(($0 * 37) % 11) - 5 })
        let b = try Tensor<Float>(shape: [7, 6], scalars: (0..<42).map { Float(($0 * 13) % 7) - 3 })
        let views: [(TensorView<Float>, TensorView<Float>)] = [
            (a.view, b.view),                                                          // plain
            (try b.view.transposed(), try a.view.transposed()),                        // both transposed
            (try a.view.slice(axis: 1, 2..<5), try b.view.slice(axis: 0, 1..<4)),      // column slice: leading dimension
            (try a.view.slice(axis: 0, 1..<4).transposed(), try a.view.slice(axis: 0, 2..<5)),
            (try t.view.select(axis: 2, index: 1), try t.view.select(axis: 0, index: 0)), // neither unit-stride: copied
        ]
        for (x, y) in views {
            let copies = try Variable(x.contiguous()).matmul(Variable(y.contiguous())).value
            #expect(try x.matmul(y) == copies, "\(x.shape)·\(y.shape) strides \(x.strides)·\(y.strides)")
        }
    }

    @Test func badAxesRangesAndShapesAreErrors() {
        #expect(throws: MLError.self) { try t.view.transposed(0, 3) }
        #expect(throws: MLError.self) { try t.view.slice(axis: 1, 2..<6) }
        #expect(throws: MLError.self) { try t.view.select(axis: 0, index: 3) }
        #expect(throws: MLError.self) { try t.view.permuted([0, 0, 1]) }
        #expect(throws: MLError.self) { try t.view.select(axis: 0, index: 0).matmul(t.view.select(axis: 0, index: 1)) }
    }
}
