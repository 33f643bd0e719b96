/// An optimizer's state between steps, as a training checkpoint stores it: the learning rate, the number of steps
/// taken and its per-weight buffers (Adam's first and second moments, SGD's momentum) under `kind/weight` names.
public struct OptimizerState<Scalar: TensorScalar>: Sendable, Equatable {
    /// Which optimizer wrote it ("adam", "sgd"); restoring into another kind is refused.
    public var kind: String
    public var learningRate: Double
    public var steps: Int
    public var buffers: StateDict<Scalar>

    public init(kind: String, learningRate: Double, steps: Int, buffers: StateDict<Scalar>) {
        self.kind = kind
        self.learningRate = learningRate
        self.steps = steps
        self.buffers = buffers
    }

    /// The buffers named `prefix/NAME`, as arrays by weight name.
    func arrays(_ prefix: String) -> [String: [Scalar]] {
        var out: [String: [Scalar]] = [:]
        for name in buffers.names where name.hasPrefix(prefix + "/") {
            out[String(name.dropFirst(prefix.count + 1))] = buffers[name]!.scalars
        }
        return out
    }

    func requireKind(_ expected: String) throws(MLError) {
        guard kind == expected else {
            throw .invalidArgument(name: "optimizer state", value: kind, expected: "the state of a \(expected) optimizer (train with the optimizer that wrote the checkpoint)")
        }
    }

    static func buffers(_ groups: [(prefix: String, arrays: [String: [Scalar]])]) -> StateDict<Scalar> {
        var d = StateDict<Scalar>()
        for (prefix, arrays) in groups {
            for name in arrays.keys.sorted() { d[prefix + "/" + name] = Tensor(uncheckedShape: [arrays[name]!.count], scalars: arrays[name]!) }
        }
        return d
    }
}

extension Adam {
    public var state: OptimizerState<Scalar> {
        OptimizerState(kind: "adam", learningRate: learningRate, steps: steps, buffers: OptimizerState.buffers([("m", m), ("v", v)]))
    }

    public mutating func restore(_ state: OptimizerState<Scalar>) throws(MLError) {
        try state.requireKind("adam")
        learningRate = state.learningRate
        steps = state.steps
        m = state.arrays("m")
        v = state.arrays("v")
    }
}

extension SGD {
    public var state: OptimizerState<Scalar> {
        OptimizerState(kind: "sgd", learningRate: learningRate, steps: 0, buffers: OptimizerState.buffers([("momentum", buffers)]))
    }

    public mutating func restore(_ state: OptimizerState<Scalar>) throws(MLError) {
        try state.requireKind("sgd")
        learningRate = state.learningRate
        buffers = state.arrays("momentum")
    }
}
