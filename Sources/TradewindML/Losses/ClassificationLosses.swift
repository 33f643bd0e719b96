/// Losses of classifiers. Every loss returns a rank-0 variable and rejects NaN/Inf inputs.
public enum Loss {
    /// Cross-entropy of `logits` [N, C] against sparse `labels` (class indices), PyTorch's `cross_entropy`:
    /// mean over samples of −log softmax(logits)[label], weighted by `classWeights[label]` and normalised by
    /// their sum (as PyTorch); `sampleWeights` multiply each sample's term (Keras's `sample_weight`).
    ///
    /// With sample weights the result is Σᵢ swᵢ·cw[yᵢ]·(−log pᵢ) / Σᵢ cw[yᵢ] (Σ cw over N without class weights):
    /// in PyTorch, `(cross_entropy(logits, labels, weight=cw, reduction="none") * sw).sum() / cw[labels].sum()`.
    /// The sample weights scale the terms and are not part of the denominator (Keras's `sum_over_batch_size`),
    /// so weights of 2 double the loss; `PyTorchLossParityTests` checks this against PyTorch.
    public static func crossEntropy<S: TensorScalar>(logits: Variable<S>, labels: [Int], classWeights: [S]? = nil,
                                                     sampleWeights: [S]? = nil) throws(MLError) -> Variable<S> {
        guard logits.rank == 2 else { throw .shapeMismatch(op: "crossEntropy", detail: "logits must be [samples, classes]; got \(logits.shape)") }
        let (n, c) = (logits.shape[0], logits.shape[1])
        guard labels.count == n else {
            throw .shapeMismatch(op: "crossEntropy", detail: "\(labels.count) labels for logits \(logits.shape) (\(n) samples)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= c }) {
            throw .invalidArgument(name: "crossEntropy label", value: "\(bad)", expected: "0..<\(c)")
        }
        if let cw = classWeights, cw.count != c {
            throw .shapeMismatch(op: "crossEntropy", detail: "\(cw.count) class weights for logits \(logits.shape) (\(c) classes)")
        }
        if let sw = sampleWeights, sw.count != n {
            throw .shapeMismatch(op: "crossEntropy", detail: "\(sw.count) sample weights for logits \(logits.shape) (\(n) samples)")
        }
        if let cw = classWeights, !cw.allSatisfy(\.isFinite) { throw .nonFinite(what: "crossEntropy class weights \(cw)") }
        if let sw = sampleWeights, !sw.allSatisfy(\.isFinite) { throw .nonFinite(what: "crossEntropy sample weights (\(sw.count))") }
        try logits.value.requireFinite("crossEntropy logits")
        var pick = [S](repeating: 0, count: n * c)
        var denominator: S = 0
        for (i, y) in labels.enumerated() {
            let cw = classWeights?[y] ?? 1
            pick[i * c + y] = cw * (sampleWeights?[i] ?? 1)
            denominator += cw
        }
        guard denominator > 0 else { throw .invalidArgument(name: "crossEntropy weights", value: "sum 0", expected: "a positive total class weight") }
        let weights = Variable(Tensor(uncheckedShape: [n, c], scalars: pick))
        return try (logits.logSoftmax() * weights).sum().scaled(by: -1 / denominator)
    }

    /// Binary cross-entropy on logits (PyTorch `binary_cross_entropy_with_logits`, mean), computed stably as
    /// max(x, 0) − x·y + log(1 + e^−|x|).
    public static func binaryCrossEntropy<S: TensorScalar>(logits: Variable<S>, targets: Tensor<S>) throws(MLError) -> Variable<S> {
        guard logits.shape == targets.shape else {
            throw .shapeMismatch(op: "binaryCrossEntropy", detail: "logits \(logits.shape) vs targets \(targets.shape)")
        }
        try logits.value.requireFinite("binaryCrossEntropy logits")
        try targets.requireFinite("binaryCrossEntropy targets")
        let x = logits.value, y = targets
        let value = try Kernels.binary(x, y, op: "bce") { x, y in Swift.max(x, 0) - x * y + S.log(1 + S.exp(-Swift.abs(x))) }
        let perElement = Variable.make(value, [logits]) { g in
            [try! Kernels.binary(Kernels.binary(x, y, op: "") { x, y in Activation.sigmoid(x) - y }, g, op: "", *)]
        }
        return perElement.mean()
    }

    /// Binary cross-entropy on probabilities in (0, 1) (PyTorch `binary_cross_entropy`, log clamped at −100).
    public static func binaryCrossEntropy<S: TensorScalar>(probabilities p: Variable<S>, targets: Tensor<S>) throws(MLError) -> Variable<S> {
        guard p.shape == targets.shape else {
            throw .shapeMismatch(op: "binaryCrossEntropy", detail: "probabilities \(p.shape) vs targets \(targets.shape)")
        }
        guard p.value.scalars.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalidArgument(name: "binaryCrossEntropy probabilities", value: "outside [0, 1]", expected: "values in [0, 1]")
        }
        let pv = p.value, y = targets
        let value = try Kernels.binary(pv, y, op: "bce") { p, y in
            -(y * Swift.max(S.log(p), -100) + (1 - y) * Swift.max(S.log(1 - p), -100))
        }
        let perElement = Variable.make(value, [p]) { g in
            [try! Kernels.binary(Kernels.binary(pv, y, op: "") { p, y in (p - y) / Swift.max(p * (1 - p), S(1e-12)) }, g, op: "", *)]
        }
        return perElement.mean()
    }
}
