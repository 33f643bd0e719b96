/// Named tensors in insertion order — a model's weights (or their gradients) under PyTorch `state_dict` names
/// such as `gru.weight_ih_l0` or `head.bias`.
public struct StateDict<Scalar: TensorScalar>: Sendable, Equatable {
    /// Names in insertion order.
    public private(set) var names: [String] = []
    private var storage: [String: Tensor<Scalar>] = [:]

    public init() {}

    /// Reads or writes a tensor by name; writing nil removes it.
    public subscript(name: String) -> Tensor<Scalar>? {
        get { storage[name] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if storage.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// Number of tensors.
    public var count: Int { names.count }
    /// Total number of scalars.
    public var parameterCount: Int { names.reduce(0) { $0 + storage[$1]!.count } }

    /// The tensor named `name`, checked against `shape`; throws naming the tensor and both shapes.
    public func require(_ name: String, shape: [Int]) throws(MLError) -> Tensor<Scalar> {
        guard let t = storage[name] else { throw .missingTensor(name: name, expectedShape: shape) }
        guard t.shape == shape else { throw .tensorShape(name: name, expected: shape, found: t.shape) }
        return t
    }

    /// The same tensors converted to another scalar type.
    public func converted<T: TensorScalar>(to: T.Type = T.self) -> StateDict<T> {
        var d = StateDict<T>()
        for n in names { d[n] = storage[n]!.converted(to: T.self) }
        return d
    }
}
