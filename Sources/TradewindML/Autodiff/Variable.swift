/// A tensor value in a computation: on a tape (its gradient can be taken) or a constant (no tape, as in
/// inference, where nothing is recorded). The value is either a tensor of its own or a strided view of another
/// value (`slice`, `select`, `permuted`): a view copies nothing until something that needs row-major elements
/// reads `value`, and then copies once; ops that read strided data (`matmul`, element-wise arithmetic) read the
/// view itself.
public struct Variable<Scalar: TensorScalar> {
    let box: VariableValue<Scalar>
    /// Index of the node on `tape`, nil for a constant.
    let node: Int?
    /// The tape this value was recorded on, nil for a constant.
    let tape: Tape<Scalar>?

    /// A constant: ops on it record nothing unless another operand is on a tape.
    public init(_ value: Tensor<Scalar>) {
        box = VariableValue(value)
        node = nil
        tape = nil
    }

    init(box: VariableValue<Scalar>, node: Int?, tape: Tape<Scalar>?) {
        self.box = box
        self.node = node
        self.tape = tape
    }

    /// The computed value, row-major (a view is gathered into a tensor on the first read, then kept).
    public var value: Tensor<Scalar> { box.tensor }

    /// The value as a strided view: no copy for a view, the tensor's own layout otherwise.
    public var view: TensorView<Scalar> { box.view }

    /// The value's shape.
    public var shape: [Int] { box.shape }

    /// Number of axes.
    var rank: Int { box.shape.count }

    /// Wraps an op's result: recorded on the first operand's tape when any operand is on one, a constant
    /// otherwise. `backward` maps the result's gradient to one gradient per input (same order).
    static func make(_ value: Tensor<Scalar>, _ inputs: [Variable<Scalar>], backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable<Scalar> {
        make(VariableValue(value), inputs, backward: backward)
    }

    static func make(_ value: VariableValue<Scalar>, _ inputs: [Variable<Scalar>], backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable<Scalar> {
        guard let tape = inputs.lazy.compactMap({ $0.tape }).first else { return Variable(box: value, node: nil, tape: nil) }
        let parents = inputs.map { $0.tape === tape ? ($0.node ?? -1) : -1 }
        return tape.record(value, parents: parents, backward: backward)
    }

    /// A view of this value (`viewed` reads its storage) whose elements sit at `region` of this value's row-major
    /// layout: its gradient is added straight into that region of this value's gradient.
    func makeView(_ viewed: TensorView<Scalar>, region: TensorView<Scalar>) -> Variable<Scalar> {
        let value = VariableValue(view: viewed)
        guard let tape, let node else { return Variable(box: value, node: nil, tape: nil) }
        return tape.record(value, viewOf: node, region: Tape<Scalar>.Region(shape: region.shape, strides: region.strides,
                                                                             offset: region.offset, parentShape: shape))
    }

    /// This value's row-major layout as a view of no storage, for working out where a view's elements sit.
    var layout: TensorView<Scalar> {
        TensorView(storage: [], shape: shape, strides: Tensor<Scalar>.strides(shape), offset: 0)
    }
}

/// What a `Variable` holds: a tensor, or a view gathered into one the first time a row-major read asks for it.
/// Lives in one forward pass on one thread, as its tape does.
final class VariableValue<Scalar: TensorScalar> {
    private var gathered: Tensor<Scalar>?
    private let viewed: TensorView<Scalar>?

    init(_ tensor: Tensor<Scalar>) {
        gathered = tensor
        viewed = nil
    }

    init(view: TensorView<Scalar>) {
        gathered = nil
        viewed = view
    }

    var tensor: Tensor<Scalar> {
        if let gathered { return gathered }
        let t = viewed!.contiguous()
        gathered = t
        return t
    }

    var view: TensorView<Scalar> { viewed ?? TensorView(gathered!) }

    var shape: [Int] { viewed?.shape ?? gathered!.shape }

    var count: Int { viewed?.count ?? gathered!.count }

    /// True when the value is a view whose elements are not yet gathered (reading `tensor` would copy).
    var isUngatheredView: Bool { gathered == nil }
}
