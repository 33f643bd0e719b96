extension Loss {
    /// Pearson correlation of two vectors [N] (differentiable in both), with a small ε keeping it finite for a
    /// constant input.
    public static func pearson<S: TensorScalar>(_ a: Variable<S>, _ b: Variable<S>) throws(MLError) -> Variable<S> {
        guard a.rank == 1, a.shape == b.shape, a.shape[0] >= 2 else {
            throw .shapeMismatch(op: "pearson", detail: "needs two vectors of the same length ≥ 2; got \(a.shape), \(b.shape)")
        }
        let ca = try a - a.mean(), cb = try b - b.mean()
        let cov = try (ca * cb).sum()
        let norm = try (ca.squared().sum() * cb.squared().sum()).shifted(by: S(1e-12)).sqrt()
        return try cov / norm
    }

    /// Soft ranks of a vector [N]: rankᵢ = Σⱼ σ((xᵢ − xⱼ)/τ), j = i included (it adds ½), differentiable; as τ → 0
    /// the exact 1-based ranks less ½ (a shift the Pearson correlation ignores).
    public static func softRank<S: TensorScalar>(_ x: Variable<S>, temperature: S) throws(MLError) -> Variable<S> {
        guard x.rank == 1 else { throw .shapeMismatch(op: "softRank", detail: "needs a vector; got \(x.shape)") }
        guard temperature > 0 else { throw .invalidArgument(name: "softRank temperature", value: "\(temperature)", expected: "> 0") }
        let n = x.shape[0]
        let diff = try x.reshaped([n, 1]) - x.reshaped([1, n])
        return try diff.scaled(by: 1 / temperature).sigmoid().sum(axis: 1)
    }

    /// A differentiable Spearman loss: 1 − corr(softRank(predictions), rank(targets)), in [0, 2]; minimising
    /// it orders the predictions as the targets (the cross-sectional ranker's objective).
    public static func spearman<S: TensorScalar>(_ predictions: Variable<S>, _ targets: Tensor<S>, temperature: S = S(0.1)) throws(MLError) -> Variable<S> {
        guard predictions.shape == targets.shape else {
            throw .shapeMismatch(op: "spearman", detail: "predictions \(predictions.shape) vs targets \(targets.shape)")
        }
        try predictions.value.requireFinite("spearman predictions")
        try targets.requireFinite("spearman targets")
        let order = targets.scalars.indices.sorted { targets.scalars[$0] < targets.scalars[$1] }
        var ranks = [S](repeating: 0, count: order.count)
        var i = 0
        while i < order.count {   // average ranks over ties
            var j = i
            while j + 1 < order.count && targets.scalars[order[j + 1]] == targets.scalars[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = S(i + j) / 2 + 1 }
            i = j + 1
        }
        let rho = try pearson(softRank(predictions, temperature: temperature), Variable(Tensor(uncheckedShape: targets.shape, scalars: ranks)))
        return rho.scaled(by: -1).shifted(by: 1)
    }

    /// An information-coefficient penalty: max(0, floor − corr(predictions, targets)) — zero while the Pearson
    /// IC stays at or above `floor`, growing linearly below it.
    public static func icPenalty<S: TensorScalar>(_ predictions: Variable<S>, _ targets: Tensor<S>, floor: S) throws(MLError) -> Variable<S> {
        guard predictions.shape == targets.shape else {
            throw .shapeMismatch(op: "icPenalty", detail: "predictions \(predictions.shape) vs targets \(targets.shape)")
        }
        try predictions.value.requireFinite("icPenalty predictions")
        try targets.requireFinite("icPenalty targets")
        return try pearson(predictions, Variable(targets)).scaled(by: -1).shifted(by: floor).relu()
    }
}
