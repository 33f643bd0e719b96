/// Softmax and log-softmax along the last axis (max-subtracted, so large logits do not overflow).
extension Variable {
    /// softmax over the last axis.
    public func softmax() -> Variable {
        let n = shape.last ?? 1
        let y = Softmax.forward(value, n: n, log: false)
        return Variable.make(y, [self]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            var dx = g.scalars
            let rows = n == 0 ? 0 : y.count / n
            for r in 0..<rows {
                var dot: Scalar = 0
                for j in 0..<n { dot += g.scalars[r * n + j] * y.scalars[r * n + j] }
                for j in 0..<n { dx[r * n + j] = y.scalars[r * n + j] * (g.scalars[r * n + j] - dot) }
            }
            return [Tensor(uncheckedShape: y.shape, scalars: dx)]
        }
    }

    /// log-softmax over the last axis.
    public func logSoftmax() -> Variable {
        let n = shape.last ?? 1
        let y = Softmax.forward(value, n: n, log: true)
        return Variable.make(y, [self]) { g in
            // dx = g − softmax · Σ g
            var dx = g.scalars
            let rows = n == 0 ? 0 : y.count / n
            for r in 0..<rows {
                var s: Scalar = 0
                for j in 0..<n { s += g.scalars[r * n + j] }
                for j in 0..<n { dx[r * n + j] -= Scalar.exp(y.scalars[r * n + j]) * s }
            }
            return [Tensor(uncheckedShape: y.shape, scalars: dx)]
        }
    }
}

enum Softmax {
    static func forward<S: TensorScalar>(_ x: Tensor<S>, n: Int, log: Bool) -> Tensor<S> {
        var out = x.scalars
        let rows = n == 0 ? 0 : x.count / n
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows {
                let base = r * n
                var m = -S.infinity
                for j in 0..<n { m = Swift.max(m, o[base + j]) }
                if m == -S.infinity { m = 0 }  // a fully masked row: uniform softmax rather than NaN from −inf − (−inf)
                var s: S = 0
                for j in 0..<n { let e = S.exp(o[base + j] - m); s += e; if !log { o[base + j] = e } }
                if log {
                    let ls = S.log(s) + m
                    for j in 0..<n { o[base + j] -= ls }
                } else {
                    for j in 0..<n { o[base + j] /= s }
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: out)
    }
}
