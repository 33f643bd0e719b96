/// Layer normalisation over the last axis as one fused op: y = (x − μ)/√(σ² + ε) · γ + β (biased variance,
/// as PyTorch and Keras).
extension Variable {
    public func layerNorm(weight: Variable, bias: Variable, epsilon: Double) throws(MLError) -> Variable {
        let n = shape.last ?? 0
        guard weight.shape == [n], bias.shape == [n] else {
            throw .shapeMismatch(op: "layerNorm", detail: "input \(shape) needs weight and bias [\(n)]; got \(weight.shape), \(bias.shape)")
        }
        let rows = n == 0 ? 0 : value.count / n
        let eps = Scalar(epsilon)
        var xhat = [Scalar](repeating: 0, count: value.count)
        var rstd = [Scalar](repeating: 0, count: rows)
        var y = [Scalar](repeating: 0, count: value.count)
        let x = value.scalars, w = weight.value.scalars, b = bias.value.scalars
        for r in 0..<rows {
            let base = r * n
            var mean: Scalar = 0
            for j in 0..<n { mean += x[base + j] }
            mean /= Scalar(n)
            var v: Scalar = 0
            for j in 0..<n { let d = x[base + j] - mean; v += d * d }
            let rs = 1 / Scalar.sqrt(v / Scalar(n) + eps)
            rstd[r] = rs
            for j in 0..<n {
                let h = (x[base + j] - mean) * rs
                xhat[base + j] = h
                y[base + j] = h * w[j] + b[j]
            }
        }
        let xShape = shape
        return Variable.make(Tensor(uncheckedShape: xShape, scalars: y), [self, weight, bias]) { g in
            var dx = [Scalar](repeating: 0, count: x.count)
            var dw = [Scalar](repeating: 0, count: n), db = [Scalar](repeating: 0, count: n)
            let gs = g.scalars
            for r in 0..<rows {
                let base = r * n
                var sumG: Scalar = 0, sumGX: Scalar = 0
                for j in 0..<n {
                    let gh = gs[base + j] * w[j]
                    sumG += gh
                    sumGX += gh * xhat[base + j]
                    dw[j] += gs[base + j] * xhat[base + j]
                    db[j] += gs[base + j]
                }
                let inv = 1 / Scalar(n)
                for j in 0..<n {
                    let gh = gs[base + j] * w[j]
                    dx[base + j] = rstd[r] * (gh - inv * sumG - xhat[base + j] * inv * sumGX)
                }
            }
            return [Tensor(uncheckedShape: xShape, scalars: dx), Tensor(uncheckedShape: [n], scalars: dw),
                    Tensor(uncheckedShape: [n], scalars: db)]
        }
    }
}
