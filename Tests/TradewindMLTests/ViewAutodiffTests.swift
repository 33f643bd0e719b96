import Testing
import TradewindCore
@testable import TradewindML

/// `slice`, `select` and `permuted` on variables are views: they copy nothing forwards (matrix products and
/// element-wise arithmetic read them in place) or backwards (their gradients are added into the parent's
/// gradient), and give the same values and gradients as the copying references kept beside them.
@Suite struct ViewAutodiffTests {
    /// One step of a random chain of view ops, applied by the view op or by its copying reference.
    enum Step {
        case slice(axis: Int, Range<Int>), select(axis: Int, index: Int), permute([Int])

        func apply(_ v: Variable<Double>, copying: Bool) throws -> Variable<Double> {
            switch self {
            case let .slice(axis, range): return copying ? try v.copyingSlice(axis: axis, range) : try v.slice(axis: axis, range)
            case let .select(axis, index): return copying ? try v.copyingSelect(axis: axis, index: index) : try v.select(axis: axis, index: index)
            case let .permute(axes): return copying ? try v.copyingPermuted(axes) : try v.permuted(axes)
            }
        }
    }

    /// A random chain of one to three view steps that keeps at least one axis.
    static func randomChain(from shape: [Int], _ g: inout Xoshiro256StarStar) -> [Step] {
        var s = shape, steps: [Step] = []
        func pick(_ n: Int) -> Int { min(n - 1, Int(g.uniform(0, Double(n)))) }
        for _ in 0..<(1 + pick(3)) {
            let axis = pick(s.count)
            switch pick(3) {
            case 0:
                let lo = pick(s[axis]), hi = lo + 1 + pick(s[axis] - lo)
                steps.append(.slice(axis: axis, lo..<hi))
                s[axis] = hi - lo
            case 1 where s.count > 1:
                let index = pick(s[axis]) - (pick(2) == 1 ? s[axis] : 0)   // negative indices too
                steps.append(.select(axis: axis, index: index))
                s.remove(at: axis)
            default:
                var axes = Array(0..<s.count)
                for i in stride(from: axes.count - 1, to: 0, by: -1) { axes.swapAt(i, pick(i + 1)) }
                steps.append(.permute(axes))
                s = axes.map { s[$0] }
            }
        }
        return steps
    }

    @Test func randomViewChainsEqualTheCopyingReferencesInValueAndGradient() throws {
        var g = Xoshiro256StarStar(seed: 2024)
        for trial in 0..<200 {
            let rank = 2 + min(2, Int(g.uniform(0, 3)))
            let shape = (0..<rank).map { _ in 1 + min(4, Int(g.uniform(0, 5))) }
            let x = GradientCheck.random(shape, seed: UInt64(trial))
            let chain = Self.randomChain(from: shape, &g)
            func run(copying: Bool) throws -> (Tensor<Double>, Tensor<Double>) {
                let tape = Tape<Double>()
                let input = tape.watch(x)
                var y = input
                for step in chain { y = try step.apply(y, copying: copying) }
                // Consumers that read views in place: a broadcast product, and a matrix product for rank-2 results.
                let w = Variable(GradientCheck.random(y.shape, seed: 7))
                var out = try (y * w).sum()
                if y.shape.count == 2 {
                    let m = Variable(GradientCheck.random([y.shape[1], 3], seed: 8))
                    out = try out + y.matmul(m).sum()
                }
                return (y.value, try tape.gradients(of: out, for: [input])[0])
            }
            let (viewValue, viewGrad) = try run(copying: false), (copyValue, copyGrad) = try run(copying: true)
            #expect(viewValue == copyValue, "trial \(trial): \(shape) through \(chain)")
            #expect(viewGrad.shape == copyGrad.shape)
            let worst = zip(viewGrad.scalars, copyGrad.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-12, "trial \(trial): \(shape) through \(chain): gradient differs by \(worst)")
        }
    }

    @Test func overlappingViewsOfOneParentAccumulateTheirGradients() throws {
        let x = GradientCheck.random([3, 4], seed: 11)
        func gradient(copying: Bool) throws -> Tensor<Double> {
            let tape = Tape<Double>()
            let v = tape.watch(x)
            let a = copying ? try v.copyingSlice(axis: 1, 0..<3) : try v.slice(axis: 1, 0..<3)
            let b = copying ? try v.copyingSlice(axis: 1, 1..<4) : try v.slice(axis: 1, 1..<4)
            let t = copying ? try v.copyingPermuted([1, 0]) : try v.permuted([1, 0])
            let r = copying ? try v.copyingSelect(axis: 0, index: -1) : try v.select(axis: 0, index: -1)
            let out = try (a * b).sum() + t.matmul(Variable(GradientCheck.random([3, 2], seed: 12))).sum() + r.squared().sum()
            return try tape.gradients(of: out, for: [v])[0]
        }
        let viaViews = try gradient(copying: false), viaCopies = try gradient(copying: true)
        let worst = zip(viaViews.scalars, viaCopies.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-12)
    }

    @Test func viewGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([3, 4, 5], seed: 21), m = GradientCheck.random([4, 3], seed: 22)
        // A transposed select into a matrix product (GEMM's transpose flag), both operands views.
        try GradientCheck.check([x, m]) { v in
            try v[0].select(axis: 2, index: 1).permuted([1, 0]).matmul(v[1].slice(axis: 1, 0..<3).permuted([1, 0]))
        }
        try GradientCheck.check([x, m]) { v in
            try v[0].select(axis: 2, index: 1).permuted([1, 0]).matmul(v[1].slice(axis: 0, 1..<3), transposeOther: true)
        }
        // A column slice (GEMM's leading dimension) times a row slice; a broadcast product with a permuted view.
        try GradientCheck.check([x, m]) { v in
            try v[0].select(axis: 0, index: 2).slice(axis: 1, 1..<5).matmul(v[1].slice(axis: 0, 0..<4))
        }
        try GradientCheck.check([x]) { v in try v[0].permuted([2, 0, 1]) * v[0].select(axis: 2, index: -1) }
        // Split parts joined again, and a reshaped view.
        try GradientCheck.check([x]) { v in
            let parts = try v[0].split(axis: 1, sizes: [1, 3])
            return try Variable.concat([parts[1], parts[0]], axis: 1).slice(axis: 0, 1..<3).reshaped([2, 20]) / v[0].select(axis: 1, index: 0).reshaped([15, 1]).slice(axis: 0, 0..<2).exp()
        }
    }

    @Test func viewsCopyNothingWhenReadByProductsAndArithmetic() throws {
        let x = GradientCheck.random([4, 6], seed: 31)
        let tape = Tape<Double>()
        let v = tape.watch(x)
        let t = try v.permuted([1, 0]), s = try v.slice(axis: 1, 2..<5), r = try v.select(axis: 0, index: 1)
        for view in [t, s, r] {
            let shared = view.view.storage.withUnsafeBufferPointer { a in x.scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
            #expect(shared, "a view must read its parent's elements")
        }
        let product = try t.matmul(Variable(GradientCheck.random([4, 2], seed: 32)))
        let sum = try s + Variable(GradientCheck.random([3], seed: 33))
        let scaled = try r * r
        #expect(t.box.isUngatheredView && s.box.isUngatheredView && r.box.isUngatheredView,
                "the matrix product and the element-wise ops read the views in place, gathering nothing")
        let grad = try tape.gradients(of: try product.sum() + sum.sum() + scaled.sum(), for: [v])[0]
        #expect(grad.shape == [4, 6])
        #expect(t.box.isUngatheredView && s.box.isUngatheredView, "the backward pass reads the views in place too")
    }
}
