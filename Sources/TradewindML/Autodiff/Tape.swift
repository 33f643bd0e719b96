/// A reverse-mode automatic-differentiation tape: every op on a `Variable` that lives on this tape appends a
/// node holding its parents and its backward rule (vector–Jacobian product). One tape per forward pass;
/// not shared between threads.
public final class Tape<Scalar: TensorScalar> {
    struct Node {
        let parents: [Int]
        /// Maps the gradient of this node's output to the gradients of its parents (nil: no contribution).
        let backward: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?
    }

    var nodes: [Node] = []

    public init() {}

    /// Number of recorded nodes (leaves and ops).
    public var count: Int { nodes.count }

    /// Puts `value` on the tape as a leaf whose gradient can be asked for.
    public func watch(_ value: Tensor<Scalar>) -> Variable<Scalar> {
        nodes.append(Node(parents: [], backward: nil))
        return Variable(value: value, node: nodes.count - 1, tape: self)
    }

    func record(_ value: Tensor<Scalar>, parents: [Int], backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable<Scalar> {
        nodes.append(Node(parents: parents, backward: backward))
        return Variable(value: value, node: nodes.count - 1, tape: self)
    }

    /// Backpropagates from `output` (seeded with ones, or with `seed`) and returns the gradient of each of
    /// `inputs` (zeros where the output does not depend on one).
    @_specialize(where Scalar == Float)
    public func gradients(of output: Variable<Scalar>, for inputs: [Variable<Scalar>], seed: Tensor<Scalar>? = nil) throws(MLError) -> [Tensor<Scalar>] {
        guard output.tape === self, let root = output.node else {
            throw .notDifferentiable(detail: "the output was not computed on this tape")
        }
        let start = if let seed { seed } else { try Tensor<Scalar>(repeating: 1, shape: output.value.shape) }
        guard start.shape == output.value.shape else {
            throw .shapeMismatch(op: "gradients", detail: "seed \(start.shape) vs output \(output.value.shape)")
        }
        var grads = [Tensor<Scalar>?](repeating: nil, count: root + 1)
        grads[root] = start
        var i = root
        while i >= 0 {
            if let g = grads[i], let rule = nodes[i].backward {
                let parentGrads = rule(g)
                for (p, pg) in zip(nodes[i].parents, parentGrads) where p >= 0 {
                    guard let pg else { continue }
                    if let existing = grads[p] { grads[p] = Tape.add(existing, pg) } else { grads[p] = pg }
                }
                if i != root { grads[i] = nil }
            }
            i -= 1
        }
        return try inputs.map { (v) throws(MLError) -> Tensor<Scalar> in
            guard v.tape === self, let n = v.node, n <= root else { return try Tensor.zeros(v.value.shape) }
            if let g = grads[n] { return g }
            return try Tensor.zeros(v.value.shape)
        }
    }

    @_specialize(where Scalar == Float)
    static func add(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
        var r = a
        r.scalars.withUnsafeMutableBufferPointer { rp in
            b.scalars.withUnsafeBufferPointer { bp in for k in 0..<rp.count { rp[k] += bp[k] } }
        }
        return r
    }
}
