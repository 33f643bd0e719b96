/// A tensor value in a computation: on a tape (its gradient can be taken) or a constant (no tape, as in
/// inference, where nothing is recorded).
public struct Variable<Scalar: TensorScalar> {
    /// The computed value.
    public let value: Tensor<Scalar>
    /// Index of the node on `tape`, nil for a constant.
    let node: Int?
    /// The tape this value was recorded on, nil for a constant.
    let tape: Tape<Scalar>?

    /// A constant: ops on it record nothing unless another operand is on a tape.
    public init(_ value: Tensor<Scalar>) {
        self.value = value
        node = nil
        tape = nil
    }

    init(value: Tensor<Scalar>, node: Int?, tape: Tape<Scalar>?) {
        self.value = value
        self.node = node
        self.tape = tape
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Wraps an op's result: recorded on the first operand's tape when any operand is on one, a constant
    /// otherwise. `backward` maps the result's gradient to one gradient per input (same order).
    static func make(_ value: Tensor<Scalar>, _ inputs: [Variable<Scalar>], backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable<Scalar> {
        guard let tape = inputs.lazy.compactMap({ $0.tape }).first else { return Variable(value) }
        let parents = inputs.map { $0.tape === tape ? ($0.node ?? -1) : -1 }
        return tape.record(value, parents: parents, backward: backward)
    }
}
