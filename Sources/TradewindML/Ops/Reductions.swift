/// Sums and means over all elements or along one axis.
extension Variable {
    /// The sum of all elements (a rank-0 result).
    public func sum() -> Variable {
        var s: Scalar = 0
        let backend = Compute.backend
        value.scalars.withUnsafeBufferPointer { x in
            if let base = x.baseAddress { backend.sumAxis(base, outer: 1, axis: x.count, inner: 1, &s) }
        }
        let shape = self.shape
        return Variable.make(Tensor(scalar: s), [self]) { g in [try! Tensor(repeating: g.item, shape: shape)] }
    }

    /// The mean of all elements (a rank-0 result; NaN for an empty tensor, as PyTorch).
    public func mean() -> Variable {
        sum().scaled(by: 1 / Scalar(box.count))
    }

    /// Sums along `axis` (negative counts from the end); `keepDims` keeps it with size 1.
    public func sum(axis: Int, keepDims: Bool = false) throws(MLError) -> Variable {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "sum")
        let (outer, n, inner) = Reduction.split(shape, ax)
        var out = [Scalar](repeating: 0, count: outer * inner)
        let backend = Compute.backend
        value.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xb = x.baseAddress, let ob = o.baseAddress { backend.sumAxis(xb, outer: outer, axis: n, inner: inner, ob) }
            }
        }
        var kept = shape
        kept[ax] = 1
        let outShape = keepDims ? kept : { var s = shape; s.remove(at: ax); return s }()
        let inShape = shape
        return Variable.make(Tensor(uncheckedShape: outShape, scalars: out), [self]) { g in
            [Broadcasting.expand(g.scalars, kept: kept, to: inShape)]
        }
    }

    /// The mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) throws(MLError) -> Variable {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "mean")
        return try sum(axis: ax, keepDims: keepDims).scaled(by: 1 / Scalar(shape[ax]))
    }
}

enum Reduction {
    /// (product of axes before, size of the axis, product of axes after).
    static func split(_ shape: [Int], _ axis: Int) -> (Int, Int, Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}

extension Broadcasting {
    /// Repeats values of shape `kept` (size-1 axes) to fill `shape` — the backward of a reduction.
    static func expand<S: TensorScalar>(_ values: [S], kept: [Int], to shape: [Int]) -> Tensor<S> {
        var out = [S](repeating: 0, count: shape.reduce(1, *))
        let rs = readStrides(kept, as: shape)
        let zero = Array(repeating: 0, count: shape.count)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in forEach(out: shape, aStrides: rs, bStrides: zero) { i, j, _ in o[i] = v[j] } }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }
}
