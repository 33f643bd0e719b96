/// Layer normalisation over the last axis as one fused op: y = (x − μ)/√(σ² + ε) · γ + β (biased variance,
/// as PyTorch and Keras); the forward rows run on the backend (`layerNormRows`).
extension Variable {
    public func layerNorm(weight: Variable, bias: Variable, epsilon: Double) throws(MLError) -> Variable {
        let n = shape.last ?? 0
        guard weight.shape == [n], bias.shape == [n] else {
            throw .shapeMismatch(op: "layerNorm", detail: "input \(shape) needs weight and bias [\(n)]; got \(weight.shape), \(bias.shape)")
        }
        let rows = n == 0 ? 0 : value.count / n
        let eps = Scalar(epsilon)
        // Without a tape nothing runs backward: the normalised values are not kept (the backend is handed `out` for both).
        let keep = [self, weight, bias].contains { $0.tape != nil }
        var xhat: [Scalar] = keep ? uninitializedScalars(value.count) : []
        var rstd: [Scalar] = uninitializedScalars(rows)
        var y: [Scalar] = uninitializedScalars(value.count)
        let x = value.scalars, w = weight.value.scalars, b = bias.value.scalars
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
        xhat.withUnsafeMutableBufferPointer { hp in y.withUnsafeMutableBufferPointer { yp in rstd.withUnsafeMutableBufferPointer { rp in
            Compute.backend.layerNormRows(xp, weight: wp, bias: bp, epsilon: eps, columns: n, normalized: keep ? hp : yp,
                                          reciprocalStd: rp, out: yp)
        } } } } } }
        let xShape = shape
        return Variable.make(Tensor(uncheckedShape: xShape, scalars: y), [self, weight, bias]) { g in
            var dx = [Scalar](repeating: 0, count: x.count)
            var dw = [Scalar](repeating: 0, count: n), db = [Scalar](repeating: 0, count: n)
            g.scalars.withUnsafeBufferPointer { gp in xhat.withUnsafeBufferPointer { hp in w.withUnsafeBufferPointer { wp in
            dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in db.withUnsafeMutableBufferPointer { dbp in
                let inv = 1 / Scalar(n)
                for r in 0..<rows {
                    let gr = gp.baseAddress! + r * n, hr = hp.baseAddress! + r * n, dr = dxp.baseAddress! + r * n
                    var sumG: Scalar = 0, sumGX: Scalar = 0
                    for j in 0..<n {
                        let gh = gr[j] * wp[j]
                        sumG += gh
                        sumGX += gh * hr[j]
                    }
                    for j in 0..<n { dwp[j] += gr[j] * hr[j]; dbp[j] += gr[j] }
                    let a = inv * sumG, c = inv * sumGX, rs = rstd[r]
                    for j in 0..<n { dr[j] = rs * (gr[j] * wp[j] - a - hr[j] * c) }
                }
            } } } } } }
            return [Tensor(uncheckedShape: xShape, scalars: dx), Tensor(uncheckedShape: [n], scalars: dw),
                    Tensor(uncheckedShape: [n], scalars: db)]
        }
    }
}
