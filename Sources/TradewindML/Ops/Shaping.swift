/// Reshape, permute, concatenate, split, slice and gather. Permute, slice, select (and so split) make views; the
/// `copying…` forms are the references they are tested against.
extension Variable {
    /// The same elements under a new shape (same element count). A view whose elements lie row-major stays a view.
    public func reshaped(_ newShape: [Int]) throws(MLError) -> Variable {
        let old = shape
        let rule: (Tensor<Scalar>) -> [Tensor<Scalar>?] = { g in [Tensor(uncheckedShape: old, scalars: g.scalars)] }
        if box.isUngatheredView, view.isContiguous {
            try Tensor<Scalar>.validate(newShape, op: "reshape")
            guard newShape.reduce(1, *) == box.count else {
                throw .shapeMismatch(op: "reshape", detail: "cannot view \(old) (\(box.count) elements) as \(newShape)")
            }
            let v = view
            let reshaped = TensorView(storage: v.storage, shape: newShape, strides: Tensor<Scalar>.strides(newShape), offset: v.offset)
            return Variable.make(VariableValue(view: reshaped), [self], backward: rule)
        }
        return Variable.make(try value.reshaped(newShape), [self], backward: rule)
    }

    /// Reorders the axes: result axis i is input axis `axes[i]`. A view: nothing is copied, forwards or backwards.
    public func permuted(_ axes: [Int]) throws(MLError) -> Variable {
        guard axes.count == shape.count, Set(axes) == Set(0..<shape.count) else {
            throw .invalidArgument(name: "permute axes", value: "\(axes)", expected: "a permutation of 0..<\(shape.count)")
        }
        return makeView(try view.permuted(axes), region: try layout.permuted(axes))
    }

