/// Dropout with a seeded generator and masking.
extension Variable {
    /// Inverted dropout: each element is zeroed with probability `p` and the survivors scaled by 1/(1−p),
    /// drawing from `pass`'s seeded generator; the identity when `pass` is not training or `p` is 0.
    public func dropout(_ p: Double, in pass: ForwardPass<Scalar>) throws(MLError) -> Variable {
        guard p >= 0, p < 1 else { throw .invalidArgument(name: "dropout p", value: "\(p)", expected: "0 ≤ p < 1") }
        guard pass.training, p > 0 else { return self }
        let keep = Scalar(1 / (1 - p))
        var mask = [Scalar](repeating: 0, count: value.count)
        for i in 0..<mask.count { mask[i] = pass.nextUniform() >= p ? keep : 0 }
        let m = Tensor(uncheckedShape: shape, scalars: mask)
        return Variable.make(Kernels.mul(value, m), [self]) { g in [Kernels.mul(g, m)] }
    }

    /// Replaces the elements where `mask` is true by `fill` (e.g. −∞ before a softmax over padded steps).
    /// `mask` broadcasts against `self` (given with its own shape).
    public func masked(_ mask: [Bool], shape maskShape: [Int], fill: Scalar) throws(MLError) -> Variable {
        guard mask.count == maskShape.reduce(1, *) else {
            throw .invalidShape(op: "masked", detail: "\(mask.count) mask values cannot fill \(maskShape)")
        }
        let out = try Broadcasting.shape(shape, maskShape, op: "masked")
        guard out == shape else { throw .shapeMismatch(op: "masked", detail: "mask \(maskShape) would grow \(shape) to \(out)") }
        let m = Tensor<Scalar>(uncheckedShape: maskShape, scalars: mask.map { $0 ? 1 : 0 })
        let v = try Kernels.binary(value, m, op: "masked") { x, k in k != 0 ? fill : x }
        return Variable.make(v, [self]) { g in [try! Kernels.binary(g, m, op: "masked") { d, k in k != 0 ? 0 : d }] }
    }
}
