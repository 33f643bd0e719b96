/// A dense, row-major, contiguous n-dimensional array of `Scalar` with a shape. A value type: copies share
/// storage until one is written (copy-on-write through Swift arrays).
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// Size of each axis, outermost first. A scalar tensor has shape `[]` and one element.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Scalar]

    /// A tensor from its elements; throws when their count disagrees with the shape.
    public init(shape: [Int], scalars: [Scalar]) throws(MLError) {
        try Tensor.validate(shape, op: "Tensor")
        guard scalars.count == Tensor.elementCount(shape) else {
            throw .invalidShape(op: "Tensor", detail: "\(scalars.count) scalars cannot fill shape \(shape) (\(Tensor.elementCount(shape)) elements)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal initialiser for shapes already known to agree with the element count.
    @inline(__always) init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Scalar, shape: [Int]) throws(MLError) {
        try Tensor.validate(shape, op: "Tensor")
        self.init(uncheckedShape: shape, scalars: Array(repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) throws(MLError) -> Tensor { try Tensor(repeating: 0, shape: shape) }

    /// A rank-0 tensor holding one value.
    public init(scalar: Scalar) { self.init(uncheckedShape: [], scalars: [scalar]) }

    /// Number of elements.
    public var count: Int { scalars.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// The value of a one-element tensor (the first element otherwise).
    public var item: Scalar { scalars[0] }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws(MLError) -> Tensor {
        try Tensor.validate(newShape, op: "reshape")
        guard Tensor.elementCount(newShape) == count else {
            throw .shapeMismatch(op: "reshape", detail: "cannot view \(shape) (\(count) elements) as \(newShape)")
        }
        return Tensor(uncheckedShape: newShape, scalars: scalars)
    }

    /// The elements converted to another scalar type (e.g. Float ↔ Double for gradient checks).
    public func converted<T: TensorScalar>(to: T.Type = T.self) -> Tensor<T> {
        Tensor<T>(uncheckedShape: shape, scalars: scalars.map { T($0) })
    }

    /// True when every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// Throws `nonFinite` naming `what` when an element is NaN or infinite.
    public func requireFinite(_ what: String) throws(MLError) {
        guard isFinite else { throw .nonFinite(what: "\(what) (shape \(shape))") }
    }

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func validate(_ shape: [Int], op: String) throws(MLError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(op: op, detail: "negative size in \(shape)") }
        var total = 1
        for d in shape {
            let (p, o) = total.multipliedReportingOverflow(by: d)
            guard !o, p <= 1 << 40 else { throw .invalidShape(op: op, detail: "\(shape) has too many elements") }
            total = p
        }
    }

    /// Row-major strides of a shape.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = Array(repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Resolves a possibly negative axis (−1 is the last) against a tensor of `shape`; the error names both.
    static func axis(_ axis: Int, of shape: [Int], op: String) throws(MLError) -> Int {
        let rank = shape.count
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            throw .invalidArgument(name: "\(op) axis", value: "\(axis)", expected: "−\(rank)..<\(rank) for a rank-\(rank) tensor of shape \(shape)")
        }
        return a
    }
}

/// An array of `count` elements left uninitialised, for buffers every element of which is written before it is
/// read (saves a zero-fill pass over large activation buffers). `TensorScalar` types are trivial.
@inline(__always)
func uninitializedScalars<S: TensorScalar>(_ count: Int) -> [S] {
    [S](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 8 ? ", …" : "")]"
    }
}