    /// `permuted` as a copy, the reference the view is tested against.
    func copyingPermuted(_ axes: [Int]) throws(MLError) -> Variable {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw .invalidArgument(name: "permute axes", value: "\(axes)", expected: "a permutation of 0..<\(rank)")
        }
        let v = Permutation.apply(value, axes)
        var inverse = axes
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return Variable.make(v, [self]) { g in [Permutation.apply(g, inverse)] }
    }

    /// Concatenates along `axis`; all other axes must agree.
    public static func concat(_ parts: [Variable], axis: Int) throws(MLError) -> Variable {
        guard let first = parts.first else { throw .invalidArgument(name: "concat parts", value: "[]", expected: "at least one tensor") }
        let ax = try Tensor<Scalar>.axis(axis, of: first.shape, op: "concat")
        for p in parts where p.rank != first.rank || (0..<first.rank).contains(where: { $0 != ax && p.shape[$0] != first.shape[$0] }) {
            throw .shapeMismatch(op: "concat", detail: "\(p.shape) cannot join \(first.shape) along axis \(ax)")
        }
        let sizes = parts.map { $0.shape[ax] }
        let outer = first.shape[..<ax].reduce(1, *), inner = first.shape[(ax + 1)...].reduce(1, *)
        let total = sizes.reduce(0, +)
        var out = [Scalar]()
        out.reserveCapacity(outer * total * inner)
        for o in 0..<outer {
            for (p, n) in zip(parts, sizes) { out.append(contentsOf: p.value.scalars[(o * n * inner)..<((o + 1) * n * inner)]) }
        }
        var shape = first.shape
        shape[ax] = total
        let partShapes = parts.map(\.shape)   // the rule captures no Variable: a Variable holds its tape
        return make(Tensor(uncheckedShape: shape, scalars: out), parts) { g in
            var grads: [Tensor<Scalar>?] = []
            var offset = 0
            for (partShape, n) in zip(partShapes, sizes) {
                grads.append(Slicing.take(g, outer: outer, axisSize: total, inner: inner, start: offset, count: n, shape: partShape))
                offset += n
            }
            return grads
        }
    }

    /// Elements `range` along `axis`. A view: nothing is copied, forwards or backwards.
    public func slice(axis: Int, _ range: Range<Int>) throws(MLError) -> Variable {
        makeView(try view.slice(axis: axis, range), region: try layout.slice(axis: axis, range))
    }

    /// `slice` as a copy, the reference the view is tested against.
    func copyingSlice(axis: Int, _ range: Range<Int>) throws(MLError) -> Variable {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[ax] else {
            throw .invalidArgument(name: "slice range", value: "\(range)", expected: "within 0..<\(shape[ax]) on axis \(ax) of \(shape)")
        }
        let (outer, n, inner) = Reduction.split(shape, ax)
        var outShape = shape
        outShape[ax] = range.count
        let v = Slicing.take(value, outer: outer, axisSize: n, inner: inner, start: range.lowerBound, count: range.count, shape: outShape)
        let inShape = shape
        return Variable.make(v, [self]) { g in
            var full = [Scalar](repeating: 0, count: inShape.reduce(1, *))
            for o in 0..<outer {
                let src = o * range.count * inner, dst = (o * n + range.lowerBound) * inner
                for j in 0..<(range.count * inner) { full[dst + j] = g.scalars[src + j] }
            }
            return [Tensor(uncheckedShape: inShape, scalars: full)]
        }
    }

    /// Splits along `axis` into consecutive parts of the given sizes (which must add up to the axis).
    public func split(axis: Int, sizes: [Int]) throws(MLError) -> [Variable] {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[ax] else {
            throw .invalidArgument(name: "split sizes", value: "\(sizes)", expected: "non-negative sizes adding up to \(shape[ax]) (axis \(ax) of \(shape))")
        }
        var start = 0
        var parts: [Variable] = []
        for s in sizes { parts.append(try slice(axis: ax, start..<(start + s))); start += s }
        return parts
    }

    /// Index `index` along `axis`, with that axis removed (e.g. the last time step). A view: nothing is copied,
    /// forwards or backwards.
    public func select(axis: Int, index: Int) throws(MLError) -> Variable {
        makeView(try view.select(axis: axis, index: index), region: try layout.select(axis: axis, index: index))
    }

    /// `select` as a copy, the reference the view is tested against.
    func copyingSelect(axis: Int, index: Int) throws(MLError) -> Variable {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "select")
        let i = index < 0 ? index + shape[ax] : index
        guard i >= 0, i < shape[ax] else {
            throw .invalidArgument(name: "select index", value: "\(index)", expected: "−\(shape[ax])..<\(shape[ax]) on axis \(ax) of \(shape)")
        }
        var s = shape
        s.remove(at: ax)
        return try copyingSlice(axis: ax, i..<(i + 1)).reshaped(s)
    }

    /// Rows of `self` (a table [n, d…]) picked by `indices`, giving [indices.count, d…] — an embedding lookup.
    public func gather(rows indices: [Int]) throws(MLError) -> Variable {
        guard rank >= 1 else { throw .invalidShape(op: "gather", detail: "needs a table of rank ≥ 1, got \(shape)") }
        let n = shape[0], width = box.count / max(n, 1)
        if let bad = indices.first(where: { $0 < 0 || $0 >= n }) {
            throw .invalidArgument(name: "gather index", value: "\(bad)", expected: "0..<\(n) (rows of \(shape))")
        }
        var out = [Scalar]()
        out.reserveCapacity(indices.count * width)
        for i in indices { out.append(contentsOf: value.scalars[(i * width)..<((i + 1) * width)]) }
        let tableShape = shape
        return Variable.make(Tensor(uncheckedShape: [indices.count] + shape.dropFirst(), scalars: out), [self]) { g in
            var gt = [Scalar](repeating: 0, count: tableShape.reduce(1, *))
            for (r, i) in indices.enumerated() { for j in 0..<width { gt[i * width + j] += g.scalars[r * width + j] } }
            return [Tensor(uncheckedShape: tableShape, scalars: gt)]
        }
    }
}

enum Slicing {
    static func take<S: TensorScalar>(_ t: Tensor<S>, outer: Int, axisSize: Int, inner: Int, start: Int, count: Int, shape: [Int]) -> Tensor<S> {
        var out = [S]()
        out.reserveCapacity(outer * count * inner)
        for o in 0..<outer {
            let base = (o * axisSize + start) * inner
            out.append(contentsOf: t.scalars[base..<(base + count * inner)])
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }
}

enum Permutation {
    static func apply<S: TensorScalar>(_ t: Tensor<S>, _ axes: [Int]) -> Tensor<S> {
        let inStrides = Tensor<S>.strides(t.shape)
        let outShape = axes.map { t.shape[$0] }
        let readStrides = axes.map { inStrides[$0] }
        var out = [S](repeating: 0, count: t.count)
        let zero = Array(repeating: 0, count: axes.count)
        t.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                Broadcasting.forEach(out: outShape, aStrides: readStrides, bStrides: zero) { i, j, _ in o[i] = x[j] }
            }
        }
        return Tensor(uncheckedShape: outShape, scalars: out)
    }
}
