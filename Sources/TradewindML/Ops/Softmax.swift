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
    /// Softmax or log-softmax over rows of `n` through the backend's `softmaxRows`.
    static func forward<S: TensorScalar>(_ x: Tensor<S>, n: Int, log: Bool) -> Tensor<S> {
        var out: [S] = uninitializedScalars(x.count)
        x.scalars.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in Compute.backend.softmaxRows(xb, ob, columns: n, log: log) }
        }
        return Tensor(uncheckedShape: x.shape, scalars: out)
    }
}
