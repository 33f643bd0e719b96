extension Loss {
    /// Mean squared error (PyTorch `mse_loss`, mean).
    public static func meanSquaredError<S: TensorScalar>(_ predictions: Variable<S>, _ targets: Tensor<S>) throws(MLError) -> Variable<S> {
        guard predictions.shape == targets.shape else {
            throw .shapeMismatch(op: "meanSquaredError", detail: "predictions \(predictions.shape) vs targets \(targets.shape)")
        }
        try predictions.value.requireFinite("meanSquaredError predictions")
        try targets.requireFinite("meanSquaredError targets")
        return try (predictions - Variable(targets)).squared().mean()
    }

    /// Huber loss (PyTorch `huber_loss`, mean): ½d² where |d| < δ, δ(|d| − ½δ) beyond.
    public static func huber<S: TensorScalar>(_ predictions: Variable<S>, _ targets: Tensor<S>, delta: S = 1) throws(MLError) -> Variable<S> {
        guard predictions.shape == targets.shape else {
            throw .shapeMismatch(op: "huber", detail: "predictions \(predictions.shape) vs targets \(targets.shape)")
        }
        guard delta > 0 else { throw .invalidArgument(name: "huber delta", value: "\(delta)", expected: "> 0") }
        try predictions.value.requireFinite("huber predictions")
        try targets.requireFinite("huber targets")
        let p = predictions.value
        let value = try Kernels.binary(p, targets, op: "huber") { p, y in
            let d = Swift.abs(p - y)
            return d < delta ? d * d / 2 : delta * (d - delta / 2)
        }
        let perElement = Variable.make(value, [predictions]) { g in
            [try! Kernels.binary(Kernels.binary(p, targets, op: "") { p, y in Swift.min(Swift.max(p - y, -delta), delta) }, g, op: "", *)]
        }
        return perElement.mean()
    }

    /// A weighted sum of several heads' losses, Σ wᵢ·lossᵢ.
    public static func weightedSum<S: TensorScalar>(_ terms: [(loss: Variable<S>, weight: S)]) throws(MLError) -> Variable<S> {
        guard var total = terms.first.map({ $0.loss.scaled(by: $0.weight) }) else {
            throw .invalidArgument(name: "weightedSum terms", value: "[]", expected: "at least one loss")
        }
        for t in terms.dropFirst() { total = try total + t.loss.scaled(by: t.weight) }
        try total.value.requireFinite("weighted loss")
        return total
    }
}
