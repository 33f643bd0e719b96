/// NumPy/PyTorch broadcasting: shapes align on their trailing axes; a size-1 (or absent) axis stretches.
enum Broadcasting {
    /// The broadcast shape of two shapes, or a `shapeMismatch` naming both.
    static func shape(_ a: [Int], _ b: [Int], op: String) throws(MLError) -> [Int] {
        let r = max(a.count, b.count)
        var out = Array(repeating: 0, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw .shapeMismatch(op: op, detail: "\(a) and \(b) do not broadcast (axis \(i): \(da) vs \(db))")
            }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides for reading a tensor of shape `s` as if it had the (broadcast) shape `out`: 0 on stretched axes.
    static func readStrides(_ s: [Int], as out: [Int]) -> [Int] {
        let st = Tensor<Float>.strides(s)
        let off = out.count - s.count
        return (0..<out.count).map { i in i < off || s[i - off] == 1 ? 0 : st[i - off] }
    }

    /// Strides for reading a strided view as if it had the (broadcast) shape `out`: its own strides, 0 on
    /// stretched axes.
    static func readStrides<S: TensorScalar>(_ v: TensorView<S>, as out: [Int]) -> [Int] {
        let off = out.count - v.rank
        return (0..<out.count).map { i in i < off || (v.shape[i - off] == 1 && out[i] != 1) ? 0 : v.strides[i - off] }
    }

    /// Calls `body(outIndex, aIndex, bIndex)` for every element of the broadcast shape `out`.
    @inline(__always)
    static func forEach(out: [Int], aStrides: [Int], bStrides: [Int], _ body: (Int, Int, Int) -> Void) {
        let total = out.reduce(1, *)
        if total == 0 { return }
        let r = out.count
        if r == 0 { body(0, 0, 0); return }
        var idx = Array(repeating: 0, count: r)
        var ia = 0, ib = 0
        let inner = out[r - 1], sa = aStrides[r - 1], sb = bStrides[r - 1]
        var o = 0
        while o < total {
            var ja = ia, jb = ib
            for _ in 0..<inner { body(o, ja, jb); o += 1; ja += sa; jb += sb }
            // advance the outer axes
            var ax = r - 2
            while ax >= 0 {
                idx[ax] += 1
                ia += aStrides[ax]; ib += bStrides[ax]
                if idx[ax] < out[ax] { break }
                ia -= aStrides[ax] * out[ax]; ib -= bStrides[ax] * out[ax]
                idx[ax] = 0
                ax -= 1
            }
        }
    }

    /// Sums `grad` (of shape `out`) down to `shape` — the backward of broadcasting.
    static func reduce<S: TensorScalar>(_ grad: Tensor<S>, to shape: [Int]) -> Tensor<S> {
        if grad.shape == shape { return grad }
        var result = [S](repeating: 0, count: shape.reduce(1, *))
        let rs = readStrides(shape, as: grad.shape)
        let zero = Array(repeating: 0, count: grad.shape.count)
        grad.scalars.withUnsafeBufferPointer { g in
            result.withUnsafeMutableBufferPointer { r in
                forEach(out: grad.shape, aStrides: rs, bStrides: zero) { o, i, _ in r[i] += g[o] }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: result)
    }
}
