import TradewindCore

/// A lookup table of `count` vectors of `dimension` (PyTorch `nn.Embedding`: `weight` [count, dimension]).
public struct Embedding: Layer {
    public let prefix: String
    public let count: Int
    public let dimension: Int

    public init(_ prefix: String, count: Int, dimension: Int) {
        self.prefix = prefix
        self.count = count
        self.dimension = dimension
    }

    public var weightShapes: [(name: String, shape: [Int])] { [(name("weight"), [count, dimension])] }

    /// N(0, 1), as `nn.Embedding`.
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        weights[name("weight")] = Initializer.normal([count, dimension], &g)
    }

    /// The vectors of `indices` (laid out with `shape`), giving `shape + [dimension]`.
    public func callAsFunction<S: TensorScalar>(_ indices: [Int], shape: [Int], in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        guard indices.count == shape.reduce(1, *) else {
            throw .invalidShape(op: "Embedding '\(prefix)'", detail: "\(indices.count) indices cannot fill \(shape)")
        }
        let table = try pass.parameter(name("weight"), shape: [count, dimension])
        return try table.gather(rows: indices).reshaped(shape + [dimension])
    }
}
