/// A strided view of a tensor's elements — shape, strides (in elements) and an offset into storage shared with
/// the tensor it came from — so transposing, permuting, slicing and selecting cost nothing: no element is copied
/// (the storage is a copy-on-write array, shared, never written through a view). Kernels that need row-major
/// rows call `contiguous()`, which copies only when the view is not already the tensor's own layout; `matmul`
/// hands a 2-D view whose rows or columns are unit-stride straight to the backend's GEMM (a transposed view
/// becomes GEMM's transpose flag, a column slice its leading dimension), so those never copy either.
public struct TensorView<Scalar: TensorScalar>: Sendable {
    /// The elements of the tensor this view reads (shared, not copied).
    let storage: [Scalar]
    /// Size of each axis.
    public let shape: [Int]
    /// Elements between consecutive indices of each axis (0 for a size-1 axis is never produced; any value works).
    public let strides: [Int]
    /// Index in `storage` of the first element.
    public let offset: Int

    /// The whole of `tensor`, row-major.
    public init(_ tensor: Tensor<Scalar>) {
        storage = tensor.scalars
        shape = tensor.shape
        strides = Tensor<Scalar>.strides(tensor.shape)
        offset = 0
    }

    init(storage: [Scalar], shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// Number of axes.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// True when the elements lie row-major and gap-free from `offset` (axes of size 1 may have any stride).
    public var isContiguous: Bool {
        var expected = 1
        for a in stride(from: rank - 1, through: 0, by: -1) where shape[a] != 1 {
            guard strides[a] == expected else { return false }
            expected *= shape[a]
        }
        return true
    }

    /// The element at `index` (one index per axis, each in range).
    public subscript(_ index: [Int]) -> Scalar {
        var i = offset
        for (a, k) in index.enumerated() { i += k * strides[a] }
        return storage[i]
    }

    /// Axes `a` and `b` swapped (a matrix transpose for rank 2), without copying.
    public func transposed(_ a: Int = 0, _ b: Int = 1) throws(MLError) -> TensorView {
        let x = try Tensor<Scalar>.axis(a, of: shape, op: "transpose"), y = try Tensor<Scalar>.axis(b, of: shape, op: "transpose")
        var order = Array(0..<rank)
        order.swapAt(x, y)
        return try permuted(order)
    }

    /// Axes reordered (result axis i is axis `axes[i]`), without copying.
    public func permuted(_ axes: [Int]) throws(MLError) -> TensorView {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw .invalidArgument(name: "permute axes", value: "\(axes)", expected: "a permutation of 0..<\(rank)")
        }
        return TensorView(storage: storage, shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] }, offset: offset)
    }

    /// Elements `range` along `axis`, without copying.
    public func slice(axis: Int, _ range: Range<Int>) throws(MLError) -> TensorView {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[ax] else {
            throw .invalidArgument(name: "slice range", value: "\(range)", expected: "within 0..<\(shape[ax]) on axis \(ax) of \(shape)")
        }
        var s = shape
        s[ax] = range.count
        return TensorView(storage: storage, shape: s, strides: strides, offset: range.isEmpty ? offset : offset + range.lowerBound * strides[ax])
    }

    /// Index `index` along `axis` (negative counts from the end), that axis removed, without copying.
    public func select(axis: Int, index: Int) throws(MLError) -> TensorView {
        let ax = try Tensor<Scalar>.axis(axis, of: shape, op: "select")
        let i = index < 0 ? index + shape[ax] : index
        guard i >= 0, i < shape[ax] else {
            throw .invalidArgument(name: "select index", value: "\(index)", expected: "−\(shape[ax])..<\(shape[ax]) on axis \(ax) of \(shape)")
        }
        var s = shape, st = strides
        s.remove(at: ax)
        st.remove(at: ax)
        return TensorView(storage: storage, shape: s, strides: st, offset: offset + i * strides[ax])
    }

    /// The viewed elements as a row-major tensor: the shared storage itself when the view is the whole tensor
    /// in its own layout, a gathered copy otherwise.
    public func contiguous() -> Tensor<Scalar> {
        let n = count
        if isContiguous && offset == 0 && n == storage.count { return Tensor(uncheckedShape: shape, scalars: storage) }
        var out: [Scalar] = uninitializedScalars(n)
        guard n > 0 else { return Tensor(uncheckedShape: shape, scalars: out) }
        storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress! + offset, d = dst.baseAddress!
                guard rank > 0 else { d[0] = s[0]; return }
                // Odometer over the outer axes; the innermost axis is one strided (or unit-stride) run.
                let inner = shape[rank - 1], innerStride = strides[rank - 1]
                var index = [Int](repeating: 0, count: rank - 1)
                var written = 0
                while written < n {
                    var base = 0
                    for a in 0..<(rank - 1) { base += index[a] * strides[a] }
                    if innerStride == 1 {
                        (d + written).update(from: s + base, count: inner)
                    } else {
                        for j in 0..<inner { d[written + j] = s[base + j * innerStride] }
                    }
                    written += inner
                    var a = rank - 2
                    while a >= 0 {
                        index[a] += 1
                        if index[a] < shape[a] { break }
                        index[a] = 0
                        a -= 1
                    }
                }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// How a 2-D view reaches GEMM without a copy: (transposed, leading dimension), or nil when neither its rows
    /// nor its columns are unit-stride.
    var gemmLayout: (transposed: Bool, leading: Int)? {
        guard rank == 2 else { return nil }
        if strides[1] == 1 || shape[1] == 1 { return (false, Swift.max(strides[0], shape[1], 1)) }
        if strides[0] == 1 || shape[0] == 1 { return (true, Swift.max(strides[1], shape[0], 1)) }
        return nil
    }

    /// The matrix product of two 2-D views [m, k] × [k, n] through the backend's GEMM: transposed and sliced
    /// views go in as GEMM's transpose flags and leading dimensions (no copy); other layouts are made
    /// contiguous first.
    public func matmul(_ other: TensorView) throws(MLError) -> Tensor<Scalar> {
        try Compute.requireAvailable()
        guard rank == 2, other.rank == 2, shape[1] == other.shape[0] else {
            throw .shapeMismatch(op: "matmul", detail: "needs [m, k] × [k, n]; got \(shape) × \(other.shape)")
        }
        return product(other)
    }

    /// `matmul` for shapes already checked ([m, k] × [k, n]) on a backend already found available.
    func product(_ other: TensorView) -> Tensor<Scalar> {
        let m = shape[0], k = shape[1], n = other.shape[1]
        guard k > 0 else { return Tensor(uncheckedShape: [m, n], scalars: [Scalar](repeating: 0, count: m * n)) }
        let a = gemmLayout == nil ? TensorView(contiguous()) : self
        let b = other.gemmLayout == nil ? TensorView(other.contiguous()) : other
        let (la, lb) = (a.gemmLayout!, b.gemmLayout!)
        var c: [Scalar] = uninitializedScalars(m * n)
        a.storage.withUnsafeBufferPointer { ap in b.storage.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            guard m > 0, n > 0, let A = ap.baseAddress, let B = bp.baseAddress, let C = cp.baseAddress else { return }
            Compute.backend.gemm(transA: la.transposed, transB: lb.transposed, m: m, n: n, k: k, alpha: 1,
                                 a: A + a.offset, lda: la.leading, strideA: 0, b: B + b.offset, ldb: lb.leading, strideB: 0,
                                 beta: 0, c: C, ldc: n, strideC: 0, batch: 1)
        } } }
        return Tensor(uncheckedShape: [m, n], scalars: c)
    }
}

extension Tensor {
    /// The whole tensor as a strided view (shares the elements).
    public var view: TensorView<Scalar> { TensorView(self) }
}
